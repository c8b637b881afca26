-- 0009: a car classified but not running at the flag (the dagger in results tables): the
-- season's rules say whether it scores by position.
ALTER TABLE result ADD COLUMN running INTEGER CHECK (running IS NULL OR running IN (0, 1));
