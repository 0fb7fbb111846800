package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// peerStamp is a stamp of the device "peer" d after the test clock's now.
func peerStamp(clock *fakeClock, d time.Duration) string {
	return changes.Stamp{Wall: clock.Now().Add(d).UnixMilli(), Device: "peer"}.String()
}

// alertsOf lists a shop's alerts of one kind.
func alertsOf(tb testing.TB, s *Shop, kind string) []Alert {
	tb.Helper()
	all, err := s.Alerts(context.Background(), s.AsOfNow())
	if err != nil {
		tb.Fatal(err)
	}
	var out []Alert
	for _, a := range all {
		if a.Kind == kind {
			out = append(out, a)
		}
	}
	return out
}

// Every change below came from a device that broke the rules: a buggy
// build, a hand-edited bundle, a hostile peer. Each is logged, so the
// vector moves past it and it is forwarded, but it changes nothing: the
// mug keeps its code, name, path, price and stock, can still be sold and
// edited by its code, and an alert names the device, what it sent and why.
func TestHostileChangesAreQuarantinedNotApplied(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	mug, err := a.SKU(ctx, "MUG")
	if err != nil {
		t.Fatal(err)
	}
	record := func(fields string) (string, string, []byte) { return "sku", mug.ID, []byte(fields) }
	event := func(kind, fields string) func() (string, string, []byte) {
		return func() (string, string, []byte) {
			return kind, newID(), []byte(fmt.Sprintf(`{"sku_id":%q,"at":%d,%s}`, mug.ID, day(1).UnixMilli(), fields))
		}
	}
	tests := []struct {
		name   string
		change func() (entity, id string, body []byte)
		want   []string // in the alert's message
	}{
		{"a sale of -1,000,000", event("sale", `"qty":-1000000,"channel":"fair","price":1000`), []string{"a sale of \"MUG\"", "-1000000 is not a valid quantity"}},
		{"a sale on no channel", event("sale", `"qty":1,"channel":"the moon"`), []string{"\"the moon\" is not a sales channel"}},
		// Each value is allowed, their product is not: it wrapped the
		// day's takings around to a negative amount.
		{"a sale of a million at the largest price", event("sale", `"qty":1000000,"channel":"fair","price":1000000000000000`), []string{"1000000 × 10000000000000.00 comes to more than"}},
		{"a void of a million at the largest price", event("void", `"qty":1000000,"price":1000000000000000,"ref":"`+newID()+`"`), []string{"comes to more than"}},
		{"a code with spaces", func() (string, string, []byte) { return record(`{"code":{"v":"MUG 01"}}`) }, []string{"an edit of SKU \"MUG\"", `"MUG 01"`}},
		{"the path nonsense", func() (string, string, []byte) { return record(`{"path":{"v":"nonsense"}}`) }, []string{`"nonsense" is not a supply path`}},
		{"a price of -1.00", func() (string, string, []byte) { return record(`{"price":{"v":-100}}`) }, []string{"-1.00 is not a valid price"}},
		{"a price that is text", func() (string, string, []byte) { return record(`{"price":{"v":"abc"}}`) }, []string{"price", "not a whole number"}},
		{"terminal escape codes in a name", func() (string, string, []byte) {
			return record(`{"name":{"v":"Mug\u001b]0;pwned\u0007\u001b[31m"}}`)
		}, []string{"SKU name", "U+001B"}},
		{"a name that is not UTF-8", func() (string, string, []byte) { return record("{\"name\":{\"v\":\"Mug \xff\xfe\"}}") }, []string{"not text"}},
		{"a name of 20,000 characters", func() (string, string, []byte) {
			return record(`{"name":{"v":"` + strings.Repeat("m", 20_000) + `"}}`)
		}, []string{"20000 characters long", "at most 120"}},
		{"a field a SKU does not have", func() (string, string, []byte) { return record(`{"colour":{"v":"red"}}`) }, []string{`"colour"`}},
		{"a kind of change no build makes", func() (string, string, []byte) { return "gadget", "g1", []byte(`{"sku_id":"x"}`) }, []string{`"gadget"`}},
		{"an adjustment whose note rings the bell", event("adjustment", `"qty":-3,"note":"gone\u0007"`), []string{"a stock adjustment of \"MUG\"", "U+0007"}},
		{"an adjustment with no note", event("adjustment", `"qty":-3`), []string{"needs a note"}},
		{"a count below zero", event("count", `"qty":-5`), []string{"-5 is not a stock count"}},
		{"a return for no reason", event("return", `"qty":1,"reason":"because","restock":true`), []string{`"because" is not a return reason`}},
		{"a return paying back 9.00 and nothing", event("return", `"qty":1,"reason":"wrong-size","refund":900,"no_refund":true`), []string{"a return of \"MUG\"", "nothing was paid back and a refund of 9.00"}},
		{"a sale paying nothing back", event("sale", `"qty":1,"channel":"fair","price":1000,"no_refund":true`), []string{"a sale of \"MUG\"", "only a return"}},
		{"a delivery holding more than came", event("receipt", `"qty":2,"held":9,"batch_id":"b1"`), []string{"9 held of 2"}},
		{"a sale in the year 1", event("sale", `"qty":1,"channel":"fair","at":-62135596800000`), []string{"time"}},
		{"a move to where it started", event("move", `"qty":3,"location":"s1","to":"s1"`), []string{"a move between locations of", "to itself"}},
		{"a move of no units", event("move", `"qty":0,"to":"s1"`), []string{"0 is not a valid quantity"}},
		{"a sale at a location with spaces", event("sale", `"qty":1,"channel":"fair","location":"the stall"`), []string{"location id", `"the stall"`}},
		{"a sale that goes somewhere", event("sale", `"qty":1,"channel":"fair","to":"s1"`), []string{"only a move"}},
		{"a count in a kit", event("count", `"qty":3,"kit":"k1","kit_qty":1,"ref":"r1"`), []string{"only a sale line or a return names a kit"}},
		{"a kit's line of 3 units in 2 kits", event("sale", `"qty":3,"channel":"fair","kit":"k1","kit_qty":2,"ref":"r1"`), []string{"3 units cannot have been sold in 2 kits"}},
		{"a kit's line naming no first line", event("sale", `"qty":2,"channel":"fair","kit":"k1","kit_qty":2`), []string{"not the kit's first line"}},
		{"a number of kits with no kit", event("sale", `"qty":2,"channel":"fair","kit_qty":2`), []string{"names no kit"}},
		{"a kit named by a control character", event("sale", `"qty":2,"channel":"fair","kit":"k\u0007","kit_qty":2,"ref":"r1"`), []string{"kit id"}},
		{"a location named by a control character", func() (string, string, []byte) { return "location", "l1", []byte(`{"name":{"v":"st\u0007all"}}`) }, []string{"location name", "U+0007"}},
		{"a location named main", func() (string, string, []byte) { return "location", "l1", []byte(`{"name":{"v":"Main"}}`) }, []string{"an edit of location", "cannot be named main"}},
		{"a location name with spaces no name keeps", func() (string, string, []byte) { return "location", "l1", []byte(`{"name":{"v":" St  all"}}`) }, []string{"location name", "spaces"}},
		{"a location removed by a word", func() (string, string, []byte) { return "location", "l1", []byte(`{"retired":{"v":"yes"}}`) }, []string{"retired", "not true or false"}},
		{"an order cancelled in the year 1", func() (string, string, []byte) {
			return "order", "o1", []byte(`{"channel":{"v":"etsy"},"number":{"v":"9001"},"withdrawn_at":{"v":-62135596800000}}`)
		}, []string{"the cancelling of an imported order", "time the order was cancelled or refunded"}},
		{"an order cancelled by a word", func() (string, string, []byte) { return "order", "o1", []byte(`{"withdrawn_at":{"v":"yes"}}`) }, []string{"the cancelling of an imported order", "withdrawn_at", "not a whole number"}},
		{"an order cancelled in the year 10000", func() (string, string, []byte) {
			return "order", "o1", []byte(`{"withdrawn_at":{"v":253402300800000}}`)
		}, []string{"the cancelling of an imported order", "time the order was cancelled or refunded", "between 1970 and 9999"}},
		{"an order shipped in the year 1", func() (string, string, []byte) { return "order", "o1", []byte(`{"shipped_at":{"v":-62135596800000}}`) }, []string{"the shipping of an imported order", "time the order shipped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustReplica(t, a, clock.Now)
			syncPair(t, a, b)
			before := mustVector(t, b)
			entity, id, body := tt.change()
			// Stamped a minute after everything the mug holds: applied,
			// it would win.
			bad := changes.Change{Origin: "peer", Seq: 1, HLC: peerStamp(clock, time.Minute), Entity: entity, EntityID: id, Body: body}
			v, err := b.applyPlain(ctx, []changes.Change{bad})
			if err != nil {
				t.Fatalf("Apply refused the batch (%v); a change that breaks the rules must be set aside, not stall sync", err)
			}
			if v["peer"] != 1 {
				t.Errorf("vector %v: want peer at 1, past the set-aside change", v)
			}
			out, err := b.logAfter(ctx, before, 0)
			if err != nil || len(out) != 1 || out[0].Origin != "peer" || string(out[0].Body) != string(body) {
				t.Errorf("changes to forward = %d (%v); want the set-aside change, as it came", len(out), err)
			}
			k, err := b.SKU(ctx, "MUG")
			if err != nil {
				t.Fatalf("the mug cannot be found by its code: %v", err)
			}
			if k.Code != mug.Code || k.Name != mug.Name || k.Path != mug.Path || k.Price != mug.Price {
				t.Errorf("the mug is now %+v, want it unchanged: %+v", k, mug)
			}
			if got := mustStock(t, b, "MUG", b.AsOfDate(day(4))).OnHand; got != 50 {
				t.Errorf("on hand %d, want the 50 counted", got)
			}
			if n := countRows(t, b.db, "field_versions WHERE stamp LIKE '%.peer'"); n != 0 {
				t.Errorf("%d field versions from the set-aside change", n)
			}
			alerts := alertsOf(t, b, AlertQuarantined)
			if len(alerts) != 1 {
				t.Fatalf("quarantine alerts %+v, want one", alerts)
			}
			al := alerts[0]
			if al.Subject != "peer/1" || !strings.Contains(al.Message, "Device peer") || !strings.Contains(al.Message, "not applied") {
				t.Errorf("alert %+v: want it to name device peer and say the change was not applied", al)
			}
			for _, w := range tt.want {
				if !strings.Contains(al.Message, w) {
					t.Errorf("alert %q does not say %q", al.Message, w)
				}
			}
			if strings.ContainsFunc(al.Message, domain.Unprintable) || len(al.Message) > 1000 {
				t.Errorf("alert message holds control characters or is %d bytes long: %q", len(al.Message), al.Message)
			}
			// The shop goes on: the mug sells and is edited by its code,
			// and the peer's next change applies.
			clock.Set(day(2).Add(time.Hour)) // the local sale below is history
			if _, err := b.Sell(ctx, Sale{Code: "MUG", Qty: 1, At: day(2)}); err != nil {
				t.Errorf("selling the mug: %v", err)
			}
			if _, err := b.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(1200))}); err != nil {
				t.Errorf("editing the mug: %v", err)
			}
			next := changes.Change{Origin: "peer", Seq: 2, HLC: peerStamp(clock, 2*time.Minute), Entity: kindSale, EntityID: newID(),
				Body: fmt.Appendf(nil, `{"sku_id":%q,"at":%d,"qty":2,"channel":"fair","price":1000}`, mug.ID, day(3).UnixMilli())}
			if v, err := b.applyPlain(ctx, []changes.Change{next}); err != nil || v["peer"] != 2 {
				t.Fatalf("the peer's next change: vector %v, %v; want peer at 2", v, err)
			}
			if got := mustStock(t, b, "MUG", b.AsOfDate(day(4))).OnHand; got != 47 {
				t.Errorf("on hand %d after the local and the peer's sale, want 47", got)
			}
		})
	}
}

