package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/client"
)

func TestTodayListsAlertsAndOrdersTheSuggestedQuantity(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	if u.currentScreen() != u.today {
		t.Fatal("the window does not open on Today")
	}
	var reorder, stockout *todayItem
	for i, it := range u.today.items {
		switch {
		case it.alert.Kind == app.AlertReorder && it.alert.Subject == "PRINT-A4":
			reorder = &u.today.items[i]
		case it.alert.Kind == app.AlertStockout && it.alert.Subject == "CANDLE":
			stockout = &u.today.items[i]
		}
	}
	if reorder == nil || stockout == nil {
		t.Fatalf("Today lists %+v; want a reorder of PRINT-A4 and CANDLE out of stock", u.today.items)
	}
	want := stockOf(t, shop, "PRINT-A4").Plan.SuggestedQty()
	if reorder.suggest != want || reorder.action != "Order "+itoa(want) {
		t.Errorf("PRINT-A4 offers %q (%d), want Order %d", reorder.action, reorder.suggest, want)
	}
	if got := texts(u.today.list); !strings.Contains(got, "Order "+itoa(want)) || !strings.Contains(got, "CANDLE (Beeswax candle) is out of stock") {
		t.Errorf("the list shows:\n%s", got)
	}

	// One click opens the order form with the suggestion filled in.
	u.today.act(*reorder)
	f := findFormEntry(t, w, "units")
	if f.Text != itoa(want) {
		t.Errorf("the order form holds %q units, want the suggested %d", f.Text, want)
	}
	before := len(must[[]domain.Batch](t)(shop.Batches(context.Background(), true)))
	tapButton(t, w, "Order")
	closeDialogs(w)
	open := must[[]domain.Batch](t)(shop.Batches(context.Background(), true))
	if len(open) != before+1 || open[0].SKU != "PRINT-A4" || open[0].Ordered != want || open[0].Factory != "Print Hub" {
		t.Fatalf("open batches after ordering: %+v", open)
	}
	for _, it := range u.today.items {
		if it.alert.Kind == app.AlertReorder && it.alert.Subject == "PRINT-A4" {
			t.Error("PRINT-A4 still asks for a reorder after its batch was ordered")
		}
	}

	// The stockout opens its SKU.
	u.today.open(*stockout)
	if u.currentScreen() != u.skus || u.skus.detail.row.SKU.Code != "CANDLE" || !u.skus.md.detailShown() {
		t.Errorf("opening the stockout shows screen %s with %q", u.currentScreen().title(), u.skus.detail.row.SKU.Code)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSKUsSortFilterAndDetail(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	s := u.skus
	codes := func() string {
		var out []string
		for _, i := range s.view {
			out = append(out, s.rows[i].SKU.Code)
		}
		return strings.Join(out, " ")
	}
	if got, want := codes(), "CANDLE GUIDE MUG PRINT-A4"; got != want {
		t.Errorf("by code: %s, want %s", got, want)
	}
	s.sortBy(5) // available
	if got, want := codes(), "CANDLE PRINT-A4 MUG GUIDE"; got != want {
		t.Errorf("by available: %s, want %s", got, want)
	}
	s.sortBy(5)
	if got, want := codes(), "GUIDE MUG PRINT-A4 CANDLE"; got != want {
		t.Errorf("by available, descending: %s, want %s", got, want)
	}
	s.status.SetSelected("Needs action")
	if got, want := codes(), "PRINT-A4 CANDLE"; got != want {
		t.Errorf("needing action: %s, want %s", got, want)
	}
	s.status.SetSelected("All statuses")
	test.Type(s.filterEntry, "clay")
	if got, want := codes(), "MUG CANDLE"; got != want {
		t.Errorf("filtered by factory clay: %s, want %s", got, want)
	}

	s.table.Select(widget.TableCellID{Row: 0, Col: 0})
	d := s.detail
	if got := d.heading.Text; got != "MUG — Blue stoneware mug" {
		t.Fatalf("detail heading %q", got)
	}
	if got, want := d.facts["Available"].Text, "42"; got != want {
		t.Errorf("detail available %q, want %q", got, want)
	}
	if got, want := len(d.chart.days), app.HistoryDays; got != want {
		t.Errorf("chart has %d days, want %d", got, want)
	}
	if got := d.chart.days[len(d.chart.days)-4].Sold; got != 2 {
		t.Errorf("chart's day -3 sold %d, want 2", got)
	}
	if got := d.chart.days[len(d.chart.days)-1].Available; got != 42 {
		t.Errorf("chart's today available %d, want 42", got)
	}
	if got, want := d.message.Text, "In stock: ships in 1 day."; got != want {
		t.Errorf("buyer message %q, want %q", got, want)
	}
	test.Tap(d.copyBtn)
	if got := u.app.Clipboard().Content(); got != "In stock: ships in 1 day." {
		t.Errorf("clipboard holds %q after Copy", got)
	}
	_ = w
}

// The New SKU form's number fields hint in words: "0.00" in the price box
// read as a price already set, "5 (factory)" as a lead time typed in.
// Left empty they still save what they did: no cost, and the defaults the
// hints name; a price is asked for (TestANewSKUsEmptyPriceIsAskedFor), so
// this one is given as 0.
func TestNewSKUPlaceholdersAreHintsNotValues(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	check := func(state string) {
		t.Helper()
		fields := []struct {
			name  string
			e     *fieldEntry
			parse func(string) error
		}{
			{"Price", f.price, func(s string) error { _, err := parseMoneyOpt(s, f.currency); return err }},
			{"Cost", f.cost, func(s string) error { _, err := parseMoneyOpt(s, f.currency); return err }},
			{"Lead time", f.lead, func(s string) error { _, err := parseDaysOpt("lead time", s); return err }},
			{"Min cover", f.minCover, func(s string) error { _, err := parseDaysOpt("minimum cover", s); return err }},
			{"Max cover", f.maxCover, func(s string) error { _, err := parseDaysOpt("maximum cover", s); return err }},
		}
		for _, c := range fields {
			hint := c.e.PlaceHolder
			if hint == "" || c.parse(hint) == nil || strings.IndexAny(hint[:1], "0123456789") == 0 {
				t.Errorf("%s, the %s placeholder %q reads as a value", state, c.name, hint)
			}
		}
	}
	check("with nothing chosen")
	f.path.SetSelected("digital")
	check("for a digital SKU")
	f.path.SetSelected("print")
	f.factory.SetSelected("Print Hub")
	check("for a print from Print Hub")

	addFromForm(t, w, f, "CARD", "Fern card", "0")
	k := must[domain.SKU](t)(shop.SKU(context.Background(), "CARD"))
	if k.Price != 0 || k.Cost != 0 || k.LeadDays != 5 || k.MinCover != 7 || k.MaxCover != 14 {
		t.Errorf("left empty, the fields saved price %s, cost %s, lead %d, cover %d to %d; want 0.00, 0.00, the factory's 5 and the default 7 to 14",
			k.Price, k.Cost, k.LeadDays, k.MinCover, k.MaxCover)
	}
}

func TestSKUEditorShowsDefaultsAndSavesOnlyChanges(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	f.path.SetSelected("print")
	f.factory.SetSelected("Print Hub")
	if got, want := f.lead.PlaceHolder, "empty: 5 days"; got != want {
		t.Errorf("lead placeholder %q, want %q", got, want)
	}
	if got, want := f.minCover.PlaceHolder, "empty: 7 days"; got != want {
		t.Errorf("print min cover placeholder %q, want %q", got, want)
	}
	f.lead.SetText("10")
	if got, want := f.minCover.PlaceHolder, "empty: 14 days"; got != want {
		t.Errorf("print with a 10-day lead: min cover placeholder %q, want %q", got, want)
	}
	f.minCover.SetText("9")
	if got, want := f.maxCover.PlaceHolder, "empty: 18 days"; got != want {
		t.Errorf("max cover placeholder %q, want %q", got, want)
	}
	addFromForm(t, w, f, "CARD", "Fern card", "3.50")
	k := must[domain.SKU](t)(shop.SKU(context.Background(), "CARD"))
	if k.LeadDays != 10 || k.MinCover != 9 || k.MaxCover != 18 || k.Price != 350 || k.Factory != "Print Hub" {
		t.Errorf("saved %+v", k)
	}

	// Emptying an override gives it up: CARD's lead time follows its
	// factory again, and its minimum cover stays.
	card := u.skus.editForm(&k)
	if card.lead.Text != "10" {
		t.Fatalf("the editor shows CARD's lead time override as %q, want 10", card.lead.Text)
	}
	card.lead.SetText("")
	tapButton(t, w, "Save")
	if got := dialogText(w); got != "" {
		t.Fatalf("saving CARD shows %q", got)
	}
	k = must[domain.SKU](t)(shop.SKU(context.Background(), "CARD"))
	if k.LeadDays != 5 || k.MinCover != 9 {
		t.Errorf("after emptying the lead time CARD has lead %d, min cover %d; want the factory's 5 and 9", k.LeadDays, k.MinCover)
	}

	// Editing the mug's price leaves its lead time following the factory.
	mug := must[domain.SKU](t)(shop.SKU(context.Background(), "MUG"))
	e := u.skus.editForm(&mug)
	if e.lead.Text != "" || e.minCover.Text != "" {
		t.Errorf("the mug follows its defaults but the editor shows lead %q, min %q", e.lead.Text, e.minCover.Text)
	}
	e.price.SetText("26")
	tapButton(t, w, "Save")
	must[domain.Factory](t)(shop.AddFactory(context.Background(), domain.Factory{Name: "Kiln Two", Kind: domain.KindWorkshop, LeadDays: 30}))
	mug = must[domain.SKU](t)(shop.SKU(context.Background(), "MUG"))
	if mug.Price != 2600 || mug.LeadDays != 10 {
		t.Errorf("after editing the price the mug has price %s, lead %d; want 26.00 and 10", mug.Price, mug.LeadDays)
	}
}

func TestSyncScreenDrivesController(t *testing.T) {
	shop := stockedShop(t)
	fake := &fakeSync{}
	u, _ := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	test.Tap(s.connect)
	if got := texts(s.relayForm.obj); !containsFold(got, "relay URL is empty") || !containsFold(got, "token is empty") {
		t.Errorf("connecting with nothing typed says %q, want both the URL and the token are empty", got)
	}
	if len(fake.Calls()) != 0 {
		t.Fatalf("the controller was called with nothing typed: %v", fake.Calls())
	}
	// A relay address without ws:// is said under its field, and nothing
	// is kept: it was saved, and failed only as a sync error in red.
	s.relay.SetText("relay.example.com:7420")
	s.token.SetText(someToken)
	test.Tap(s.connect)
	if got := fieldError(t, s.relayForm, "Relay URL"); !containsFold(got, "not a relay address") || len(fake.Calls()) != 0 {
		t.Fatalf("a relay address without ws:// says %q under its field, calls %v; want it refused there", got, fake.Calls())
	}
	s.relay.SetText("ws://127.0.0.1:7420")
	s.token.SetText(someToken)
	test.Tap(s.connect)
	if got, want := strings.Join(fake.Calls(), ","), "connect ws://127.0.0.1:7420 "+someToken; got != want {
		t.Errorf("calls %q, want %q", got, want)
	}
	state := func() string { return s.state.Segments[0].(*widget.TextSegment).Text }
	if got := state(); got != "Connecting…" {
		t.Errorf("state shows %q, want Connecting…", got)
	}
	unreachable := "cannot reach the relay at ws://127.0.0.1:7420"
	fake.set(SyncStatus{State: client.StateConnecting, Relay: "ws://127.0.0.1:7420", Err: unreachable})
	if got := state(); got != "Retrying: "+unreachable {
		t.Errorf("state shows %q while retrying, want why the last attempt failed", got)
	}
	fake.set(SyncStatus{State: client.StateUpToDate, Relay: "ws://127.0.0.1:7420", LastSync: testNow.Add(-time.Hour)})
	if got := state(); got != "Up to date" {
		t.Errorf("state shows %q after the controller reports up to date", got)
	}
	if got := texts(u.status.content()); !strings.Contains(got, "Online · Up to date") || !strings.Contains(got, "last sync today 11:00") {
		t.Errorf("status line:\n%s", got)
	}
	if !s.connect.Disabled() || s.disconnect.Disabled() {
		t.Error("while up to date connect should be disabled and disconnect enabled")
	}
	refused := `change 3 from "laptop" was refused: it does not open with this shop's key`
	fake.set(SyncStatus{State: client.StateUpToDate, Relay: "ws://127.0.0.1:7420", LastSync: testNow.Add(-time.Hour), Err: refused})
	if got := s.state.String(); !strings.Contains(got, "some changes refused") || !strings.Contains(got, "Refused: "+refused) {
		t.Errorf("up to date with refused changes shows %q, want it said with the reason", got)
	}
	fake.set(SyncStatus{State: client.StateError, Err: "the relay refused the token"})
	if got := state(); got != "Sync error: the relay refused the token" {
		t.Errorf("state shows %q", got)
	}
	// On the status line the reason goes where it is cut to fit: whole
	// beside the state, a long one made the window wider than 800.
	long := `"http//bad url" is not a relay address; use ws://HOST:PORT or wss://HOST:PORT ` + strings.Repeat("and more ", 20)
	fake.set(SyncStatus{State: client.StateError, Err: long})
	u.status.load()
	if u.status.online.Text != "Sync error" || u.status.trouble.Text != long || u.status.trouble.Truncation != fyne.TextTruncateEllipsis {
		t.Errorf("the status line shows %q, then %q; want the state alone, the reason cut to fit", u.status.online.Text, u.status.trouble.Text)
	}
	if w := u.status.content().MinSize().Width; w > 800 {
		t.Errorf("the status line with a long sync error needs %v wide; want it to fit 800", w)
	}

	test.Tap(s.host)
	if got := strings.Join(s.shownAddrs(), " ") + " " + s.hostTok.Text; got != "ws://192.168.1.20:7420 ws://169.254.10.2:7420 tok-123456" || !s.hostInfo.Visible() {
		t.Errorf("hosting shows %q (visible %v)", got, s.hostInfo.Visible())
	}
	test.Tap(s.host)
	if s.hostInfo.Visible() {
		t.Error("stopping hosting leaves the address shown")
	}
}

func TestOfflineBuildSaysSyncIsUnavailable(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sync"})
	u.syncView.relay.SetText("ws://127.0.0.1:7420")
	u.syncView.token.SetText(someToken)
	test.Tap(u.syncView.connect)
	if got := dialogText(w); !containsFold(got, "cannot sync") {
		t.Errorf("connecting without a sync client says %q", got)
	}
	if got := texts(u.status.content()); !strings.Contains(got, "Offline") || !strings.Contains(got, "unsynced changes") {
		t.Errorf("status line:\n%s", got)
	}
}

// conflictedPair makes a shop and a replica that both changed MUG's
// price at once and synced: the later edit wins, the other is a conflict.
func conflictedPair(t *testing.T) (*app.Shop, *app.Shop) {
	t.Helper()
	ctx := context.Background()
	a := stockedShop(t)
	b, clock := laptopOf(t, a)
	must[domain.SKU](t)(a.EditSKU(ctx, "MUG", app.SKUFields{Price: ptr(domain.Money(2500))}))
	clock.Set(testNow.Add(time.Minute))
	must[domain.SKU](t)(b.EditSKU(ctx, "MUG", app.SKUFields{Price: ptr(domain.Money(2200))}))
	exchange(t, a, b)
	return a, b
}

// laptopOf is a replica of a, the device "laptop", synced with it, and
// its own clock, at testNow: a second device to edit a's records apart.
func laptopOf(t *testing.T, a *app.Shop) (*app.Shop, *testClock) {
	t.Helper()
	clock := &testClock{t: testNow}
	b, err := app.CreateReplica(filepath.Join(t.TempDir(), "replica.db"), apptest.InviteOf(t, a), "laptop", app.Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	exchange(t, a, b)
	return b, clock
}

// exchange syncs two shops both ways.
func exchange(t *testing.T, a, b *app.Shop) {
	t.Helper()
	ctx := context.Background()
	for _, d := range [][2]*app.Shop{{a, b}, {b, a}} {
		v := must[map[string]int64](t)(vectorMap(d[1]))
		cs, err := d[0].ChangesAfter(ctx, v, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d[1].Apply(ctx, cs); err != nil {
			t.Fatal(err)
		}
	}
}

func vectorMap(s *app.Shop) (map[string]int64, error) {
	v, err := s.Vector(context.Background())
	return v, err
}

func TestConflictUndoRestoresTheLostValue(t *testing.T) {
	a, _ := conflictedPair(t)
	u, w := newTestUI(t, a, Options{Screen: "sync"})
	s := u.syncView
	if len(s.conflicts) != 1 {
		t.Fatalf("conflicts shown: %+v", s.conflicts)
	}
	got := texts(s.list)
	if !strings.Contains(got, "SKU MUG · price") || !strings.Contains(got, "kept 22.00 · lost 25.00 (on this device") {
		t.Errorf("conflict row:\n%s", got)
	}
	if price := must[domain.SKU](t)(a.SKU(context.Background(), "MUG")).Price; price != 2200 {
		t.Fatalf("the later edit should have won: price %s", price)
	}
	tapButton(t, w, "Undo")
	if price := must[domain.SKU](t)(a.SKU(context.Background(), "MUG")).Price; price != 2500 {
		t.Errorf("after undo the price is %s, want the lost 25.00", price)
	}
	if len(s.conflicts) != 0 || !s.empty.Visible() {
		t.Errorf("after undo the list still shows %d conflicts", len(s.conflicts))
	}
	// What was undone is said in a sentence, as other screens say what an
	// action did: the row went, and nothing said what had changed.
	const said = "On SKU MUG, price is 25.00 again, as this device set it, in place of 22.00; other devices take it when they sync."
	if got := texts(s.obj); !strings.Contains(got, said) {
		t.Errorf("after undo the Sync screen says:\n%s\nwant %q", got, said)
	}
}

// A conflict over a time names the field as a maker reads it and its
// times as the app writes dates: it read "resumed_at" and
// "2026-05-30T09:30:00Z".
func TestAConflictOverATimeReadsAsTheAppWritesTimes(t *testing.T) {
	ctx := context.Background()
	a := stockedShop(t)
	if err := a.PauseFactory(ctx, "Clay Works", "kiln repair"); err != nil {
		t.Fatal(err)
	}
	b, clock := laptopOf(t, a)
	// Both after the pause (a resume comes after the pause it lifts).
	if err := a.ResumeFactoryAt(ctx, "Clay Works", day(0).Add(150*time.Minute)); err != nil {
		t.Fatal(err)
	}
	clock.Set(testNow.Add(time.Minute))
	if err := b.ResumeFactoryAt(ctx, "Clay Works", day(1).Add(-3*time.Hour+3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	exchange(t, a, b)
	u, w := newTestUI(t, a, Options{Screen: "sync"})
	got := texts(u.syncView.list)
	if !strings.Contains(got, "factory Clay Works · resumed") || !strings.Contains(got, "kept 2 Jun 2026 09:03 · lost 1 Jun 2026 14:30 (on this device") {
		t.Errorf("the conflict reads:\n%s\nwant the field as resumed and its times as 2 Jun 2026 09:03", got)
	}
	tapButton(t, w, "Undo")
	const said = "On factory Clay Works, resumed is 1 Jun 2026 14:30 again, as this device set it, in place of 2 Jun 2026 09:03"
	if got := texts(u.syncView.obj); !strings.Contains(got, said) {
		t.Errorf("after undo the Sync screen says:\n%s\nwant %q", got, said)
	}
}

// A conflict over a factory's pause reason words a failed QA's pause as
// Today and the Factories screen do, naming the batch by its SKU and the
// day it was ordered: it showed the stored reason, with the batch's
// 36-character id.
func TestAConflictOverAFailedQAsPauseNamesTheBatch(t *testing.T) {
	ctx := context.Background()
	a := stockedShop(t)
	batch := orderedBatch(t, a)
	if _, err := a.ReceiveBatch(ctx, batch.ID, 20, day(-1)); err != nil {
		t.Fatal(err)
	}
	b, clock := laptopOf(t, a)
	if _, err := a.DecideQA(ctx, batch.ID, false, "cracked", time.Time{}); err != nil {
		t.Fatal(err)
	}
	clock.Set(testNow.Add(time.Minute))
	if err := b.PauseFactory(ctx, "Print Hub", "kiln repair"); err != nil {
		t.Fatal(err)
	}
	exchange(t, a, b)
	u, _ := newTestUI(t, a, Options{Screen: "sync"})
	got := texts(u.syncView.list)
	want := "lost the batch of PRINT-A4 ordered on " + day(-6).Format(time.DateOnly) + " failed QA on " + testNow.Format(time.DateOnly)
	if !strings.Contains(got, "factory Print Hub · reason for the pause") || !strings.Contains(got, "kept kiln repair · "+want) {
		t.Errorf("the conflict reads:\n%s\nwant kiln repair kept and %q", got, want)
	}
	if strings.Contains(got, batch.ID) {
		t.Errorf("the conflict reads:\n%s\nwith the batch's id %s", got, batch.ID)
	}
	// Today's line quotes the values as shown, not as stored.
	alerts, err := a.Alerts(ctx, app.AsOf{})
	if err != nil {
		t.Fatal(err)
	}
	for _, al := range alerts {
		if al.Kind == app.AlertSyncConflict && (!strings.Contains(al.Message, `"`+want[len("lost "):]) || strings.Contains(al.Message, batch.ID)) {
			t.Errorf("Today says %q; want the failed batch named in quotes, %q, and not its id", al.Message, want[len("lost "):])
		}
	}
}

// A value lost on this device says so, not this device's own name, which
// read as another's ("on stall laptop" on the stall laptop); one lost on
// another device names it.
func TestAConflictLostHereSaysThisDevice(t *testing.T) {
	a, b := conflictedPair(t)
	for _, tc := range []struct {
		name string
		shop *app.Shop
		want string
	}{
		{"on the device that lost", a, "lost 25.00 (on this device, "},
		{"on the device that won", b, "lost 25.00 (on stall laptop, "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := newTestUI(t, tc.shop, Options{Screen: "sync"})
			if got := texts(u.syncView.list); !strings.Contains(got, tc.want) {
				t.Errorf("the conflict reads:\n%s\nwant %q", got, tc.want)
			}
		})
	}
}

func TestChangesFromAnotherProgramAppear(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	// microshopctl opens the same file and sells two mugs.
	other, err := app.Open(shop.Path(), app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	mustSell(t, other, "MUG", 2, time.Time{})
	if got := shownAvailable(t, findTile(t, w, "MUG")); got != "42" {
		t.Fatalf("the tile changed before a poll: %s", got)
	}
	u.poll()
	if got, want := shownAvailable(t, findTile(t, w, "MUG")), "40"; got != want {
		t.Errorf("after a poll the MUG tile shows %s, want %s", got, want)
	}
	if !strings.Contains(u.sell.total.Text, "1 line · 2 units") {
		t.Errorf("day total %q does not count the other program's sale", u.sell.total.Text)
	}
}

func TestLowStockTransitionNotifies(t *testing.T) {
	shop := stockedShop(t)
	_, w := newTestUI(t, shop, Options{Screen: "sell"})
	// PRINT-A4 needs a reorder already; a mug sale that leaves plenty
	// notifies nothing, emptying the print does.
	test.AssertNotificationSent(t, nil, func() { test.Tap(findTile(t, w, "MUG")) })
	test.AssertNotificationSent(t, fyne.NewNotification("Out of stock: PRINT-A4", "Fern print A4 has no units available."), func() {
		setQty(t, w, "3")
		test.Tap(findTile(t, w, "PRINT-A4"))
	})
}

func setQty(t *testing.T, w fyne.Window, q string) {
	t.Helper()
	var e *widget.Entry
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if x, ok := entryOf(o); ok && x.Text == "1" && e == nil {
			e = x
		}
		return e == nil
	})
	if e == nil {
		t.Fatal("no quantity box")
	}
	e.SetText(q)
}

func TestTransitionsOnlyForSKUsGettingWorse(t *testing.T) {
	row := func(id string, st domain.Status) app.StockRow {
		return app.StockRow{SKU: domain.SKU{ID: id, Code: id, Name: "n"}, Assessment: domain.Assessment{Status: st}}
	}
	first, notes := transitions(nil, []app.StockRow{row("a", domain.StatusStockout)})
	if len(notes) != 0 {
		t.Errorf("the first read notified %d", len(notes))
	}
	_, notes = transitions(first, []app.StockRow{row("a", domain.StatusOK), row("b", domain.StatusStockout)})
	if len(notes) != 0 {
		t.Errorf("getting better or appearing notified %d", len(notes))
	}
	prev := map[string]domain.Status{"a": domain.StatusOK, "b": domain.StatusOK, "c": domain.StatusOK, "d": domain.StatusLow, "e": domain.StatusOK}
	rows := []app.StockRow{row("a", domain.StatusLow), row("b", domain.StatusReorder), row("c", domain.StatusStockout), row("d", domain.StatusOversold), row("e", domain.StatusOK)}
	_, notes = transitions(prev, rows)
	if len(notes) != 1 || notes[0].Title != "4 SKUs need attention" {
		t.Errorf("four getting worse at once: %+v", notes)
	}
	_, notes = transitions(prev, rows[:2])
	if len(notes) != 2 || notes[0].Title != "Running low: a" || notes[1].Title != "Reorder b" {
		t.Errorf("two getting worse: %+v", notes)
	}
	// A kit takes its parts' status; they notify, the kit does not: it
	// said "order 0 from ." for a kit, which no factory makes.
	kit := row("k", domain.StatusReorder)
	kit.SKU.Path = domain.PathKit
	if _, notes = transitions(map[string]domain.Status{"k": domain.StatusOK}, []app.StockRow{kit}); len(notes) != 0 {
		t.Errorf("a kit getting worse notified: %+v", notes[0])
	}
}

func TestShortcutsSwitchScreens(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	for i, name := range ScreenNames {
		w.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: screenKeys[i], Modifier: fyne.KeyModifierShortcutDefault})
		if got := u.currentScreen(); got != u.screens[i] {
			t.Errorf("Ctrl+%d shows %s, want %s", i+1, got.title(), name)
		}
	}
	if got, want := w.Title(), "Microshop — Fern & Kiln"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	menu := w.MainMenu()
	if menu == nil || len(menu.Items) < 2 || len(menu.Items[1].Items) < len(ScreenNames) {
		t.Fatal("no Go menu listing the screens")
	}
	if sc := menu.Items[1].Items[1].Shortcut; sc == nil || sc.ShortcutName() != (&desktop.CustomShortcut{KeyName: fyne.Key2, Modifier: fyne.KeyModifierShortcutDefault}).ShortcutName() {
		t.Errorf("the Go menu's Sell item has shortcut %v", sc)
	}
	// Ctrl+Z on the Sell screen undoes the last sale.
	u.show(screenIndex("sell"))
	test.Tap(findTile(t, w, "MUG"))
	w.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault})
	if got := stockOf(t, shop, "MUG").Available; got != 42 {
		t.Errorf("after Ctrl+Z the shop has %d MUG, want 42", got)
	}
	// With a dialog open the shortcuts leave the screen behind it alone,
	// and Ctrl+Z is the form's: it had undone the sale before.
	test.Tap(findTile(t, w, "MUG"))
	f := u.skus.editForm(nil)
	ctrlKey := func(k fyne.KeyName) {
		w.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
	}
	ctrlKey(fyne.Key1)
	ctrlKey(fyne.KeyZ)
	ctrlKey(fyne.KeyB)
	if got := u.currentScreen(); got != u.sell || !onScreen(w, f.dialog.form) || len(w.Canvas().Overlays().List()) != 1 {
		t.Errorf("shortcuts over a form: screen %s, form shown %v, %d dialogs; want the Sell screen and the form alone", got.title(), onScreen(w, f.dialog.form), len(w.Canvas().Overlays().List()))
	}
	if got := stockOf(t, shop, "MUG").Available; got != 41 {
		t.Errorf("Ctrl+Z in a form over the Sell screen left %d MUG, want 41: the sale stands", got)
	}
}

