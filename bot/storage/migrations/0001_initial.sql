-- 0001: the championship schema. Several series and seasons; facts keep their source.

CREATE TABLE series (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug = lower(slug)),
    name TEXT NOT NULL CHECK (name <> '')
);

CREATE TABLE season (
    id            INTEGER PRIMARY KEY,
    series_id     INTEGER NOT NULL REFERENCES series(id),
    year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    name          TEXT NOT NULL CHECK (name <> ''),
    status        TEXT NOT NULL CHECK (status IN ('final', 'provisional', 'future')),
    rules_json    TEXT NOT NULL CHECK (json_valid(rules_json)),  -- scale, bonuses, championships
    notes_json    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(notes_json)),
    content_hash  TEXT,      -- hash of the files it was seeded from
    source        TEXT NOT NULL DEFAULT '',
    UNIQUE (series_id, year)
);

CREATE TABLE round (
    id         INTEGER PRIMARY KEY,
    season_id  INTEGER NOT NULL REFERENCES season(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number > 0),
    slug       TEXT NOT NULL CHECK (slug <> ''),
    circuit    TEXT NOT NULL CHECK (circuit <> ''),
    town       TEXT NOT NULL DEFAULT '',
    country    TEXT NOT NULL DEFAULT '',
    start_date TEXT CHECK (start_date IS NULL OR date(start_date) = start_date),
    end_date   TEXT CHECK (end_date IS NULL OR date(end_date) = end_date),
    aliases    TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    UNIQUE (season_id, number),
    UNIQUE (season_id, slug),
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);

CREATE TABLE driver (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    nationality TEXT CHECK (nationality IS NULL OR length(nationality) = 3)
);

CREATE TABLE team (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0)
);

CREATE TABLE entry (
    id         INTEGER PRIMARY KEY,
    season_id  INTEGER NOT NULL REFERENCES season(id) ON DELETE CASCADE,
    driver_id  INTEGER NOT NULL REFERENCES driver(id),
    team_id    INTEGER REFERENCES team(id),
    car_number INTEGER CHECK (car_number IS NULL OR car_number BETWEEN 0 AND 9999),
    class      TEXT CHECK (class IS NULL OR class IN ('Pro', 'Pro-Am', 'Am')),
    rookie     INTEGER CHECK (rookie IS NULL OR rookie IN (0, 1)),
    junior     INTEGER CHECK (junior IS NULL OR junior IN (0, 1)),
    guest      INTEGER NOT NULL DEFAULT 0 CHECK (guest IN (0, 1)),
    rounds     TEXT,      -- NULL: whole season; else "3" or "3;4"
    certainty  TEXT NOT NULL DEFAULT 'confirmed' CHECK (certainty IN ('confirmed', 'derived', 'inferred')),
    note       TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    UNIQUE (season_id, driver_id)
);
-- Regular entries never share a number; a guest of a shared race may carry another series' number.
CREATE UNIQUE INDEX entry_car_number ON entry(season_id, car_number)
    WHERE car_number IS NOT NULL AND guest = 0;

CREATE TABLE session (
    id                   INTEGER PRIMARY KEY,
    round_id             INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
    code                 TEXT NOT NULL CHECK (code = 'Q' OR (code GLOB 'R[1-9]' )),
    date                 TEXT CHECK (date IS NULL OR date(date) = date),
    start_time           TEXT,
    final                INTEGER NOT NULL DEFAULT 1 CHECK (final IN (0, 1)),
    complete             INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    shared_with          TEXT,
    pole_entry_id        INTEGER REFERENCES entry(id),
    pole_time_ms         INTEGER CHECK (pole_time_ms IS NULL OR pole_time_ms > 0),
    pole_certainty       TEXT CHECK (pole_certainty IS NULL OR pole_certainty IN ('confirmed', 'derived', 'inferred')),
    pole_source          TEXT NOT NULL DEFAULT '',
    fastest_lap_entry_id INTEGER REFERENCES entry(id),
    fastest_lap_ms       INTEGER CHECK (fastest_lap_ms IS NULL OR fastest_lap_ms > 0),
    note                 TEXT NOT NULL DEFAULT '',
    source               TEXT NOT NULL DEFAULT '',
    UNIQUE (round_id, code)
);