// A set-aside change travels on: a third device that gets it through the
// second sets it aside too, by the same rules, and the two agree.
func TestAQuarantinedChangeIsForwardedAndSetAsideEverywhere(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	mug, _ := a.SKU(ctx, "MUG")
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	bad := changes.Change{Origin: "peer", Seq: 1, HLC: peerStamp(clock, time.Minute), Entity: kindSale, EntityID: newID(),
		Body: fmt.Appendf(nil, `{"sku_id":%q,"at":%d,"qty":-1000000,"channel":"fair"}`, mug.ID, day(1).UnixMilli())}
	if _, err := b.applyPlain(ctx, []changes.Change{bad}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	if v := mustVector(t, a); v["peer"] != 1 {
		t.Fatalf("the first device's vector %v: want the forwarded change held", v)
	}
	if ga, gb := content(t, a), content(t, b); ga != gb {
		t.Errorf("the devices differ:\n a: %s\n b: %s", ga, gb)
	}
	for _, s := range []*Shop{a, b} {
		if got := mustStock(t, s, "MUG", s.AsOfDate(day(4))).OnHand; got != 50 {
			t.Errorf("on hand %d, want 50", got)
		}
		if n := len(alertsOf(t, s, AlertQuarantined)); n != 1 {
			t.Errorf("%d quarantine alerts, want 1", n)
		}
	}
}

// A name edit stamped further ahead than a day is set aside: applied, it
// would beat every edit made here until the wall clock caught up, and a
// stamp at the end of the clock's range froze the field for good.
func TestAFarFutureStampIsQuarantined(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	mug, _ := a.SKU(ctx, "MUG")
	for _, tt := range []struct {
		name, hlc, want string
	}{
		{"25 hours ahead", peerStamp(clock, 25*time.Hour), "25 hours ahead"},
		{"a year ahead", peerStamp(clock, 365*24*time.Hour), "365 days ahead"},
		{"the last stamp there is", "999999999999999.99999.peer", "years ahead"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := mustReplica(t, a, clock.Now)
			syncPair(t, a, b)
			far := changes.Change{Origin: "peer", Seq: 1, HLC: tt.hlc, Entity: "sku", EntityID: mug.ID, Body: []byte(`{"name":{"v":"Far"}}`)}
			if v, err := b.applyPlain(ctx, []changes.Change{far}); err != nil || v["peer"] != 1 {
				t.Fatalf("Apply: vector %v, %v; want the change logged", v, err)
			}
			if k, _ := b.SKU(ctx, "MUG"); k.Name != mug.Name {
				t.Errorf("name %q, want %q: the far-future edit must not apply", k.Name, mug.Name)
			}
			alerts := alertsOf(t, b, AlertQuarantined)
			if len(alerts) != 1 || !strings.Contains(alerts[0].Message, tt.want) || !strings.Contains(alerts[0].Message, "clock") {
				t.Errorf("alerts %+v: want one saying the clock stamp is %s", alerts, tt.want)
			}
			// The clock did not follow it: a local edit is stamped now.
			if _, err := b.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Mug restored")}); err != nil {
				t.Fatal(err)
			}
			if k, _ := b.SKU(ctx, "MUG"); k.Name != "Mug restored" {
				t.Errorf("after a local edit the name is %q, want %q", k.Name, "Mug restored")
			}
			mine, _ := b.logAfter(ctx, changes.Vector{a.DeviceID(): 1 << 40, "peer": 1}, 0)
			st, _ := changes.ParseStamp(mine[len(mine)-1].HLC)
			if ahead := st.Ahead(clock.Now()); ahead > time.Minute {
				t.Errorf("the local edit is stamped %v ahead of the wall clock; the far stamp moved the clock", ahead)
			}
		})
	}
}

