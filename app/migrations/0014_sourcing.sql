-- Sourcing (issue 14): the shop's yearly holding rate, and factories'
-- quotes for SKUs. A quote is a record like any other, merged field by
-- field; its id derives from the factory and the SKU, so two devices
-- quoting the same pair offline make one quote (and a visible conflict).
ALTER TABLE shop ADD COLUMN holding_rate INTEGER NOT NULL DEFAULT 25;

CREATE TABLE quotes (
	id         TEXT PRIMARY KEY,
	factory_id TEXT NOT NULL DEFAULT '',
	sku_id     TEXT NOT NULL DEFAULT '',
	unit_cost  INTEGER NOT NULL DEFAULT 0,
	shipping   INTEGER NOT NULL DEFAULT 0,
	moq        INTEGER NOT NULL DEFAULT 0,
	multiple   INTEGER NOT NULL DEFAULT 1,
	lead_days  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quotes_sku ON quotes (sku_id);
