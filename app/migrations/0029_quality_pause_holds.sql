-- A quality pause holds until a QA pass or a resume lifts it: the moment
-- a return pushed a factory's quality returns over the limit is kept on
-- its record, so later sales that bring the rate back under it, or its
-- returns leaving the 90-day window, do not lift the pause by themselves.
ALTER TABLE factories ADD COLUMN quality_paused_at INTEGER NOT NULL DEFAULT 0;