// Two devices that added the same code while apart: the list opens each
// SKU by its own row, and the editor gives one a code of its own.
func TestTwoSKUsWithOneCodeAreToldApartAndOneRenamed(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	other := must[*app.Shop](t)(app.CreateReplica(filepath.Join(t.TempDir(), "workshop.db"), apptest.InviteOf(t, shop), "workshop",
		app.Options{Now: func() time.Time { return testNow }, Location: time.UTC}))
	t.Cleanup(func() { other.Close() })
	exchange := func() {
		for _, p := range [][2]*app.Shop{{shop, other}, {other, shop}} {
			all := must[[]changes.Change](t)(p[0].ChangesAfter(ctx, nil, 0))
			must[changes.Vector](t)(p[1].Apply(ctx, all))
		}
	}
	exchange()
	mustSKU(t, shop, "TOTE", "Fern tote bag", domain.PathDigital, "", 1500)
	mustSKU(t, other, "TOTE", "Moth tote bag", domain.PathDigital, "", 1600)
	exchange()
	// The code names neither now (TestACodeOnTwoSKUsIsRefusedWhereItWouldPickOne):
	// this device's own tote keeps it, the other is renamed.
	var meant domain.SKU
	for _, k := range must[[]domain.SKU](t)(shop.SKUs(ctx)) {
		if k.Name == "Fern tote bag" {
			meant = k
		}
	}

	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	s := u.skus
	s.filterEntry.SetText("tote")
	if len(s.view) != 2 {
		t.Fatalf("filtering by tote shows %d rows, want both TOTE SKUs", len(s.view))
	}
	row := 0
	if s.rows[s.view[0]].SKU.ID == meant.ID {
		row = 1
	}
	s.table.Select(widget.TableCellID{Row: row, Col: 0})
	second := s.detail.row.SKU
	if second.ID == meant.ID || s.detail.heading.Text != "TOTE — "+second.Name {
		t.Fatalf("the other TOTE's row shows %q (%s); want its own detail", s.detail.heading.Text, second.ID)
	}
	f := s.editForm(&second)
	f.code.SetText("TOTE-2")
	tapButton(t, w, "Save")
	if got := dialogText(w); got != "" {
		t.Fatalf("renaming shows %q", got)
	}
	if k := must[domain.SKU](t)(shop.SKU(ctx, "TOTE-2")); k.ID != second.ID {
		t.Errorf("TOTE-2 is %s %q, want the renamed %q", k.ID, k.Name, second.Name)
	}
	if k := must[domain.SKU](t)(shop.SKU(ctx, "TOTE")); k.ID != meant.ID {
		t.Errorf("TOTE is now %q, want %q still", k.Name, meant.Name)
	}
}

