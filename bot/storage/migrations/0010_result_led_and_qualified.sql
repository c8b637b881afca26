-- 0010: per result, whether the car led at least one lap (the lap-led bonus) and its place in
-- the qualifying that set the race's grid (a qualifying that scores). NULL: unknown.
ALTER TABLE result ADD COLUMN led_lap INTEGER CHECK (led_lap IS NULL OR led_lap IN (0, 1));
ALTER TABLE result ADD COLUMN qualified INTEGER CHECK (qualified IS NULL OR qualified >= 1);
