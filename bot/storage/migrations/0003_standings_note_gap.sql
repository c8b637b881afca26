-- 0003: a published standings fact can name the leader, a rival and the gap between them,
-- so the title maths can start from a published gap when the computed totals are incomplete.
ALTER TABLE standings_note ADD COLUMN leader TEXT;
ALTER TABLE standings_note ADD COLUMN rival TEXT;
ALTER TABLE standings_note ADD COLUMN gap_points INTEGER CHECK (gap_points IS NULL OR gap_points >= 0);
