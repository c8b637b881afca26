-- 0007: a race can score on its own kind of scale (a sprint) and can be flagged as reduced
-- (stopped early: the season's reduced-points fraction applies).
ALTER TABLE session ADD COLUMN scoring TEXT;
ALTER TABLE session ADD COLUMN reduced INTEGER NOT NULL DEFAULT 0 CHECK (reduced IN (0, 1));
