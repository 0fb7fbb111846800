-- Locations (DESIGN.md section 8): every event happens at a location, by
-- its id; the empty id is main, where everything before this lived. A move
-- takes units from `location` to `to_location`. Like every event field they
-- are in the change's body and copied into its log row for queries.
ALTER TABLE changes ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN to_location TEXT NOT NULL DEFAULT '';

DROP VIEW events;
CREATE VIEW events AS
	SELECT entity_id AS id, entity AS kind, sku_id, sku_n, at, hlc, qty, held, batch_id, factory_id,
		price, channel, reason, restock, note, ref, order_id, payment, discount, refund, origin,
		location, to_location
	FROM changes WHERE at IS NOT NULL;

-- A location's record: its name as first typed. Main has none.
CREATE TABLE locations (
	id   TEXT PRIMARY KEY,
	name TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- A checkpoint of a SKU with stock away from main holds each location's
-- level as JSON {"id":[on_hand,held]}; empty when all of it is at main.
ALTER TABLE stock_checkpoints ADD COLUMN places TEXT NOT NULL DEFAULT '';

-- The whole-shop replay reads every row of its span from this index alone,
-- and so do margins: one index for both, where there were two, so every
-- event logged costs one index insert less.
DROP INDEX events_at;
DROP INDEX events_money;
CREATE INDEX events_at ON changes (at, sku_n, entity, qty, held, restock, batch_id, location, to_location, price, refund) WHERE at IS NOT NULL;

-- A cache, never synced, like stock_checkpoints: a SKU's level at the start
-- of a recent day, so a sale checks its stock by replaying days, not the
-- ninety of a report's rate window. Reports keep their own checkpoints at
-- their window's start; one table for both would make each move the other.
CREATE TABLE recent_levels (
	sku_id  TEXT PRIMARY KEY,
	at      INTEGER NOT NULL,
	on_hand INTEGER NOT NULL,
	held    INTEGER NOT NULL,
	upto    INTEGER NOT NULL,
	places  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
