-- Kits (issue 14): a SKU with path 'kit' lists its parts, as JSON
-- [{"sku_id","qty"}], in one record field, so two devices editing the
-- parts at once is one visible conflict.
ALTER TABLE skus ADD COLUMN parts TEXT NOT NULL DEFAULT '';

-- Margins read 90 days of sales, voids and returns with their prices: the
-- time-led ledger index holds no price, so this one does, and a margins
-- report never visits the log rows (app/margins.go).
CREATE INDEX events_money ON changes (at, sku_n, entity, qty, price, restock, refund) WHERE at IS NOT NULL;
