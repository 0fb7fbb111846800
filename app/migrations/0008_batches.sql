-- A batch can be cancelled: the units not yet received will not come, so
-- they leave on order. It is a record field like the others, merged last
-- writer wins; 0 means not cancelled, else when (unix milliseconds), so a
-- report as of an earlier day still counts them on order.
ALTER TABLE batches ADD COLUMN cancelled_at INTEGER NOT NULL DEFAULT 0;

-- A build without this column kept the cancellations other devices sent
-- in field_versions only (a field it did not know). The column takes the
-- highest-stamped version that is a time, as applying it would have: a
-- whole number without sign or leading zero, which is all a device writes.
UPDATE batches SET cancelled_at = coalesce((
	SELECT CAST(CAST(fv.value AS TEXT) AS INTEGER) FROM field_versions fv
	WHERE fv.entity = 'batch' AND fv.entity_id = batches.id AND fv.field = 'cancelled_at'
		AND (CAST(fv.value AS TEXT) = '0' OR (CAST(fv.value AS TEXT) GLOB '[1-9]*'
			AND NOT CAST(fv.value AS TEXT) GLOB '*[^0-9]*' AND length(CAST(fv.value AS TEXT)) <= 18))
	ORDER BY fv.stamp DESC LIMIT 1), 0);
