DROP INDEX events_sku_at;
DROP INDEX events_factory;
DROP INDEX events_returns;
DROP INDEX events_batch;

-- Indexes that lead with the event's day (UTC, at / 86400000). Sync
-- applies another device's changes in time order: an index led by the SKU
-- put a batch of 500 sales on ~500 random pages, and writing those pages
-- was most of apply's time; led by the day, the batch lands on a few
-- dozen. Per-SKU reads seek day by day (see app/stock.go); whole-shop
-- reports read the window's days in one scan.
CREATE INDEX events_day_sku ON events (at / 86400000, sku_id, at, hlc, kind, qty, held, restock, batch_id);
-- Units sold and returned per factory, for the quality pause rule.
CREATE INDEX events_day_factory ON events (at / 86400000, factory_id, kind, at, qty) WHERE factory_id <> '';

-- Returns are few: their index holds what the return reports and the
-- quality and packaging rules read, so those never visit the table.
CREATE INDEX events_returns ON events (at, factory_id, sku_id, reason, qty) WHERE kind = 'return';
CREATE INDEX events_batch ON events (batch_id, kind, at, qty, held) WHERE batch_id <> '';
-- Voiding a sale checks that it was not voided already.
CREATE INDEX events_voids ON events (ref) WHERE kind = 'void';

-- A cache derived from events, never synced: units sold (sales less voids)
-- per factory and UTC day, kept as events are inserted, so the quality
-- rule reads 90 rows a factory instead of 90 days of sales.
CREATE TABLE factory_sales (
	factory_id TEXT NOT NULL,
	day        INTEGER NOT NULL,
	sold       INTEGER NOT NULL,
	PRIMARY KEY (factory_id, day)
) WITHOUT ROWID;
INSERT INTO factory_sales (factory_id, day, sold)
	SELECT factory_id, at / 86400000, sum(CASE kind WHEN 'sale' THEN qty ELSE -qty END) FROM events
	WHERE factory_id <> '' AND kind IN ('sale', 'void') GROUP BY factory_id, at / 86400000;

-- A factory's passed batches are counted on every report (three make it
-- established): the index answers that without visiting each batch.
DROP INDEX batches_factory;
CREATE INDEX batches_factory ON batches (factory_id, qa);

-- A cache kept on the batch row, never synced: the report end as of which
-- the batch was seen settled (every unit received, none held, no QA
-- decision). Reports skip settled batches, which are most of a shop's
-- history; a receipt for the batch or any change to it clears the mark.
ALTER TABLE batches ADD COLUMN settled_at INTEGER;
CREATE INDEX batches_settled ON batches (settled_at);

-- Batches with a QA decision, for the whole-shop report: only their SKUs
-- can have held units released after a stock checkpoint.
CREATE INDEX batches_decided ON batches (qa_at) WHERE qa <> 'pending';
