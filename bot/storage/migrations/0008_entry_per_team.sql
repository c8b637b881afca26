-- rebuild: foreign keys are off while the entry table is rebuilt, and checked before commit.
-- 0008: a driver may have one entry per team in a season (rounds that do not overlap: a
-- driver who changes team), and a regular's number may pass to another driver between
-- rounds. The loader and the admin checks keep numbers apart round by round.
PRAGMA legacy_alter_table = ON;
CREATE TABLE entry_new (
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
    source     TEXT NOT NULL DEFAULT ''
);
INSERT INTO entry_new (id, season_id, driver_id, team_id, car_number, class, rookie, junior,
                       guest, rounds, certainty, note, source)
    SELECT id, season_id, driver_id, team_id, car_number, class, rookie, junior,
           guest, rounds, certainty, note, source FROM entry;
DROP TABLE entry;
ALTER TABLE entry_new RENAME TO entry;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX entry_season_driver ON entry(season_id, driver_id);
CREATE INDEX entry_season_car ON entry(season_id, car_number);
