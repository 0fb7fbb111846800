package bundle_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/sync/bundle"
	"microshop/sync/changes"
)

// counting is a shop that counts the changes an import hands it to check
// and to apply.
type counting struct {
	*app.Shop
	checked, applied int
}

func (c *counting) Apply(ctx context.Context, batch []changes.Change) (changes.Vector, error) {
	c.applied += len(batch)
	return c.Shop.Apply(ctx, batch)
}

func (c *counting) Checks(ctx context.Context) func([]changes.Change) error {
	check := c.Shop.Checks(ctx)
	return func(batch []changes.Change) error {
		c.checked += len(batch)
		return check(batch)
	}
}

// lacking counts the changes of file in the runs their devices signed
// that hold a change a replica holding held lacks: a run is checked whole.
func lacking(t *testing.T, file []byte, held changes.Vector) int {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(zr)
	lines.Buffer(nil, bundle.MaxLineBytes)
	lines.Scan()            // the header
	run := map[string]int{} // changes of an origin since its last point
	lacks := map[string]bool{}
	n := 0
	for lines.Scan() {
		var c changes.Change
		if err := json.Unmarshal(lines.Bytes(), &c); err != nil || c.Origin == "" {
			continue // the end line
		}
		run[c.Origin]++
		lacks[c.Origin] = lacks[c.Origin] || c.Seq > held[c.Origin]
		if c.Sig != "" {
			if lacks[c.Origin] {
				n += run[c.Origin]
			}
			run[c.Origin], lacks[c.Origin] = 0, false
		}
	}
	return n
}

// A bundle carries the whole shop, and the device that imports it each
// day holds nearly all of it: what it holds is neither checked nor applied
// again (a stall laptop took 22 s to import one new sale from a bundle of
// 227,000 changes), but for the start of a run signed with new changes,
// whether the new changes are few enough to keep from the first reading
// or the bundle is read again for them.
func TestABundleHandsOnOnlyWhatTheReplicaLacks(t *testing.T) {
	for name, keep := range map[string]int{"kept from the first reading": 50_000, "read again": 1} {
		t.Run(name, func(t *testing.T) {
			defer bundle.SetKeepAtMost(keep)()
			ctx := context.Background()
			a := mustShop(t)
			apptest.Count(t, a, "ZINE", 1017, time.Time{})
			for range 600 { // more than a run: an export signs at most a wire batch in one
				if _, err := a.Sell(ctx, app.Sale{Code: "ZINE"}); err != nil {
					t.Fatal(err)
				}
			}
			b := &counting{Shop: mustReplica(t, a)}
			first, err := bundle.Import(ctx, b, bytes.NewReader(mustExport(t, a)), "monday.msb")
			if err != nil {
				t.Fatal(err)
			}
			if b.checked != first.Applied || b.applied != first.Applied {
				t.Fatalf("the first import checked %d and applied %d changes, want the %d new ones", b.checked, b.applied, first.Applied)
			}
			for range 2 {
				if _, err := a.Sell(ctx, app.Sale{Code: "ZINE"}); err != nil {
					t.Fatal(err)
				}
			}
			b.checked, b.applied = 0, 0
			file := mustExport(t, a)
			held, _ := b.Vector(ctx)
			res, err := bundle.Import(ctx, b, bytes.NewReader(file), "tuesday.msb")
			if err != nil {
				t.Fatal(err)
			}
			if res.Applied != 2 || res.Total != first.Total+2 {
				t.Fatalf("the second import applied %d of %d changes, want 2 of %d", res.Applied, res.Total, first.Total+2)
			}
			if want := lacking(t, file, held); b.checked != want || b.applied != want || want >= res.Total/2 {
				t.Fatalf("the second import checked %d and applied %d of %d changes, want the %d of the runs with the 2 new ones", b.checked, b.applied, res.Total, want)
			}
			if got := available(t, b.Shop); got != 415 {
				t.Fatalf("the replica has %d available, want 415", got)
			}
			b.checked, b.applied = 0, 0
			if res, err := bundle.Import(ctx, b, bytes.NewReader(file), "tuesday.msb"); err != nil || res.Applied != 0 || b.checked+b.applied != 0 {
				t.Fatalf("importing it again = %+v, %v, checking %d and applying %d changes; want nothing", res, err, b.checked, b.applied)
			}
		})
	}
}
