-- Kits (issue 14): a SKU with path 'kit' lists its parts, as JSON
-- [{"sku_id","qty"}], in one record field, so two devices editing the
-- parts at once is one visible conflict.
ALTER TABLE skus ADD COLUMN parts TEXT NOT NULL DEFAULT '';
