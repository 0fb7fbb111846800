-- The day-led index holds every column a stock replay reads, as the
-- time-led one does, so one SKU's replay (a sale of a SKU no report has
-- touched, one SKU's first report, the first report's early SKUs) reads
-- the index alone: a seek a day, where it also read each of its events
-- from the log at a random page. Events at the same moment are put in HLC
-- order after, as the whole-shop scan does.
DROP INDEX events_day_sku;
CREATE INDEX events_day_sku ON changes (at / 86400000, sku_n, at, entity, qty, held, restock, batch_id, location, to_location) WHERE at IS NOT NULL;
