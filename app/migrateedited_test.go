package app

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// A shop made by a build that shipped an early text of a migration edited
// since comes through this build's migrations with the schema a new shop
// has: nothing this build reads or drops is missing. Each early text is
// what that build's migration made (git log -p app/migrations names the
// edit); the migrations after it then run as they do on the maker's shop.
func TestAShopMadeBeforeAMigrationWasEditedEndsWithTodaysSchema(t *testing.T) {
	want := schemaOf(t, rawShopAt(t, "", ""))
	for _, c := range []struct {
		name, upTo, early string
		check             func(t *testing.T, db *sql.DB)
	}{
		// 00d4c47, the first command line: events by kind, no batches in order.
		{"0001 of the first command line", "0001_init.sql", `
			DROP INDEX events_returns;
			CREATE INDEX events_kind_at ON events (kind, at);
			DROP INDEX batches_ordered`, nil},
		// 1c0ea6e: units sold by factory first, downloads left out; a
		// download of 3 sold before the upgrade must count.
		{"0002 of the first day indexes", "0002_day_indexes.sql", `
			INSERT INTO events (id, kind, sku_id, at, hlc, qty) VALUES ('sale-1', 'sale', 'download', 1764849600000, 'h', 3);
			DROP TABLE factory_sales;
			CREATE TABLE factory_sales (
				factory_id TEXT NOT NULL,
				day        INTEGER NOT NULL,
				sold       INTEGER NOT NULL,
				PRIMARY KEY (factory_id, day)
			) WITHOUT ROWID;
			INSERT INTO factory_sales (factory_id, day, sold)
				SELECT factory_id, at / 86400000, sum(CASE kind WHEN 'sale' THEN qty ELSE -qty END) FROM events
				WHERE factory_id <> '' AND kind IN ('sale', 'void') GROUP BY factory_id, at / 86400000`,
			func(t *testing.T, db *sql.DB) {
				var sold int
				if err := db.QueryRow(`SELECT coalesce(sum(sold), 0) FROM factory_sales WHERE factory_id = ''`).Scan(&sold); err != nil || sold != 3 {
					t.Errorf("downloads sold before the upgrade: %d (%v); want 3", sold, err)
				}
			}},
		// 4dddbdf: stock checkpoints without the last log row they saw.
		{"0003 of the first single log", "0003_one_log.sql", `
			ALTER TABLE stock_checkpoints DROP COLUMN upto`, nil},
		// 27c58cb: kits without the index of prices.
		{"0015 of the first kits", "0015_kits.sql", `
			DROP INDEX events_money`, nil},
		// b8048aa: locations without recent levels, prices indexed apart.
		{"0016 of the first locations", "0016_locations.sql", `
			DROP TABLE recent_levels;
			DROP INDEX events_at;
			CREATE INDEX events_at ON changes (at, sku_n, entity, qty, held, restock, batch_id, location, to_location) WHERE at IS NOT NULL;
			CREATE INDEX events_money ON changes (at, sku_n, entity, qty, price, restock, refund) WHERE at IS NOT NULL`, nil},
		// bfb71bc: orders without a SKU's Shopify handle, imports indexed apart.
		{"0019 of the first orders", "0019_orders.sql", `
			ALTER TABLE skus DROP COLUMN handle;
			DROP INDEX events_order;
			CREATE INDEX events_imported ON changes (channel, order_id, at) WHERE entity = 'sale' AND channel IN ('etsy', 'shopify')`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := rawShopAt(t, c.upTo, c.early)
			s := newShop(db, "early.db", Options{})
			if err := s.migrate(context.Background()); err != nil {
				t.Fatalf("migrating a shop with the early %s: %v", c.upTo, err)
			}
			if got := schemaOf(t, db); !slices.Equal(got, want) {
				t.Errorf("schema after the migrations differs from a new shop's:\n%s", schemaDiff(got, want))
			}
			if c.check != nil {
				c.check(t, db)
			}
			// A second open finds nothing left to do.
			before := schemaOf(t, db)
			if err := s.migrate(context.Background()); err != nil || !slices.Equal(schemaOf(t, db), before) {
				t.Errorf("a second open changed the schema (%v)", err)
			}
		})
	}
}

// rawShopAt is a database to which the embedded migrations up to upTo
// were applied (all when empty), then early; it holds no shop.
func rawShopAt(t *testing.T, upTo, early string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "early.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	names, err := migrationNames()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		body, err := fs.ReadFile(migrationFiles, "migrations/"+n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if _, err := db.Exec(`INSERT INTO migrations (name, applied_at) VALUES (?, 0)`, n); err != nil {
			t.Fatal(err)
		}
		if n == upTo {
			break
		}
	}
	if early != "" {
		if _, err := db.Exec(early); err != nil {
			t.Fatalf("early text of %s: %v", upTo, err)
		}
	}
	return db
}