// Choosing the digital path clears and disables the factory; it used to
// recurse through the factory select until the stack ran out.
func TestSKUEditorTakesADigitalSKU(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	f.factory.SetSelected("Print Hub")
	f.path.SetSelected("digital")
	if f.factory.Selected != "" || !f.factory.Disabled() {
		t.Errorf("a digital SKU's factory shows %q, disabled %v; want none, disabled", f.factory.Selected, f.factory.Disabled())
	}
	addFromForm(t, w, f, "ZINE", "Fern zine (PDF)", "4")
	zine := must[domain.SKU](t)(shop.SKU(context.Background(), "ZINE"))
	e := u.skus.editForm(&zine)
	e.price.SetText("5")
	tapButton(t, w, "Save")
	if k := must[domain.SKU](t)(shop.SKU(context.Background(), "ZINE")); k.Price != 500 || k.Path != domain.PathDigital {
		t.Errorf("after editing, ZINE is %+v", k)
	}
}

// addFromForm fills in the new SKU form's code, name and price and adds
// the SKU, which must go through without a message.
func addFromForm(t *testing.T, w fyne.Window, f *skuForm, code, name, price string) {
	t.Helper()
	f.code.SetText(code)
	f.name.SetText(name)
	f.price.SetText(price)
	tapButton(t, w, "Add SKU")
	if got := dialogText(w); got != "" {
		t.Fatalf("adding %s shows %q", code, got)
	}
}

