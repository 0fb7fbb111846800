-- A SKU's options as a variant on its channel (Shopify's Option1..3 name
-- and value), kept from the product file that added it, so the inventory
-- file written back names each variant as the channel does: Shopify finds
-- a variant by its product's handle and its options.
ALTER TABLE skus ADD COLUMN options TEXT NOT NULL DEFAULT '';