// schemaOf lists a database's tables with their columns (a column added
// later comes last, so they are sorted), and its indexes and views as
// written.
func schemaOf(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	type object struct{ kind, name, sql string }
	var objects []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			t.Fatal(err)
		}
		objects = append(objects, o)
	}
	rows.Close()
	space := regexp.MustCompile(`\s+`)
	var schema []string
	for _, o := range objects {
		if o.kind != "table" {
			schema = append(schema, fmt.Sprintf("%s %s: %s", o.kind, o.name, space.ReplaceAllString(o.sql, " ")))
			continue
		}
		cols, err := db.Query(`SELECT name || ' ' || type || CASE "notnull" WHEN 1 THEN ' NOT NULL' ELSE '' END || CASE pk WHEN 0 THEN '' ELSE ' key ' || pk END || coalesce(' DEFAULT ' || dflt_value, '') FROM pragma_table_info(?)`, o.name)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for cols.Next() {
			var c string
			if err := cols.Scan(&c); err != nil {
				t.Fatal(err)
			}
			names = append(names, c)
		}
		cols.Close()
		slices.Sort(names)
		schema = append(schema, fmt.Sprintf("table %s: %s", o.name, strings.Join(names, ", ")))
	}
	return schema
}

func schemaDiff(got, want []string) string {
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "  missing %s\n", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			fmt.Fprintf(&b, "  extra   %s\n", g)
		}
	}
	return b.String()
}

// shippedMigrations is the SHA-256 (first 16 hex digits) of each migration
// as builds shipped it. A shop never runs a migration twice: one made
// before an edit keeps what the first text made.
var shippedMigrations = map[string]string{
	"0001_init.sql":                "51afbe7d721c4bca",
	"0002_day_indexes.sql":         "fde0ae853379375e",
	"0003_one_log.sql":             "ceb04baf684622a2",
	"0004_quarantine.sql":          "dfa514040302c1be",
	"0008_batches.sql":             "706460f0b1874866",
	"0010_till.sql":                "00a25394885fffc8",
	"0014_sourcing.sql":            "2e3029db4130cb90",
	"0015_kits.sql":                "519e17bedcb4d8a8",
	"0016_locations.sql":           "3cd56e8f7fda47a3",
	"0019_orders.sql":              "71123a6c6396b213",
	"0022_device_keys.sql":         "4f88f412db2d425a",
	"0023_stock_marks.sql":         "68eddf16a2cd22b4",
	"0024_day_sku_covering.sql":    "947dd1d788eb00c3",
	"0025_batches_sku_decided.sql": "f70e40d4c7841c88",
	"0026_variant_options.sql":     "f0a7ac7a06ef16b0",
	"0027_quote_withdrawn.sql":     "c4c8f4d52b812738",
	"0028_sale_kit.sql":            "3a1e88cb98ba0cf5",
	"0029_quality_pause_holds.sql": "37858de0fdfb7185",
	"0030_no_refund.sql":           "820d2a91e3125f30",
	"0031_location_retired.sql":    "e7eafb823422f4a4",
	"0032_open_orders.sql":         "1adc32508e074d36",
	"0033_order_withdrawn.sql":     "ac28d65ca9628058",
	"0034_kit_sales.sql":           "83790c0d2a8429b4",
	"0035_order_lines_covered.sql": "e5c09c3d67157bd5",
}

// A migration that shipped is not edited: what an edit adds never reaches
// the shops that ran it before (six such edits broke old shops). Put the
// change in a new migration, and add the new one's hash here. An edit that
// changes only how a migration runs, not what it makes, may update its
// hash, with a catch-up (migrateedited.go) for anything else it changes.
func TestShippedMigrationsAreNotEdited(t *testing.T) {
	names, err := migrationNames()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		body, err := fs.ReadFile(migrationFiles, "migrations/"+n)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		got := hex.EncodeToString(sum[:])[:16]
		switch want, ok := shippedMigrations[n]; {
		case !ok:
			t.Errorf("migration %s is new: add its hash %q to shippedMigrations once it ships", n, got)
		case got != want:
			t.Errorf("migration %s was edited (hash %s, shipped as %s): shops that ran it will not run it again; put the change in a new migration", n, got, want)
		}
	}
}
