-- 0004: published season counts with no race attached ("two overall podiums for Perrot"),
-- so a driver's record is never shown below what was published.
CREATE TABLE season_fact (
    id            INTEGER PRIMARY KEY,
    season_id     INTEGER NOT NULL REFERENCES season(id) ON DELETE CASCADE,
    driver        TEXT NOT NULL,
    what          TEXT NOT NULL CHECK (what IN ('wins', 'podiums', 'poles')),
    count         INTEGER NOT NULL CHECK (count >= 0),
    championship  TEXT,
    text          TEXT NOT NULL DEFAULT '',
    certainty     TEXT NOT NULL DEFAULT 'confirmed' CHECK (certainty IN ('confirmed', 'derived', 'inferred')),
    source        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX season_fact_season ON season_fact (season_id);