// A stamp ahead by minutes or hours is accepted: the local clock moves
// past it, so an edit made here afterwards wins, here and everywhere it
// goes, also after the shop is closed and opened again. Past five minutes
// ahead, an alert names the device and how far ahead it is.
func TestAStampAheadIsAcceptedReportedAndALaterLocalEditWins(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		ahead time.Duration
		alert string // "" for none
	}{
		{"2 minutes ahead", 2 * time.Minute, ""},
		{"10 minutes ahead", 10 * time.Minute, "10 minutes ahead"},
		{"an hour ahead", time.Hour, "1 hour ahead"},
		{"23 hours ahead", 23 * time.Hour, "23 hours ahead"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, clock := mustMugShop(t)
			mug, _ := a.SKU(ctx, "MUG")
			b := mustReplica(t, a, clock.Now)
			syncPair(t, a, b)
			remote := changes.Change{Origin: "peer", Seq: 1, HLC: peerStamp(clock, tt.ahead), Entity: "sku", EntityID: mug.ID, Body: []byte(`{"name":{"v":"Mug from the future"}}`)}
			if _, err := b.applyPlain(ctx, []changes.Change{remote}); err != nil {
				t.Fatal(err)
			}
			if k, _ := b.SKU(ctx, "MUG"); k.Name != "Mug from the future" {
				t.Fatalf("name %q: the edit stamped %v ahead was not applied", k.Name, tt.ahead)
			}
			if n := len(alertsOf(t, b, AlertQuarantined)); n != 0 {
				t.Errorf("%d quarantine alerts, want none", n)
			}
			alerts := alertsOf(t, b, AlertClockAhead)
			switch {
			case tt.alert == "" && len(alerts) != 0:
				t.Errorf("clock alerts %+v, want none %v ahead", alerts, tt.ahead)
			case tt.alert != "" && (len(alerts) != 1 || alerts[0].Subject != "peer" || !strings.Contains(alerts[0].Message, "Device peer") || !strings.Contains(alerts[0].Message, tt.alert)):
				t.Errorf("clock alerts %+v, want one naming device peer, %s", alerts, tt.alert)
			}

			k, err := b.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Mug restored")})
			if err != nil || k.Name != "Mug restored" {
				t.Fatalf("EditSKU = %q, %v", k.Name, err)
			}
			if k, _ := b.SKU(ctx, "MUG"); k.Name != "Mug restored" {
				t.Errorf("EditSKU said the name is %q but it is %q", "Mug restored", k.Name)
			}
			syncPair(t, a, b)
			if k, _ := a.SKU(ctx, "MUG"); k.Name != "Mug restored" {
				t.Errorf("on the other device the name is %q, want the later local edit", k.Name)
			}
			// The clock was kept: opened again, the shop still stamps
			// past what it has seen.
			path := b.Path()
			b.Close()
			b, err = Open(path, Options{Now: clock.Now, Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if _, err := b.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Mug again")}); err != nil {
				t.Fatal(err)
			}
			if k, _ := b.SKU(ctx, "MUG"); k.Name != "Mug again" {
				t.Errorf("after reopening, an edit left the name %q", k.Name)
			}
			// Once the wall clock passes the stamp, it is ahead no more.
			clock.Set(clock.Now().Add(tt.ahead + time.Minute))
			if alerts := alertsOf(t, b, AlertClockAhead); len(alerts) != 0 {
				t.Errorf("clock alerts %+v after the wall clock caught up, want none", alerts)
			}
		})
	}
}

