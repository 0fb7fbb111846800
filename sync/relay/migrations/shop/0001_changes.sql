-- One database per shop. The shop row guards against a file that was
-- copied under another shop's name.
CREATE TABLE shop (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	shop_id TEXT    NOT NULL,
	schema  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE changes (
	origin    TEXT    NOT NULL,
	seq       INTEGER NOT NULL CHECK (seq >= 1),
	hlc       TEXT    NOT NULL,
	entity    TEXT    NOT NULL,
	entity_id TEXT    NOT NULL,
	body      BLOB    NOT NULL,
	PRIMARY KEY (origin, seq)
) WITHOUT ROWID;

-- The highest sequence held per origin. Changes are accepted only densely,
-- so this is the shop's version vector.
CREATE TABLE heads (
	origin TEXT    PRIMARY KEY,
	seq    INTEGER NOT NULL
) WITHOUT ROWID;
