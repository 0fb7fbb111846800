package app

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
)

// fakeClock is a wall clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// testStart is a Monday noon, far from daylight-saving changes.
var testStart = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// mustCreate makes a shop in a temp dir with a fake clock in UTC.
func mustCreate(tb testing.TB) (*Shop, *fakeClock) {
	tb.Helper()
	clock := newFakeClock(testStart)
	s, err := Create(filepath.Join(tb.TempDir(), "shop.db"), NewShop{Name: "Test Shop", Device: "desk"}, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, clock
}

// mustReplica makes an empty replica of s in a temp dir sharing its clock.
func mustReplica(tb testing.TB, s *Shop, clock func() time.Time) *Shop {
	tb.Helper()
	r, err := CreateReplica(filepath.Join(tb.TempDir(), "replica.db"), inviteOf(tb, s), "laptop", Options{Now: clock, Location: time.UTC})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

func ptr[T any](v T) *T { return &v }

func mustFactory(tb testing.TB, s *Shop, name string, lead int, established bool) {
	tb.Helper()
	if _, err := s.AddFactory(context.Background(), domain.Factory{Name: name, Kind: domain.KindMicrofactory, LeadDays: lead, Established: established}); err != nil {
		tb.Fatal(err)
	}
}

func mustSKU(tb testing.TB, s *Shop, code string, path domain.SupplyPath, factory string) {
	tb.Helper()
	f := SKUFields{Name: ptr("Item " + code), Path: &path, Price: ptr(domain.Money(1000)), Cost: ptr(domain.Money(300))}
	if factory != "" {
		f.Factory = &factory
	}
	if _, err := s.AddSKU(context.Background(), code, f); err != nil {
		tb.Fatal(err)
	}
}

func day(n int) time.Time { return testStart.AddDate(0, 0, n) }

func mustStock(tb testing.TB, s *Shop, code string, asOf AsOf) StockRow {
	tb.Helper()
	rows, err := s.Stock(context.Background(), asOf, code)
	if err != nil {
		tb.Fatal(err)
	}
	return rows[0]
}

// twoCapReplicas are two replicas of a shop selling a digital cap, sku:
// the same shop, to apply the same changes to in two ways.
func twoCapReplicas(tb testing.TB) (sku domain.SKU, one, other *Shop) {
	tb.Helper()
	a, clock := mustCreate(tb)
	path := domain.PathDigital
	sku, err := a.AddSKU(context.Background(), "CAP-01", SKUFields{Name: ptr("Cap"), Path: &path})
	if err != nil {
		tb.Fatal(err)
	}
	one, other = mustReplica(tb, a, clock.Now), mustReplica(tb, a, clock.Now)
	syncPair(tb, a, one)
	syncPair(tb, a, other)
	return sku, one, other
}

// syncPair copies every change each of the shops lacks to the other until
// both hold the same.
func syncPair(tb testing.TB, a, b *Shop) {
	tb.Helper()
	ctx := context.Background()
	for range 3 {
		for _, dir := range [][2]*Shop{{a, b}, {b, a}} {
			from, to := dir[0], dir[1]
			v, err := to.Vector(ctx)
			if err != nil {
				tb.Fatal(err)
			}
			cs, err := from.ChangesAfter(ctx, v, 0) // sealed, as they travel
			if err != nil {
				tb.Fatal(err)
			}
			if _, err := to.Apply(ctx, cs); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// content is a replica's synced state as text: records, events, conflicts.
// Caches and per-device meta are left out.
func content(tb testing.TB, s *Shop) string {
	tb.Helper()
	var sb strings.Builder
	for _, q := range []string{
		`SELECT id, name, currency, hold_percent, handling_days FROM shop ORDER BY id`,
		`SELECT id, name, kind, location, lead_days, moq, multiple, established, paused, pause_reason, resumed_at FROM factories ORDER BY id`,
		`SELECT id, code, name, path, factory_id, price, cost, lead_days, min_cover, max_cover, archived FROM skus ORDER BY id`,
		`SELECT id, sku_id, factory_id, ordered, unit_cost, ordered_at, expected_at, qa, qa_at, qa_note, cancelled_at FROM batches ORDER BY id`,
		`SELECT id, kind, sku_id, at, hlc, qty, held, batch_id, factory_id, price, channel, reason, restock, note, ref,
			order_id, payment, discount, refund, location, to_location FROM events ORDER BY id`,
		`SELECT id, name FROM locations ORDER BY id`,
		`SELECT entity, entity_id, field, lost_stamp, lost_value, kept_stamp, kept_value FROM conflicts ORDER BY 1, 2, 3, 4`,
		`SELECT origin, seq, hlc, entity, entity_id, body FROM changes ORDER BY origin, seq`,
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(&sb, "%v|", v)
			}
			sb.WriteByte('\n')
		}
		rows.Close()
		sb.WriteString("--\n")
	}
	return sb.String()
}

func countRows(tb testing.TB, db *sql.DB, table string) int {
	tb.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

var _ changes.Replica = (*Shop)(nil)

// inviteOf is what a replica of s's shop needs: its id and key.
func inviteOf(tb testing.TB, s *Shop) Invite {
	tb.Helper()
	key, ok, err := s.Key(context.Background())
	if err != nil || !ok {
		tb.Fatalf("the shop has no key: %v", err)
	}
	return Invite{Shop: s.ShopID(), Key: key}
}

// applyPlain applies changes written in the clear as another device of the
// shop would send them: sealed with the shop's key.
func (s *Shop) applyPlain(ctx context.Context, batch []changes.Change) (changes.Vector, error) {
	sealed, err := sealAll(s, batch)
	if err != nil {
		return nil, err
	}
	return s.Apply(ctx, sealed)
}

// applyOpen applies changes as Apply applies those that opened and
// whose signatures checked, with the signed points given.
func (s *Shop) applyOpen(ctx context.Context, batch []changes.Change, points []seal.Signed) (changes.Vector, error) {
	reads := make([]readChange, len(batch))
	for i, c := range batch {
		reads[i].e, reads[i].st, reads[i].err = validChange(c)
	}
	return s.applyRead(ctx, batch, reads, points)
}

// sealedFor is batch sealed as it leaves a device of s's shop.
func sealedFor(tb testing.TB, s *Shop, batch []changes.Change) []changes.Change {
	sealed, err := sealAll(s, batch)
	if err != nil {
		tb.Fatal(err)
	}
	return sealed
}

// sealAll seals batch for s's shop and signs each origin's changes in it
// as one run, as that origin's device would, with a key made for it once
// per test process (testDeviceKey).
func sealAll(s *Shop, batch []changes.Change) ([]changes.Change, error) {
	sealer := s.sealer.Load()
	sealed := make([]changes.Change, len(batch))
	runs := map[string][]changes.Change{}
	last := map[string]int{}
	for i, c := range batch {
		var err error
		if sealed[i], err = sealer.Seal(c); err != nil {
			return nil, err
		}
		runs[c.Origin], last[c.Origin] = append(runs[c.Origin], sealed[i]), i
	}
	for origin, i := range last {
		key := testDeviceKey(origin)
		if origin == s.DeviceID() {
			var err error
			if key, err = s.deviceKey(context.Background()); err != nil {
				return nil, err
			}
		}
		sealed[i].Sig = sealer.SignRun(key, runs[origin])
	}
	return sealed, nil
}

// testDeviceKeys are the signing keys of the devices tests make changes
// of by hand, one per origin for the whole test process.
var testDeviceKeys sync.Map

func testDeviceKey(origin string) seal.DeviceKey {
	if k, ok := testDeviceKeys.Load(origin); ok {
		return k.(seal.DeviceKey)
	}
	k, err := seal.NewDeviceKey()
	if err != nil {
		panic(err)
	}
	got, _ := testDeviceKeys.LoadOrStore(origin, k)
	return got.(seal.DeviceKey)
}

// yenShop is a new shop that counts in yen, a currency without a minor
// unit, with its clock, and a factory Fab of 5 days.
func yenShop(t *testing.T) (*Shop, *fakeClock) {
	t.Helper()
	clock := newFakeClock(testStart)
	s, err := Create(filepath.Join(t.TempDir(), "shop.db"), NewShop{Name: "Tokyo Prints", Currency: "JPY", Device: "desk"},
		Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	mustFactory(t, s, "Fab", 5, true)
	return s, clock
}

// pdftotext is the path of poppler's pdftotext, which reads a PDF back:
// missing, the test is skipped on a developer's machine and fails in CI.
func pdftotext(t *testing.T) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext (poppler-utils) is not installed")
		}
		t.Fatal("CI must have pdftotext (poppler-utils)")
	}
	return tool
}

// reset forgets every span.
func (c *factorySold) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.end, c.spans = 0, nil
}

// get is the units sold by factory in [from, to) (see span).
func (c *factorySold) get(ctx context.Context, q queryer, from, to, upto int64) (map[string]int, error) {
	return keptCounts{c, upto}.sold(ctx, q, from, to)
}

// forget drops the kept report.
func (k *keptShop) forget() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.last = nil
}

// writeWhole writes a file through CreateFile, whole or not at all.
func writeWhole(path string, overwrite bool, write func(io.Writer) error) error {
	out, err := CreateFile(path, overwrite)
	if err != nil {
		return err
	}
	defer out.Abort()
	if err := write(out); err != nil {
		return err
	}
	return out.Commit()
}
