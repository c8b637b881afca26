-- 0005: drop the derived tables of 0002. Nothing read them: every answer is worked out from
-- the facts (results, penalties, entries) into an in-memory season view, and keeping the
-- tables cost every admin change the standings of every round from the change on, worked
-- out on the event loop and written in its transaction (issue 13: the measurements are in
-- the commit). A table of computed results would also go stale when the engine's rules
-- change, while the facts stay true.
DROP TABLE derived_standings;
DROP TABLE derived_classification;
