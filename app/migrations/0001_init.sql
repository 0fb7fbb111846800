-- Microshop's first schema. Never edit a shipped migration: add a new file.

-- meta holds this replica's own settings: shop id, device id, clock, acks.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- Records: materialized from per-field changes, merged last writer wins.
CREATE TABLE shop (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL DEFAULT '',
	currency      TEXT NOT NULL DEFAULT 'EUR',
	hold_percent  INTEGER NOT NULL DEFAULT 10,
	handling_days INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE factories (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL DEFAULT 'workshop',
	location     TEXT NOT NULL DEFAULT 'local',
	lead_days    INTEGER NOT NULL DEFAULT 0,
	moq          INTEGER NOT NULL DEFAULT 0,
	multiple     INTEGER NOT NULL DEFAULT 1,
	established  INTEGER NOT NULL DEFAULT 0,
	paused       INTEGER NOT NULL DEFAULT 0,
	pause_reason TEXT NOT NULL DEFAULT '',
	resumed_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX factories_name ON factories (name COLLATE NOCASE);

CREATE TABLE skus (
	id         TEXT PRIMARY KEY,
	code       TEXT NOT NULL DEFAULT '',
	name       TEXT NOT NULL DEFAULT '',
	path       TEXT NOT NULL DEFAULT 'handmade',
	factory_id TEXT NOT NULL DEFAULT '',
	price      INTEGER NOT NULL DEFAULT 0,
	cost       INTEGER NOT NULL DEFAULT 0,
	lead_days  INTEGER,
	min_cover  INTEGER,
	max_cover  INTEGER,
	archived   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX skus_code ON skus (code COLLATE NOCASE);
CREATE INDEX skus_factory ON skus (factory_id);

CREATE TABLE batches (
	id          TEXT PRIMARY KEY,
	sku_id      TEXT NOT NULL DEFAULT '',
	factory_id  TEXT NOT NULL DEFAULT '',
	ordered     INTEGER NOT NULL DEFAULT 0,
	unit_cost   INTEGER NOT NULL DEFAULT 0,
	ordered_at  INTEGER NOT NULL DEFAULT 0,
	expected_at INTEGER NOT NULL DEFAULT 0,
	qa          TEXT NOT NULL DEFAULT 'pending',
	qa_at       INTEGER NOT NULL DEFAULT 0,
	qa_note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX batches_sku ON batches (sku_id);
CREATE INDEX batches_factory ON batches (factory_id);
CREATE INDEX batches_ordered ON batches (ordered_at, id);

-- Events: insert-only, merged by set union. qty is as typed (an adjustment
-- is signed); kind says how it moves stock.
CREATE TABLE events (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	sku_id     TEXT NOT NULL,
	at         INTEGER NOT NULL,
	hlc        TEXT NOT NULL,
	qty        INTEGER NOT NULL,
	held       INTEGER NOT NULL DEFAULT 0,
	batch_id   TEXT NOT NULL DEFAULT '',
	factory_id TEXT NOT NULL DEFAULT '',
	price      INTEGER NOT NULL DEFAULT 0,
	channel    TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL DEFAULT '',
	restock    INTEGER NOT NULL DEFAULT 0,
	note       TEXT NOT NULL DEFAULT '',
	ref        TEXT NOT NULL DEFAULT ''
);
-- A SKU's movements in time order, holding every column the stock replay
-- reads, so a report never visits the table itself.
CREATE INDEX events_sku_at ON events (sku_id, at, hlc, kind, qty, held, restock, batch_id);
-- Returns are few among many sales: a partial index keeps them at hand
-- without slowing every sale's insert.
CREATE INDEX events_returns ON events (at) WHERE kind = 'return';
CREATE INDEX events_batch ON events (batch_id, kind, at, qty, held) WHERE batch_id <> '';
-- Units sold and returned per factory, for the quality pause rule.
CREATE INDEX events_factory ON events (factory_id, kind, at, qty) WHERE factory_id <> '';

-- The change log: every change this replica made or applied.
CREATE TABLE changes (
	origin    TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	hlc       TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	body      BLOB NOT NULL,
	PRIMARY KEY (origin, seq)
) WITHOUT ROWID;

-- Per origin, the highest seq held with no gap below it.
CREATE TABLE vector (
	origin TEXT PRIMARY KEY,
	seq    INTEGER NOT NULL
) WITHOUT ROWID;

-- Every version of every record field ever seen, with the stamps it
-- replaced: the winner is the highest stamp, and a version no other version
-- replaced is a conflict the user can see.
CREATE TABLE field_versions (
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	field     TEXT NOT NULL,
	stamp     TEXT NOT NULL,
	base      TEXT NOT NULL DEFAULT '[]',
	value     BLOB NOT NULL,
	PRIMARY KEY (entity, entity_id, field, stamp)
) WITHOUT ROWID;

CREATE TABLE conflicts (
	entity     TEXT NOT NULL,
	entity_id  TEXT NOT NULL,
	field      TEXT NOT NULL,
	lost_stamp TEXT NOT NULL,
	lost_value BLOB NOT NULL,
	kept_stamp TEXT NOT NULL,
	kept_value BLOB NOT NULL,
	PRIMARY KEY (entity, entity_id, field, lost_stamp)
) WITHOUT ROWID;

-- A cache, never synced: a SKU's stock level after every movement before
-- `at`, so reports replay only what came after. Any movement at or before
-- `at` that arrives later deletes the row; it is rebuilt on the next report.
CREATE TABLE stock_checkpoints (
	sku_id  TEXT PRIMARY KEY,
	at      INTEGER NOT NULL,
	on_hand INTEGER NOT NULL,
	held    INTEGER NOT NULL
) WITHOUT ROWID;
