-- Imported orders (DESIGN.md section 7): an order is its sale lines, by
-- channel and the channel's order number; whether it shipped is a record,
-- written once a file says so and never unset, so an older export read
-- again cannot reopen it.
CREATE TABLE orders (
	id         TEXT PRIMARY KEY,
	channel    TEXT NOT NULL DEFAULT '',
	number     TEXT NOT NULL DEFAULT '',
	shipped_at INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX orders_number ON orders (channel, number);

-- The imported sale lines by order, for the orders list; the till's own
-- baskets are not in it, so a sale at the stall pays nothing for it.
CREATE INDEX events_imported ON changes (channel, order_id, at) WHERE entity = 'sale' AND channel IN ('etsy', 'shopify');

-- A SKU's handle on its channel (Shopify's product handle), kept from the
-- products file that added it, so the inventory export names the product
-- as the channel does, whatever its title became.
ALTER TABLE skus ADD COLUMN handle TEXT NOT NULL DEFAULT '';

-- The sale lines of every order, for what is bought together (bundle
-- ideas): a scan of this index alone finds the orders of several lines.
CREATE INDEX events_order ON changes (order_id, sku_n, at) WHERE entity = 'sale' AND order_id <> '';