// A flood of set-aside changes makes a bounded list of alerts.
func TestManyQuarantinedChangesAreCounted(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	var batch []changes.Change
	for i := range maxQuarantineAlerts + 5 {
		batch = append(batch, changes.Change{Origin: "peer", Seq: int64(i + 1), HLC: peerStamp(clock, time.Duration(i)*time.Millisecond),
			Entity: "gadget", EntityID: newID(), Body: []byte(`{}`)})
	}
	if _, err := a.applyPlain(ctx, batch); err != nil {
		t.Fatal(err)
	}
	alerts := alertsOf(t, a, AlertQuarantined)
	if len(alerts) != maxQuarantineAlerts+1 || !strings.Contains(alerts[len(alerts)-1].Message, "5 more changes") {
		t.Errorf("%d alerts ending %+v; want %d and one counting 5 more", len(alerts), alerts[len(alerts)-1], maxQuarantineAlerts+1)
	}
	list, err := a.Quarantine(ctx, 0)
	if err != nil || len(list) != len(batch) {
		t.Fatalf("Quarantine lists %d (%v), want %d", len(list), err, len(batch))
	}
}

// What a person types is trimmed, and refused with a sentence when it
// holds control characters, bytes that are not text, or is too long.
// A refused command writes nothing.
func TestTypedNamesAndNotesAreCleanedOrRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := mustMugShop(t)
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "Riso Corner", Kind: domain.KindPrint, LeadDays: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "Riso Corner ", Kind: domain.KindPrint, LeadDays: 4}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf(`adding "Riso Corner " next to "Riso Corner": err = %v, want it refused as the same factory`, err)
	}
	if f, err := s.AddFactory(ctx, domain.Factory{Name: "  Ink Lab\t", Kind: domain.KindPrint, LeadDays: 4}); err != nil || f.Name != "Ink Lab" {
		t.Errorf("AddFactory with spaces around the name = %q, %v; want %q", f.Name, err, "Ink Lab")
	}
	path := domain.PathHandmade
	if k, err := s.AddSKU(ctx, "CUP", SKUFields{Name: ptr("  Cup "), Path: &path, Factory: ptr("Riso Corner ")}); err != nil || k.Name != "Cup" {
		t.Errorf("AddSKU with spaces around the name = %q, %v; want %q", k.Name, err, "Cup")
	}
	if k, err := s.AddSKU(ctx, "LONG", SKUFields{Name: ptr(strings.Repeat("é", domain.MaxNameRunes)), Path: &path, Factory: ptr("Fab")}); err != nil || k.Name == "" {
		t.Errorf("a name of %d characters: %v", domain.MaxNameRunes, err)
	}

	batch, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10, At: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	refused := []struct {
		name string
		do   func() error
		want string
	}{
		{"a SKU name with an escape code", func() error {
			_, err := s.AddSKU(ctx, "RED", SKUFields{Name: ptr("Mug\x1b[31m"), Path: &path, Factory: ptr("Fab")})
			return err
		}, "U+001B"},
		{"a SKU name over two lines", func() error {
			_, err := s.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Big\nmug")})
			return err
		}, "U+000A"},
		{"a SKU name that is not UTF-8", func() error {
			_, err := s.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Mug \xff")})
			return err
		}, "not readable text"},
		{"a SKU name of 20,000 characters", func() error {
			_, err := s.EditSKU(ctx, "MUG", SKUFields{Name: ptr(strings.Repeat("m", 20_000))})
			return err
		}, "at most 120"},
		{"a factory name with a bell", func() error {
			_, err := s.AddFactory(ctx, domain.Factory{Name: "Bell\aWorks", Kind: domain.KindPrint, LeadDays: 4})
			return err
		}, "U+0007"},
		{"a pause reason over two lines", func() error { return s.PauseFactory(ctx, "Fab", "late\nagain") }, "U+000A"},
		{"an adjustment note with an escape code", func() error {
			_, err := s.Adjust(ctx, "MUG", -1, "broke\x1b[2J", day(1))
			return err
		}, "U+001B"},
		{"an adjustment note of 501 characters", func() error {
			_, err := s.Adjust(ctx, "MUG", -1, strings.Repeat("n", domain.MaxNoteRunes+1), day(1))
			return err
		}, "at most 500"},
		{"an adjustment note of spaces", func() error {
			_, err := s.Adjust(ctx, "MUG", -1, "   ", day(1))
			return err
		}, "needs a note"},
		{"a QA note with a C1 control", func() error {
			_, err := s.DecideQA(ctx, batch.ID, true, "fine\u009b31m", day(1))
			return err
		}, "U+009B"},
		{"a name written right to left by an override", func() error {
			_, err := s.EditSKU(ctx, "MUG", SKUFields{Name: ptr("gum\u202eMug")})
			return err
		}, "U+202E"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			before := content(t, s)
			err := tt.do()
			if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), tt.want) {
				t.Fatalf("err = %v, want it refused saying %q", err, tt.want)
			}
			if msg := domain.ErrorMessage(err); strings.ContainsFunc(msg, domain.Unprintable) || len(msg) > 300 {
				t.Errorf("the message repeats the bad text raw or at length: %q", msg)
			}
			if after := content(t, s); after != before {
				t.Errorf("a refused command changed the shop")
			}
		})
	}
	if _, err := Create(t.TempDir()+"/shop.db", NewShop{Name: "Clay\x1b[5m"}, Options{}); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("a shop name with an escape code: err = %v, want it refused", err)
	}
	names := []string{}
	fs, err := s.Factories(ctx, s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		names = append(names, f.Name)
	}
	if want := []string{"Fab", "Ink Lab", "Riso Corner"}; !slices.Equal(names, want) {
		t.Errorf("factories %q, want %q", names, want)
	}
}

