-- A location removed (retired) by `location remove` or the desktop's
-- Remove…: it leaves lists and pickers, but every event at it stays valid
-- and its history still names it. A record field like any other, so it
-- syncs, last writer wins, and adding the location again brings it back.
ALTER TABLE locations ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
