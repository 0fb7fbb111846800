-- The public half of a sealed shop's write key: the relay stores only
-- batches signed with it (DESIGN.md section 6). NULL for a shop not sealed.
ALTER TABLE relay_shops ADD COLUMN write_key BYTEA;
