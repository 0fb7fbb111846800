-- Every shop's change log and the tokens of a relay whose processes share
-- one PostgreSQL database (DESIGN.md section 5).

-- One row per shop. Appends lock it, so relays taking the same shop's
-- batches at once commit them one after the other.
CREATE TABLE relay_shops (
	shop   TEXT    PRIMARY KEY,
	schema INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE relay_changes (
	shop      TEXT   NOT NULL,
	origin    TEXT   NOT NULL,
	seq       BIGINT NOT NULL CHECK (seq >= 1),
	hlc       TEXT   NOT NULL,
	entity    TEXT   NOT NULL,
	entity_id TEXT   NOT NULL,
	body      BYTEA  NOT NULL,
	PRIMARY KEY (shop, origin, seq)
);

-- The highest sequence held per shop and origin: the shop's vector, as
-- changes are accepted only densely.
CREATE TABLE relay_heads (
	shop   TEXT   NOT NULL,
	origin TEXT   NOT NULL,
	seq    BIGINT NOT NULL,
	PRIMARY KEY (shop, origin)
);

-- hash is SHA-256 of the whole token; the token itself is never stored.
-- shop is NULL until the first device that uses the token binds it.
CREATE TABLE relay_tokens (
	made    BIGSERIAL   NOT NULL,
	id      TEXT        PRIMARY KEY,
	hash    BYTEA       NOT NULL,
	label   TEXT        NOT NULL DEFAULT '',
	shop    TEXT,
	created TIMESTAMPTZ NOT NULL,
	revoked TIMESTAMPTZ
);

CREATE INDEX relay_tokens_shop ON relay_tokens (shop);
-- Every relay counts the revoked tokens each second (Revocations): an
-- index of those alone keeps that cheap however many tokens there are.
CREATE INDEX relay_tokens_revoked ON relay_tokens (id) WHERE revoked IS NOT NULL;