// A reorder resting on under 14 days of history is marked new on Today and
// in the SKU table; a digital SKU's detail shows no cover.
func TestNewSKUReorderIsMarkedAndDigitalHasNoCover(t *testing.T) {
	shop := stockedShop(t)
	mustSKU(t, shop, "VASE", "Tall vase", domain.PathMicrofactory, "Clay Works", 4000)
	mustCount(t, shop, "VASE", 30, day(0).Add(-2*time.Hour))
	mustSell(t, shop, "VASE", 28, day(0).Add(-time.Hour))
	u, _ := newTestUI(t, shop, Options{})
	marks := map[string]bool{}
	for _, it := range u.today.items {
		if it.alert.Kind == app.AlertReorder {
			marks[it.alert.Subject] = it.newSKU
		}
	}
	if _, ok := marks["PRINT-A4"]; !ok || !marks["VASE"] || marks["PRINT-A4"] || marks["CANDLE"] {
		t.Errorf("reorders on Today, marked new or not: %v; want VASE new, PRINT-A4 and CANDLE not", marks)
	}
	if got := texts(u.today.list); !strings.Contains(got, "Reorder · new") {
		t.Errorf("Today shows:\n%s\nwant VASE's reorder marked new", got)
	}
	// What new means is said in the row, as a bundle idea's is.
	for _, msg := range rowMessages(u, app.AlertReorder) {
		if explained := strings.HasSuffix(msg, ". New: under 14 days of history, so the rate is a first guess."); explained != strings.Contains(msg, " of VASE ") {
			t.Errorf("a reorder reads %q; want only VASE's, marked new, to say what new means", msg)
		}
	}
	u.showScreen(u.skus)
	if got := texts(u.skus.table); !strings.Contains(got, "reorder · new") {
		t.Errorf("the SKU table shows:\n%s\nwant VASE's reorder marked new", got)
	}

	u.openSKU("GUIDE")
	d := u.skus.detail
	for fact, want := range map[string]string{"Days of cover": "never runs out", "Cover min / max": "—", "Lead time": "—"} {
		if got := d.facts[fact].Text; got != want {
			t.Errorf("digital GUIDE's %s: %q, want %q", fact, got, want)
		}
	}
}

