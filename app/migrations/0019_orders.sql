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

-- A SKU's handle on its channel (Shopify's product handle), kept from the
-- products file that added it, so the inventory export names the product
-- as the channel does, whatever its title became.
ALTER TABLE skus ADD COLUMN handle TEXT NOT NULL DEFAULT '';

-- The sale lines of every order, the till's baskets and the channels'
-- imported orders: what is bought together (bundle ideas) and the orders
-- list each read this index alone.
CREATE INDEX events_order ON changes (order_id, sku_n, at, channel) WHERE entity = 'sale' AND order_id <> '';
