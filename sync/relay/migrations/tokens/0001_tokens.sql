-- hash is SHA-256 of the whole token; the token itself is never stored.
-- shop is NULL until the first device that uses the token binds it.
CREATE TABLE tokens (
	id      TEXT PRIMARY KEY,
	hash    BLOB NOT NULL,
	label   TEXT NOT NULL DEFAULT '',
	shop    TEXT,
	created TEXT NOT NULL,
	revoked TEXT
);

CREATE INDEX tokens_shop ON tokens (shop);