// The SKUs screen says what "new" means in the words Today uses, once
// below the table while a row shown is marked new, and under the status
// of a SKU's detail: the mark alone left it to be guessed.
func TestTheSKUsScreenSaysWhatNewMeans(t *testing.T) {
	shop := stockedShop(t)
	mustSKU(t, shop, "VASE", "Tall vase", domain.PathMicrofactory, "Clay Works", 4000)
	mustCount(t, shop, "VASE", 30, day(0).Add(-2*time.Hour))
	mustSell(t, shop, "VASE", 28, day(0).Add(-time.Hour))
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	const note = "New: under 14 days of history, so the rate is a first guess."
	s := u.skus
	for _, size := range []fyne.Size{smallWindow, fyne.NewSize(1280, 800)} {
		w.Resize(size)
		s.filterEntry.SetText("")
		if !onScreen(w, s.newNote) || s.newNote.Text != note {
			t.Fatalf("at %v with VASE marked new, the note under the table is shown %v, says %q; want %q", size, onScreen(w, s.newNote), s.newNote.Text, note)
		}
		pos := func(o fyne.CanvasObject) fyne.Position {
			return fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
		}
		if tableEnd, top := pos(s.table).Y+s.table.Size().Height, pos(s.newNote).Y; tableEnd > top ||
			top+s.newNote.Size().Height > size.Height || s.newNote.Size().Height > s.newNote.MinSize().Height+1 {
			t.Errorf("at %v the note is at %v, %v, the table ends at %v; want it below the table, within the window", size, pos(s.newNote), s.newNote.Size(), tableEnd)
		}
		// The mark itself is read whole, not cut to "reorder · …".
		var mark *widget.Label
		walk(s.table, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && l.Text == "reorder · new" && l.Visible() {
				mark = l
			}
			return mark == nil
		})
		if mark == nil || mark.Truncation != fyne.TextTruncateOff {
			t.Errorf("at %v VASE's status, shown %v, is cut to \"reorder · …\"", size, mark != nil)
		}
		s.filterEntry.SetText("MUG")
		if onScreen(w, s.newNote) {
			t.Errorf("at %v with no row marked new shown, the note is shown", size)
		}
	}
	if got := texts(u.skus.table); strings.Contains(got, "first guess") {
		t.Errorf("the rows say %q; want what new means said once, below them", got)
	}

	u.openSKU("MUG")
	u.openSKU("VASE")
	d := s.detail
	if !onScreen(w, d.newNote) || d.newNote.Text != note {
		t.Errorf("VASE's detail, marked new, shows the note %v: %q; want %q", onScreen(w, d.newNote), d.newNote.Text, note)
	}
	if bottom := d.newNote.Position().Y + d.newNote.Size().Height; d.newNote.Size().Height == 0 || bottom > d.actions.Position().Y {
		t.Errorf("VASE's note ends at %v, %v high, its buttons start at %v; want it laid out above them", bottom, d.newNote.Size().Height, d.actions.Position().Y)
	}
	u.openSKU("MUG")
	if onScreen(w, s.detail.newNote) {
		t.Error("MUG's detail, not new, says what new means")
	}
}

