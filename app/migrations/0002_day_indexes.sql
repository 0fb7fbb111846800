-- Ledger indexes for applying sync batches fast, and caches that keep
-- reports from reading a shop's whole history.

-- Sync applies another device's changes in time order. The old index led
-- by the SKU put a batch of 500 sales on ~500 random pages, and writing
-- them was most of apply's time. Now the wide, covering index leads with
-- time, so a batch lands on neighbouring pages; whole-shop reports scan it
-- for the rate window. One SKU's events are found through a narrow index
-- led by the day (UTC, at / 86400000): a seek a day (see app/stock.go).
DROP INDEX events_sku_at;
DROP INDEX events_factory;
CREATE INDEX events_at ON events (at, sku_id, hlc, kind, qty, held, restock, batch_id, factory_id);
CREATE INDEX events_day_sku ON events (at / 86400000, sku_id);

-- Returns are few: their index holds what the return reports and the
-- quality and packaging rules read, so those never visit the table.
DROP INDEX events_returns;
CREATE INDEX events_returns ON events (at, factory_id, sku_id, reason, qty) WHERE kind = 'return';
CREATE INDEX events_factory_returns ON events (factory_id, at, reason, qty) WHERE kind = 'return';

-- Voiding a sale checks that it was not voided already.
CREATE INDEX events_voids ON events (ref) WHERE kind = 'void';

-- A cache derived from events, never synced: units sold (sales less voids)
-- per UTC day and factory ('' for digital SKUs), kept as events are
-- inserted, so the quality rule reads 90 rows a factory instead of 90 days
-- of sales.
CREATE TABLE factory_sales (
	day        INTEGER NOT NULL,
	factory_id TEXT NOT NULL,
	sold       INTEGER NOT NULL,
	PRIMARY KEY (day, factory_id)
) WITHOUT ROWID;
INSERT INTO factory_sales (day, factory_id, sold)
	SELECT at / 86400000, factory_id, sum(CASE kind WHEN 'sale' THEN qty ELSE -qty END) FROM events
	WHERE kind IN ('sale', 'void') GROUP BY at / 86400000, factory_id;

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
