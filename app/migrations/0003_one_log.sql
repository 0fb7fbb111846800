-- One row per change. An event used to be stored twice, as a change in the
-- log and as a row of the events table, each with its own indexes; applying
-- a sync batch wrote both. Now the log row of an event holds its fields
-- too, `events` is a view of those rows, and the ledger indexes key SKUs by
-- a small local number instead of their 36-character id, so a batch dirties
-- about half as many pages. See "Performance" in the README.

-- A local number per SKU id met in an event; never synced.
CREATE TABLE sku_keys (
	n  INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE
);
INSERT INTO sku_keys (id) SELECT DISTINCT sku_id FROM events ORDER BY sku_id;

CREATE TABLE log (
	n         INTEGER PRIMARY KEY, -- local arrival order
	origin    TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	hlc       TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	body      BLOB NOT NULL,
	-- An event's fields, read from its body when it was logged; NULL for
	-- records and for bodies this build cannot read as an event.
	sku_id     TEXT,
	sku_n      INTEGER,
	at         INTEGER,
	qty        INTEGER,
	held       INTEGER,
	batch_id   TEXT,
	factory_id TEXT,
	price      INTEGER,
	channel    TEXT,
	reason     TEXT,
	restock    INTEGER,
	note       TEXT,
	ref        TEXT
);
INSERT INTO log (origin, seq, hlc, entity, entity_id, body,
		sku_id, sku_n, at, qty, held, batch_id, factory_id, price, channel, reason, restock, note, ref)
	SELECT c.origin, c.seq, c.hlc, c.entity, c.entity_id, c.body,
		e.sku_id, k.n, e.at, e.qty, e.held, e.batch_id, e.factory_id, e.price, e.channel, e.reason, e.restock, e.note, e.ref
	FROM changes c
	LEFT JOIN events e ON e.id = c.entity_id AND e.kind = c.entity AND e.hlc = c.hlc
	LEFT JOIN sku_keys k ON k.id = e.sku_id
	ORDER BY c.hlc;
DROP TABLE events;
DROP TABLE changes;
ALTER TABLE log RENAME TO changes;

CREATE UNIQUE INDEX changes_origin_seq ON changes (origin, seq);
-- An event is held once, whichever change brought it.
CREATE UNIQUE INDEX events_id ON changes (entity_id) WHERE at IS NOT NULL;
-- The ledger: by time for whole-shop reports and sync batches, by day and
-- SKU for one SKU (see app/stock.go). Two events of a SKU at the same
-- moment are ordered by HLC; that is rare enough for reports to read them
-- again in order, so the index does not carry the stamps.
CREATE INDEX events_at ON changes (at, sku_n, entity, qty, held, restock, batch_id) WHERE at IS NOT NULL;
CREATE INDEX events_day_sku ON changes (at / 86400000, sku_n) WHERE at IS NOT NULL;
CREATE INDEX events_batch ON changes (batch_id, entity, at, qty, held) WHERE batch_id <> '';
CREATE INDEX events_returns ON changes (at, factory_id, sku_id, reason, qty) WHERE entity = 'return';
CREATE INDEX events_factory_returns ON changes (factory_id, at, reason, qty) WHERE entity = 'return';
CREATE INDEX events_voids ON changes (ref) WHERE entity = 'void';

CREATE VIEW events AS
	SELECT entity_id AS id, entity AS kind, sku_id, sku_n, at, hlc, qty, held, batch_id, factory_id,
		price, channel, reason, restock, note, ref
	FROM changes WHERE at IS NOT NULL;

-- Stock checkpoints are no longer deleted when an earlier event arrives:
-- deleting them dirtied a page of the table per SKU in every sync batch.
-- Each now records the last log row it has seen, and a report checks it
-- against the events logged since (app/stock.go). The old ones, without
-- that mark, are dropped; the next report makes them again.
DELETE FROM stock_checkpoints;
ALTER TABLE stock_checkpoints ADD COLUMN upto INTEGER NOT NULL DEFAULT 0;