// A buyer message whose date waits on a paused factory comes with a
// warning for the maker beside it, which Copy leaves out of what goes to
// the buyer; a SKU on the shelf shows none.
func TestABuyerMessageFromAPausedFactoryWarnsBesideIt(t *testing.T) {
	shop := stockedShop(t)
	if err := shop.PauseFactory(context.Background(), "Clay Works", "cracked glaze"); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "skus"})
	d := u.skus.detail
	u.openSKU("CANDLE")
	if !d.messageWarning.Visible() || !strings.Contains(d.messageWarning.Text, "Clay Works is paused") {
		t.Errorf("CANDLE, out of stock from a paused factory: warning %q (shown %v), want it to say Clay Works is paused",
			d.messageWarning.Text, d.messageWarning.Visible())
	}
	test.Tap(d.copyBtn)
	if got := u.app.Clipboard().Content(); got != d.message.Text {
		t.Errorf("Copy put %q on the clipboard, want the buyer message alone (%q)", got, d.message.Text)
	}
	if d.copyBtn.Text != "Copied" {
		t.Errorf("after Copy the button reads %q; want Copied, so the maker sees it went", d.copyBtn.Text)
	}
	u.openSKU("MUG")
	if d.messageWarning.Visible() {
		t.Errorf("MUG, in stock: warning %q shown", d.messageWarning.Text)
	}
	if d.copyBtn.Text != "Copy" {
		t.Errorf("another SKU's button reads %q; want Copy", d.copyBtn.Text)
	}
}

