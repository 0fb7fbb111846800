-- An imported order the channel cancelled or refunded after its lines were
-- imported (a later export shows it so): 0 while it was not, else when
-- (unix milliseconds), the file's cancel time or the import's. Not shipped,
-- it is neither open nor delayed, so its buyer is never told it ships, and
-- Today asks the maker to void its lines. A record field like shipped_at,
-- written once.
ALTER TABLE orders ADD COLUMN withdrawn_at INTEGER NOT NULL DEFAULT 0;

-- Today reads the few orders cancelled since their import on each opening.
CREATE INDEX orders_withdrawn ON orders (withdrawn_at) WHERE withdrawn_at > 0;
