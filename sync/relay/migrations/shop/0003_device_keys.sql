-- Each device signs the changes it makes (DESIGN.md section 6): the last
-- change of each run a device signed carries its signed point, kept to be
-- forwarded with it, and the key each origin signs with is bound by the
-- first point of it that verified.
ALTER TABLE changes ADD COLUMN sig TEXT NOT NULL DEFAULT '';

CREATE TABLE device_keys (
	origin TEXT PRIMARY KEY,
	key    BLOB NOT NULL
) WITHOUT ROWID;