// A SKU's detail opens at its top, whichever SKU was scrolled before:
// it opened at the last one's scroll, its heading and buttons out of view.
func TestASKUsDetailOpensAtItsTop(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	w.Resize(fyne.NewSize(800, 600))
	d := u.skus.detail
	u.openSKU("MUG")
	d.scroll.ScrollToBottom()
	if d.scroll.Offset.Y == 0 {
		t.Skip("the detail fits the window: nothing to scroll")
	}
	u.openSKU("CANDLE")
	if d.scroll.Offset.Y != 0 {
		t.Errorf("CANDLE's detail opened %v down, want at its top", d.scroll.Offset.Y)
	}
}

// Enter in the SKU filter opens the SKU whose code was typed whole, else
// the first listed: it did nothing, and the keyboard could not reach a
// SKU's detail (its Count…).
func TestEnterInTheSKUFilterOpensTheSKU(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "skus"})
	s := u.skus
	for _, c := range []struct{ typed, want string }{
		{"print-a4", "PRINT-A4 — Fern print A4"},
		{"clay", "CANDLE — Beeswax candle"}, // CANDLE and MUG: the first listed
	} {
		s.md.showList()
		s.filterEntry.SetText("")
		w.Canvas().Focus(s.filterEntry)
		typeFocused(t, w, c.typed)
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if got := s.detail.heading.Text; got != c.want || !onScreen(w, s.detail.heading) {
			t.Errorf("Enter after %q shows the detail %q (on screen %v), want %q", c.typed, got, onScreen(w, s.detail.heading), c.want)
		}
	}
}

