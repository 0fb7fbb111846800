-- A quote withdrawn (the factory no longer offers it, it expired, or it
-- was recorded for the wrong factory) stays as a record, as every record
-- does, but is no longer a candidate in `source`. Quoting again brings it
-- back.
ALTER TABLE quotes ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
