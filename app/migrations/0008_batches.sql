-- A batch can be cancelled: the units not yet received will not come, so
-- they leave on order. It is a record field like the others, merged last
-- writer wins; 0 means not cancelled, else when (unix milliseconds), so a
-- report as of an earlier day still counts them on order.
ALTER TABLE batches ADD COLUMN cancelled_at INTEGER NOT NULL DEFAULT 0;
