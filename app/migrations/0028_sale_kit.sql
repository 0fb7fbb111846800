-- A part's sale line names the kit it was sold in, and how many kits, so
-- the sales list and the close of the day show the kit as the till rang
-- it up. Like every event field they are in the change's body and copied
-- into its log row for queries. Kits sold before carry neither and are
-- listed as their parts.
ALTER TABLE changes ADD COLUMN kit_id TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN kit_qty INTEGER NOT NULL DEFAULT 0;

DROP VIEW events;
CREATE VIEW events AS
	SELECT entity_id AS id, entity AS kind, sku_id, sku_n, at, hlc, qty, held, batch_id, factory_id,
		price, channel, reason, restock, note, ref, order_id, payment, discount, refund, origin,
		location, to_location, kit_id, kit_qty
	FROM changes WHERE at IS NOT NULL;
