-- 0006: running a season from Discord. A round can be postponed or cancelled (it stays in the
-- calendar) and has its circuit's time zone (local start times become exact instants); a
-- qualifying classification is kept per race whose grid and pole it sets.
ALTER TABLE round ADD COLUMN status TEXT NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'postponed', 'cancelled'));
ALTER TABLE round ADD COLUMN timezone TEXT;

CREATE TABLE qualifying_result (
    race_session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    entry_id        INTEGER NOT NULL REFERENCES entry(id),
    position        INTEGER CHECK (position IS NULL OR position > 0),
    status          TEXT NOT NULL CHECK (status IN ('classified', 'DNF', 'DNS', 'DSQ', 'NC')),
    best_lap_ms     INTEGER CHECK (best_lap_ms IS NULL OR best_lap_ms > 0),
    PRIMARY KEY (race_session_id, entry_id)
);
