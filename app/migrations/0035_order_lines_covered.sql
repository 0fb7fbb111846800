-- The sale lines in orders with their quantity and kit: the orders list
-- reads every imported order's lines from this index alone. Without them
-- each line read its row of the log too, and listing 100,000 orders took
-- 3.5 s on a shop of a million events (BenchmarkOrders).
DROP INDEX events_order;
CREATE INDEX events_order ON changes (order_id, sku_n, at, channel, qty, kit_id) WHERE entity = 'sale' AND order_id <> '';