// A new shop's SKU list says how to add SKUs, where it was a bare row of
// headings; it goes once there is a SKU. A filter that leaves every SKU
// out says nothing matches it, not that the shop has none.
func TestTheSKUListSaysWhyItIsEmpty(t *testing.T) {
	shop := mustShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	w.Resize(smallWindow)
	s := u.skus
	says := func(when, want string) {
		t.Helper()
		switch {
		case want == "" && (onScreen(w, s.empty) || !onScreen(w, s.table)):
			t.Errorf("%s, the list says %q in place of the table", when, s.empty.Text)
		case want != "" && (!onScreen(w, s.empty) || !strings.HasPrefix(s.empty.Text, want)):
			t.Errorf("%s, the list says %q (shown: %v), want %q…", when, s.empty.Text, onScreen(w, s.empty), want)
		case want != "" && s.empty.Size().Height < s.empty.MinSize().Height:
			t.Errorf("%s, %q is cut to %.0f of the %.0f high it needs", when, s.empty.Text, s.empty.Size().Height, s.empty.MinSize().Height)
		}
	}
	says("in a new shop", "No SKUs on sale yet: New SKU… adds one, or Shop → Import a file…")

	mustSKU(t, shop, "GUIDE", "Glazing guide (PDF)", domain.PathDigital, "", 500)
	u.reload()
	says("with a SKU", "")
	s.filterEntry.SetText("vase")
	says("filtered to what matches none", `No SKU matches "vase".`)
	s.status.SetSelected("Oversold")
	says("filtered by text and status", `No SKU with the status "Oversold" matches "vase".`)
	s.filterEntry.SetText("")
	says("filtered by status", `No SKU matches the status "Oversold".`)
	s.status.SetSelected(statusFilters[0])
	says("with the filters cleared", "")
}
