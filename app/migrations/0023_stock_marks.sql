-- The few events by SKU that tell where its stock stood without replaying
-- all before them: stocktakes and deliveries, and anything away from main.
-- A sale of a SKU that no report has touched starts its replay at the last
-- count at main (a count sets what is on hand; deliveries still held for
-- QA give what is held), instead of at the first day of its ledger. Sales
-- at main, nearly every event, are not in it.
CREATE INDEX events_marks ON changes (sku_n, at, entity, location, to_location, held, batch_id)
	WHERE entity IN ('count', 'receipt') OR location <> '' OR to_location <> '';