CREATE TABLE result (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    entry_id        INTEGER NOT NULL REFERENCES entry(id),
    position        INTEGER CHECK (position IS NULL OR position > 0),
    flag_position   INTEGER CHECK (flag_position IS NULL OR flag_position > 0),
    status          TEXT CHECK (status IS NULL OR status IN ('classified', 'DNF', 'DNS', 'DSQ', 'NC')),
    laps            INTEGER CHECK (laps IS NULL OR laps >= 0),
    time_ms         INTEGER CHECK (time_ms IS NULL OR time_ms > 0),
    gap_ms          INTEGER CHECK (gap_ms IS NULL OR gap_ms >= 0),
    grid            INTEGER CHECK (grid IS NULL OR grid > 0),
    best_lap_ms     INTEGER CHECK (best_lap_ms IS NULL OR best_lap_ms > 0),
    class_position  INTEGER CHECK (class_position IS NULL OR class_position > 0),
    rookie_position INTEGER CHECK (rookie_position IS NULL OR rookie_position > 0),
    series_position INTEGER CHECK (series_position IS NULL OR series_position > 0),
    certainty       TEXT NOT NULL DEFAULT 'confirmed' CHECK (certainty IN ('confirmed', 'derived', 'inferred')),
    note            TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',
    UNIQUE (session_id, entry_id),
    CHECK (position IS NULL OR status IS NULL OR status = 'classified')
);
CREATE UNIQUE INDEX result_position ON result(session_id, position) WHERE position IS NOT NULL;
CREATE UNIQUE INDEX result_flag_position ON result(session_id, flag_position) WHERE flag_position IS NOT NULL;

CREATE TABLE penalty (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    entry_id      INTEGER NOT NULL REFERENCES entry(id),
    type          TEXT NOT NULL CHECK (type IN ('time', 'positions', 'dsq', 'points', 'grid', 'reprimand', 'unspecified')),
    value         INTEGER CHECK (value IS NULL OR value BETWEEN 0 AND 100000),
    reason        TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    effect        TEXT NOT NULL DEFAULT '',
    decided_at    TEXT,
    decided_by    TEXT,
    revoked_at    TEXT,
    revoked_by    TEXT,
    revoke_reason TEXT,
    certainty     TEXT NOT NULL DEFAULT 'confirmed' CHECK (certainty IN ('confirmed', 'derived', 'inferred')),
    source        TEXT NOT NULL DEFAULT '',
    CHECK (type NOT IN ('time', 'positions', 'points') OR coalesce(value, 0) > 0)
);
CREATE INDEX penalty_session ON penalty(session_id);

CREATE TABLE outcome (
    id            INTEGER PRIMARY KEY,
    season_id     INTEGER NOT NULL REFERENCES season(id) ON DELETE CASCADE,
    championship  TEXT NOT NULL,
    position      INTEGER NOT NULL CHECK (position > 0),
    name          TEXT NOT NULL,
    margin_points INTEGER CHECK (margin_points IS NULL OR margin_points >= 0),
    certainty     TEXT NOT NULL DEFAULT 'confirmed' CHECK (certainty IN ('confirmed', 'derived', 'inferred')),
    note          TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT '',
    UNIQUE (season_id, championship, position)
);

CREATE TABLE standings_note (
    id            INTEGER PRIMARY KEY,
    season_id     INTEGER NOT NULL REFERENCES season(id) ON DELETE CASCADE,
    championship  TEXT NOT NULL,
    after_round   INTEGER NOT NULL CHECK (after_round >= 0),
    after_session TEXT,
    text          TEXT NOT NULL,
    certainty     TEXT NOT NULL DEFAULT 'confirmed' CHECK (certainty IN ('confirmed', 'derived', 'inferred')),
    source        TEXT NOT NULL DEFAULT ''
);

-- Every admin change: who, when, what, before and after (JSON), and what undid it.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    season_id   INTEGER REFERENCES season(id),
    target      TEXT NOT NULL DEFAULT '',
    before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json  TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
    undone_by   INTEGER REFERENCES audit_log(id)
);

-- A result or penalty must be for an entry of the session's own season.
CREATE TRIGGER result_entry_in_season BEFORE INSERT ON result
WHEN (SELECT season_id FROM entry WHERE id = NEW.entry_id)
  IS NOT (SELECT r.season_id FROM session s JOIN round r ON r.id = s.round_id WHERE s.id = NEW.session_id)
BEGIN SELECT RAISE(ABORT, 'result for an entry not in that season'); END;

CREATE TRIGGER result_entry_in_season_upd BEFORE UPDATE OF entry_id, session_id ON result
WHEN (SELECT season_id FROM entry WHERE id = NEW.entry_id)
  IS NOT (SELECT r.season_id FROM session s JOIN round r ON r.id = s.round_id WHERE s.id = NEW.session_id)
BEGIN SELECT RAISE(ABORT, 'result for an entry not in that season'); END;

CREATE TRIGGER penalty_entry_in_season BEFORE INSERT ON penalty
WHEN (SELECT season_id FROM entry WHERE id = NEW.entry_id)
  IS NOT (SELECT r.season_id FROM session s JOIN round r ON r.id = s.round_id WHERE s.id = NEW.session_id)
BEGIN SELECT RAISE(ABORT, 'penalty for an entry not in that season'); END;
