-- Each device signs the changes it makes (DESIGN.md section 6): the key
-- each origin signs with, bound by the first of its points that verified,
-- and the signed points this device holds, so it can forward another
-- device's changes cut where that device signed them. Points of this
-- device's own changes are kept too: its next batch continues the chain
-- from the last one.
CREATE TABLE device_keys (
	origin TEXT PRIMARY KEY,
	key    BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE chain_points (
	origin TEXT    NOT NULL,
	seq    INTEGER NOT NULL,
	sig    TEXT    NOT NULL,
	PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
