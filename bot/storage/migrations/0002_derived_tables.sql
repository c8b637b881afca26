-- 0002: derived tables, rewritten in the same transaction as every change that moves them,
-- so the database itself always holds a classification and standings that match its facts.

CREATE TABLE derived_classification (
    session_id      INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    entry_id        INTEGER NOT NULL REFERENCES entry(id),
    position        INTEGER CHECK (position IS NULL OR position > 0),
    status          TEXT,
    time_ms         INTEGER,
    PRIMARY KEY (session_id, entry_id)
) WITHOUT ROWID;

CREATE TABLE derived_standings (
    season_id     INTEGER NOT NULL REFERENCES season(id) ON DELETE CASCADE,
    championship  TEXT NOT NULL,
    after_round   INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    key           INTEGER NOT NULL,  -- driver id, or team id for a teams championship
    name          TEXT NOT NULL,
    points        INTEGER NOT NULL,
    exact         INTEGER NOT NULL CHECK (exact IN (0, 1)),
    wins          INTEGER NOT NULL,
    PRIMARY KEY (season_id, championship, after_round, key)
) WITHOUT ROWID;

CREATE INDEX audit_log_season ON audit_log(season_id, id);
