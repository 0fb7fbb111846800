-- The till (DESIGN.md section 8): a sale line belongs to an order (a
-- basket) paid one way, may carry the discount taken off each unit, and a
-- return may carry the refund paid and how. Like every event field they
-- are in the change's body and copied into its log row for queries.
ALTER TABLE changes ADD COLUMN order_id TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN payment TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN discount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE changes ADD COLUMN refund INTEGER NOT NULL DEFAULT 0;

-- A build without these columns kept such fields from newer devices in
-- the bodies only; they are read from there once.
UPDATE changes SET
	order_id = ifnull(json_extract(body, '$.order'), ''),
	payment = ifnull(json_extract(body, '$.payment'), ''),
	discount = ifnull(json_extract(body, '$.discount'), 0),
	refund = ifnull(json_extract(body, '$.refund'), 0)
WHERE at IS NOT NULL AND entity IN ('sale', 'return') AND json_valid(body)
	AND (instr(body, '"order"') OR instr(body, '"payment"') OR instr(body, '"refund"') OR instr(body, '"discount"'));

DROP VIEW events;
CREATE VIEW events AS
	SELECT entity_id AS id, entity AS kind, sku_id, sku_n, at, hlc, qty, held, batch_id, factory_id,
		price, channel, reason, restock, note, ref, order_id, payment, discount, refund, origin
	FROM changes WHERE at IS NOT NULL;
