-- Changes from other devices that apply set aside. Such a change is in the
-- log like any other, so the vector moves past it and it is forwarded, but
-- it takes no effect here: an event's row holds no ledger fields, a
-- record's fields never reach field_versions. Never synced: each device
-- decides for itself, by the same rules, from the change alone (and, for
-- its clock stamp, the wall clock when it arrived).
CREATE TABLE quarantine (
	origin TEXT NOT NULL,
	seq    INTEGER NOT NULL,
	reason TEXT NOT NULL,    -- why, in a sentence for a maker
	at     INTEGER NOT NULL, -- when it arrived, unix milliseconds
	PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
CREATE INDEX quarantine_at ON quarantine (at);

-- Per device, the furthest-ahead clock stamp accepted from it (more than
-- five minutes ahead of the wall clock on arrival, at most a day), for the
-- clock_ahead alert. Never synced.
CREATE TABLE clock_ahead (
	origin TEXT PRIMARY KEY,
	wall   INTEGER NOT NULL, -- the stamp's wall milliseconds
	ahead  INTEGER NOT NULL, -- milliseconds ahead of the wall clock on arrival
	at     INTEGER NOT NULL  -- when it arrived, unix milliseconds
) WITHOUT ROWID;