// What this device writes passes the checks other devices apply: a write
// that would be set aside elsewhere is refused here. (An event's fields
// are checked at each command's edge; this is the net under them.)
func TestALocalWriteIsHeldToTheRulesApplyUses(t *testing.T) {
	ctx := context.Background()
	s, _ := mustMugShop(t)
	mug, _ := s.SKU(ctx, "MUG")
	err := s.write(ctx, func(t *txn) error {
		return t.addEvent(event{Kind: kindSale, ID: newID(), SKUID: mug.ID, At: day(1).UnixMilli(), Qty: -4, Channel: "fair"})
	})
	if domain.ErrorCode(err) != domain.EInvalid {
		t.Fatalf("a local sale of -4: err = %v, want it refused", err)
	}
	raw, _ := json.Marshal("x")
	err = s.write(ctx, func(t *txn) error {
		return t.append("sku", mug.ID, changes.RecordBody{"colour": {Value: raw}})
	})
	if domain.ErrorCode(err) != domain.EInvalid {
		t.Fatalf("a local edit of a field SKUs do not have: err = %v, want it refused", err)
	}
}

// The checks look at a change alone: a sale of a SKU that has not arrived
// yet is not set aside, it waits in the ledger and counts once the SKU
// comes.
func TestASaleBeforeItsSKUArrivesWaitsForIt(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	if _, err := a.Sell(ctx, Sale{Code: "MUG", Qty: 4, At: day(1)}); err != nil {
		t.Fatal(err)
	}
	all, err := a.logAfter(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := mustReplica(t, a, clock.Now)
	if _, err := b.applyPlain(ctx, all[len(all)-1:]); err != nil { // the sale alone, past a gap
		t.Fatal(err)
	}
	if _, err := b.applyPlain(ctx, all[:len(all)-1]); err != nil {
		t.Fatal(err)
	}
	if n := len(alertsOf(t, b, AlertQuarantined)); n != 0 {
		t.Errorf("%d changes set aside, want none", n)
	}
	if got := mustStock(t, b, "MUG", b.AsOfDate(day(2))).OnHand; got != 46 {
		t.Errorf("on hand %d, want 46: the sale that came first counts", got)
	}
}

// A kit of one unit of one SKU, which this build refuses to make, arrives
// from another device and is applied: builds before the rule made them,
// and a device joining the shop set them aside, with the sales naming them.
func TestAKitOfOneUnitFromAnotherDeviceArrives(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	mug, err := a.SKU(ctx, "MUG")
	if err != nil {
		t.Fatal(err)
	}
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	body := fmt.Appendf(nil, `{"code":{"v":"SOLO"},"name":{"v":"Mug, alone"},"path":{"v":"kit"},"parts":{"v":%q}}`, fmt.Sprintf(`[{"sku_id":%q,"qty":1}]`, mug.ID))
	kit := changes.Change{Origin: "peer", Seq: 1, HLC: peerStamp(clock, time.Minute), Entity: "sku", EntityID: newID(), Body: body}
	if _, err := b.applyPlain(ctx, []changes.Change{kit}); err != nil {
		t.Fatal(err)
	}
	if got := alertsOf(t, b, AlertQuarantined); len(got) != 0 {
		t.Errorf("set aside: %+v", got)
	}
	if k, err := b.SKU(ctx, "SOLO"); err != nil || k.Path != domain.PathKit {
		t.Errorf("the kit arrived as %+v (%v); want kit SOLO", k, err)
	}
}
