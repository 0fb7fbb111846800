-- A SKU's batches with a QA decision, by the time of the decision: what
-- a replay of one SKU from a checkpoint or a count reads to release or
-- drop the units held before it. Nearly every batch is pending (holds
-- stop once a factory is established), so the index is small, and the
-- replay no longer looks up each of the SKU's batches in the table.
CREATE INDEX batches_sku_decided ON batches (sku_id, qa_at) WHERE qa <> 'pending';
