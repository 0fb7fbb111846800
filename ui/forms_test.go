package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// formItem is the widget of the form item labelled label.
func formItem[T fyne.CanvasObject](t *testing.T, f *formDialog, label string) T {
	t.Helper()
	in := f.input(label)
	if in == nil {
		t.Fatalf("the form has no item %q", label)
	}
	if w, ok := in.(T); ok {
		return w
	}
	if e, ok := entryOf(in); ok {
		if w, ok := any(e).(T); ok {
			return w
		}
	}
	t.Fatalf("form item %q is a %T", label, in)
	var zero T
	return zero
}

func setEntry(t *testing.T, f *formDialog, label, text string) {
	t.Helper()
	formItem[*widget.Entry](t, f, label).SetText(text)
}

func submit(t *testing.T, w fyne.Window, f *formDialog) {
	t.Helper()
	tapButton(t, w, f.submitBtn.Text)
}

// TestFormsRejectBadInput fills every form with input it must refuse, and
// checks that it says why in the form itself, stays open, and writes
// nothing.
func TestFormsRejectBadInput(t *testing.T) {
	type env struct {
		t    *testing.T
		u    *UI
		w    fyne.Window
		shop *app.Shop
		b    domain.Batch // 20 PRINT-A4 ordered from the new Print Hub, 20 received (2 held)
	}
	sku := func(fill func(f *skuForm)) func(e env) *formDialog {
		return func(e env) *formDialog {
			f := e.u.skus.editForm(nil)
			f.code.SetText("VASE")
			f.name.SetText("Tall vase")
			f.path.SetSelected("microfactory")
			f.factory.SetSelected("Clay Works")
			f.price.SetText("30.00")
			fill(f)
			return f.dialog
		}
	}
	order := func(fill func(f *formDialog)) func(e env) *formDialog {
		return func(e env) *formDialog {
			f := e.u.batches.orderForm("MUG", 30)
			fill(f)
			return f
		}
	}
	factory := func(fill func(f *formDialog)) func(e env) *formDialog {
		return func(e env) *formDialog {
			f := e.u.factories.addForm()
			setEntry(e.t, f, "Name", "Kiln Co")
			formItem[*widget.Select](e.t, f, "Kind").SetSelected("workshop")
			setEntry(e.t, f, "Lead time", "7")
			fill(f)
			return f
		}
	}
	settings := func(fill func(f *formDialog)) func(e env) *formDialog {
		return func(e env) *formDialog {
			f := e.u.shopSettingsForm()
			setEntry(e.t, f, "Shop name", "Fern & Clay")
			fill(f)
			return f
		}
	}
	cases := []struct {
		name string
		open func(e env) *formDialog
		want string
	}{
		{"sku without code", sku(func(f *skuForm) { f.code.SetText("") }), "SKU code is empty"},
		{"sku code with a space", sku(func(f *skuForm) { f.code.SetText("TALL VASE") }), `has ' ' in it`},
		{"sku code taken", sku(func(f *skuForm) { f.code.SetText("mug") }), `is taken by SKU MUG "Blue stoneware mug"; choose another; open that SKU`},
		{"sku without name", sku(func(f *skuForm) { f.name.SetText("  ") }), "SKU name is empty"},
		{"sku without path", sku(func(f *skuForm) { f.path.ClearSelected() }), "choose a supply path"},
		{"sku without factory", sku(func(f *skuForm) { f.factory.ClearSelected() }), "needs its primary factory"},
		{"sku price with a thousands comma", sku(func(f *skuForm) { f.price.SetText("1,000") }), `"1,000" is ambiguous`},
		{"sku cost negative", sku(func(f *skuForm) { f.cost.SetText("-1") }), `"-1" is below zero; amounts of money are 0 or more`},
		{"sku lead time in words", sku(func(f *skuForm) { f.lead.SetText("soon") }), `"soon" is not a valid lead time`},
		{"sku min cover too long", sku(func(f *skuForm) { f.minCover.SetText("400") }), "400 is not a valid minimum cover"},
		{"sku max below min", sku(func(f *skuForm) { f.minCover.SetText("20"); f.maxCover.SetText("10") }), "below minimum cover"},
		{"sku edit max below min", func(e env) *formDialog {
			k, _ := e.shop.SKU(context.Background(), "MUG")
			f := e.u.skus.editForm(&k)
			f.maxCover.SetText("3")
			return f.dialog
		}, "maximum cover 3 days is below minimum cover 14 days"},

		{"order quantity in words", order(func(f *formDialog) { setEntry(t, f, "Quantity", "ten") }), `"ten" is not a quantity`},
		{"order nothing", order(func(f *formDialog) { setEntry(t, f, "Quantity", "0") }), "0 is not a valid quantity"},
		{"order unknown sku", order(func(f *formDialog) { setEntry(t, f, "SKU", "NOPE") }), "NOPE"},
		{"order without sku", order(func(f *formDialog) { setEntry(t, f, "SKU", "") }), "SKU code is empty"},
		{"order digital", order(func(f *formDialog) { setEntry(t, f, "SKU", "GUIDE") }), "digital and never runs out"},
		{"order bad date", order(func(f *formDialog) { setEntry(t, f, "Expected", "next week") }), `"next week" is not a date`},
		{"order bad cost", order(func(f *formDialog) { setEntry(t, f, "Unit cost", "8.999") }), `"8.999" is ambiguous`},

		{"receive nothing", func(e env) *formDialog {
			f := e.u.batches.receiveForm(e.b)
			setEntry(e.t, f, "Units arrived", "")
			return f
		}, "the quantity is empty"},
		{"fail QA without a note", func(e env) *formDialog { return e.u.batches.failForm(e.b) }, "needs a note"},

		{"factory without name", factory(func(f *formDialog) { setEntry(t, f, "Name", "") }), "factory name is empty"},
		{"factory name taken", factory(func(f *formDialog) { setEntry(t, f, "Name", "clay works") }), "already a factory"},
		{"factory without kind", factory(func(f *formDialog) { formItem[*widget.Select](t, f, "Kind").ClearSelected() }), "choose the factory's kind"},
		{"factory without lead time", factory(func(f *formDialog) { setEntry(t, f, "Lead time", "") }), "lead time is empty"},
		{"factory negative lead time", factory(func(f *formDialog) { setEntry(t, f, "Lead time", "-3") }), "-3 is not a valid lead time"},
		{"factory zero multiple", factory(func(f *formDialog) { setEntry(t, f, "Batch multiple", "0") }), `"0" is not a valid batch multiple`},
		{"factory minimum order in words", factory(func(f *formDialog) { setEntry(t, f, "Minimum order", "a box") }), `"a box" is not a valid minimum order`},

		{"count in words", func(e env) *formDialog {
			k, _ := e.shop.SKU(context.Background(), "MUG")
			f := e.u.skus.countForm(k)
			setEntry(e.t, f, "Units on hand", "many")
			return f
		}, `"many" is not a stock count`},
		{"adjust by zero", func(e env) *formDialog {
			k, _ := e.shop.SKU(context.Background(), "MUG")
			f := e.u.skus.adjustForm(k)
			setEntry(e.t, f, "Units", "0")
			setEntry(e.t, f, "Note", "broken")
			return f
		}, "not an adjustment"},
		{"adjust without note", func(e env) *formDialog {
			k, _ := e.shop.SKU(context.Background(), "MUG")
			f := e.u.skus.adjustForm(k)
			setEntry(e.t, f, "Units", "-2")
			return f
		}, "needs a note"},

		{"settings without a name", settings(func(f *formDialog) { setEntry(t, f, "Shop name", " ") }), "shop name is empty"},
		{"settings QA hold too high", settings(func(f *formDialog) { setEntry(t, f, "QA hold (%)", "12") }), "12 % is not a QA hold; use a whole percentage of each delivery from 5 to 10"},
		{"settings QA hold in words", settings(func(f *formDialog) { setEntry(t, f, "QA hold (%)", "ten") }), `"ten" is not a QA hold`},
		{"settings holding rate too high", settings(func(f *formDialog) { setEntry(t, f, "Holding rate (%)", "250 %") }), "250 % is not a holding rate"},
		{"settings holding rate empty", settings(func(f *formDialog) { setEntry(t, f, "Holding rate (%)", "") }), "the holding rate is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shop := stockedShop(t)
			b := orderedBatch(t, shop)
			if _, err := shop.ReceiveBatch(context.Background(), b.ID, 20, day(-1)); err != nil {
				t.Fatal(err)
			}
			u, w := newTestUI(t, shop, Options{})
			f := c.open(env{t: t, u: u, w: w, shop: shop, b: b})
			before := vectorTotal(t, shop)
			skus := len(must[[]domain.SKU](t)(shop.SKUs(context.Background())))
			submit(t, w, f)
			if got := texts(f.obj); !containsFold(got, c.want) {
				t.Errorf("the form says:\n%s\nwant %q", got, c.want)
			}
			if n := len(w.Canvas().Overlays().List()); n != 1 {
				t.Errorf("%d dialogs are open, want the form alone, saying what is wrong: %s", n, dialogText(w))
			}
			if !onScreen(w, f.form) {
				t.Error("the form closed on input it refused")
			}
			if got := vectorTotal(t, shop); got != before {
				t.Errorf("the shop changed: %d changes, want %d", got, before)
			}
			if got := len(must[[]domain.SKU](t)(shop.SKUs(context.Background()))); got != skus {
				t.Errorf("SKUs = %d, want %d", got, skus)
			}
		})
	}
}

func TestReturnFormRejectsBadInput(t *testing.T) {
	cases := []struct {
		name             string
		code, qty, batch string
		reason           string
		want             string
	}{
		{"no code", "", "1", "", "defect (quality)", "SKU code is empty"},
		{"unknown code", "NOPE", "1", "", "defect (quality)", "NOPE"},
		{"negative quantity", "MUG", "-1", "", "defect (quality)", "-1 is not a valid quantity"},
		{"quantity in words", "MUG", "one", "", "defect (quality)", `"one" is not a quantity`},
		{"no reason", "MUG", "1", "", "", "choose a reason"},
		{"unknown batch", "MUG", "1", "zzzzzz", "broke (quality)", "zzzzzz"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shop := stockedShop(t)
			u, w := newTestUI(t, shop, Options{Screen: "returns"})
			before := vectorTotal(t, shop)
			s := u.returns
			s.code.SetText(c.code)
			s.qty.SetText(c.qty)
			s.batch.SetText(c.batch)
			if c.reason != "" {
				s.reason.SetSelected(c.reason)
			}
			tapButton(t, w, "Record return")
			if got := texts(s.form.obj); !containsFold(got, c.want) {
				t.Errorf("the form says:\n%s\nwant %q", got, c.want)
			}
			if got := dialogText(w); got != "" {
				t.Errorf("a refused return opened a dialog: %q", got)
			}
			if got := vectorTotal(t, shop); got != before {
				t.Errorf("the shop changed: %d changes, want %d", got, before)
			}
			if s.code.Text != c.code {
				t.Errorf("the form was cleared after refusing its input")
			}
		})
	}
}

func TestReturnFormRecordsAndRestocks(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "returns"})
	s := u.returns
	before := stockOf(t, shop, "MUG").Available
	s.code.SetText("mug") // the confirmation names it as the shop does
	s.qty.SetText("2")
	s.reason.SetSelected("changed-mind (buyer)")
	s.restock.SetChecked(true)
	tapButton(t, w, "Record return")
	if got := dialogText(w); got != "" {
		t.Fatalf("recording a good return shows %q", got)
	}
	if got, want := stockOf(t, shop, "MUG").Available, before+2; got != want {
		t.Errorf("MUG available %d after restocking 2, want %d", got, want)
	}
	if !strings.Contains(s.done.Text, "Recorded 2 × MUG returned for changed-mind, back in stock") {
		t.Errorf("confirmation %q", s.done.Text)
	}
	if got := texts(s.numbers); !strings.Contains(got, "Clay Works") {
		t.Errorf("rates table does not list Clay Works:\n%s", got)
	}
}

// An odd return is asked about before it is recorded: a return has no
// undo, and a mistyped 40 went on the shelf with only a warning after.
func TestReturnFormAsksAboutAnOddReturnFirst(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "returns"})
	s := u.returns
	// 18 mugs were sold: 40 back is odd.
	before := stockOf(t, shop, "MUG").Available
	changes := vectorTotal(t, shop)
	s.code.SetText("MUG")
	s.qty.SetText("40")
	s.reason.SetSelected("changed-mind (buyer)")
	s.restock.SetChecked(true)
	tapButton(t, w, "Record return")
	if got := dialogText(w); !strings.Contains(got, "Record this return?") || !strings.Contains(got, "40 units of MUG would then have come back, more than the 18 ever sold") {
		t.Fatalf("an odd return shows %q; want it asked about, saying why", got)
	}
	if vectorTotal(t, shop) != changes {
		t.Fatal("the odd return was recorded before the answer")
	}
	tapButton(t, w, "Cancel")
	if vectorTotal(t, shop) != changes || s.qty.Text != "40" || s.code.Text != "MUG" {
		t.Fatalf("Cancel: %d changes (want %d), the form holds %q × %q; want nothing written and the form as typed", vectorTotal(t, shop), changes, s.qty.Text, s.code.Text)
	}
	tapButton(t, w, "Record return")
	tapButton(t, w, "Record it")
	if got, want := stockOf(t, shop, "MUG").Available, before+40; got != want {
		t.Errorf("MUG available %d, want %d: the return is recorded once asked", got, want)
	}
	if !strings.Contains(s.done.Text, "Recorded 40 × MUG") || !strings.Contains(s.done.Text, "Warning: 40 units of MUG have now come back") {
		t.Errorf("note under the form %q, want the confirmation and the warning", s.done.Text)
	}
	if s.done.Importance != widget.WarningImportance {
		t.Error("the note with a warning is not marked as one")
	}
}

func TestSellRejectsBadQuantity(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	before := vectorTotal(t, shop)
	for _, q := range []string{"abc", "0", "-2", "1.5"} {
		u.sell.qty.SetText(q)
		test.Tap(findTile(t, w, "MUG"))
		if got := u.sell.feedback.Text; !strings.Contains(got, "quantity") || u.sell.feedback.Importance != widget.DangerImportance {
			t.Errorf("quantity %q: the Sell screen says %q, want a word about the quantity in the error colour", q, got)
		}
	}
	if got := vectorTotal(t, shop); got != before {
		t.Errorf("bad quantities changed the shop: %d changes, want %d", got, before)
	}
}

func TestFirstRunCreateRejectsBadInputAndCreatesNothing(t *testing.T) {
	for _, c := range []struct{ name, shop, currency, want string }{
		{"no name", "  ", "EUR", "shop name is empty"},
		{"bad currency", "Fern & Kiln", "euro", `"euro" is not a currency code; use its three-letter code EUR`},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := t.TempDir() + "/shop.db"
			u, w := newTestUI(t, nil, Options{Path: path})
			u.first.name.SetText(c.shop)
			u.first.currency.SetText(c.currency)
			test.Tap(u.first.create)
			if got := texts(u.first.createForm.obj); !containsFold(got, c.want) {
				t.Errorf("the form says:\n%s\nwant %q", got, c.want)
			}
			if got := dialogText(w); got != "" {
				t.Errorf("a refused shop opened a dialog: %q", got)
			}
			if app.Exists(path) {
				t.Error("a refused shop left a database behind")
			}
			if u.Shop() != nil {
				t.Error("a refused shop was opened")
			}
		})
	}
}

func TestFirstRunCreatesAndOpensShop(t *testing.T) {
	path := t.TempDir() + "/shop.db"
	u, w := newTestUI(t, nil, Options{Path: path})
	u.first.name.SetText("Fern & Kiln")
	u.first.currency.SetText("gbp")
	test.Tap(u.first.create)
	if u.Shop() == nil {
		t.Fatalf("no shop opened; dialogs: %s", dialogText(w))
	}
	defer u.Shop().Close()
	if got, want := w.Title(), "Microshop — Fern & Kiln"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	info := must[app.ShopInfo](t)(u.Shop().Info(context.Background()))
	if info.Currency != "GBP" {
		t.Errorf("currency %q, want GBP", info.Currency)
	}
	if u.currentScreen() != u.today {
		t.Error("a new shop does not open on Today")
	}
}

func TestFirstRunJoinAndDemo(t *testing.T) {
	path := t.TempDir() + "/shop.db"
	var joined JoinRequest
	u, w := newTestUI(t, nil, Options{Path: path, Join: func(_ context.Context, p string, in JoinRequest) (*app.Shop, error) {
		joined = in
		return nil, domain.Errorf(domain.EUnauthorized, "the relay refused the token; ask for a new one")
	}})
	test.Tap(u.first.join)
	if got := texts(u.first.joinForm.obj); !strings.Contains(got, "invite is empty") {
		t.Errorf("joining with nothing says %q, want the invite is empty", got)
	}
	u.first.invite.SetText("ws://127.0.0.1:7420 secret")
	test.Tap(u.first.join)
	if got := texts(u.first.joinForm.obj); !strings.Contains(got, "not a usable invite") || joined.Invite != "" {
		t.Errorf("joining with a relay and token says %q and asked %+v, want the invite refused before anything", got, joined)
	}
	invite := app.Invite{Relays: []string{"ws://127.0.0.1:7420"}, Token: testToken, Shop: "0190d8e2-8d1e-7c3a-9f00-000000000001"}.String()
	u.first.invite.SetText(invite)
	u.first.joinDevice.SetText("stall laptop")
	test.Tap(u.first.join)
	if joined.Invite != invite || joined.Device != "stall laptop" {
		t.Errorf("join asked with %+v, want the invite and device stall laptop", joined)
	}
	if got := dialogText(w); !strings.Contains(got, "The relay refused the token") {
		t.Errorf("a refused join says %q", got)
	}
	closeDialogs(w)
	test.Tap(u.first.demo)
	if got := dialogText(w); !strings.Contains(got, "no demo shop") {
		t.Errorf("demo without a generator says %q", got)
	}
	if u.Shop() != nil {
		t.Error("a failed join or demo opened a shop")
	}
}

// A join says how many of the shop's changes have come of those to come:
// a bar going to and fro for the minutes a big shop takes said nothing of
// how long was left.
func TestAJoinCountsTheChangesAsTheyCome(t *testing.T) {
	var seen string
	var w fyne.Window
	u, w := newTestUI(t, nil, Options{Path: t.TempDir() + "/shop.db", Join: func(_ context.Context, _ string, in JoinRequest) (*app.Shop, error) {
		in.Progress(1500, 30000)
		seen = dialogText(w)
		return nil, domain.Errorf(domain.EUnavailable, "cannot reach the relay")
	}})
	u.first.invite.SetText(app.Invite{Relays: []string{"ws://127.0.0.1:7420"}, Token: testToken, Shop: "0190d8e2-8d1e-7c3a-9f00-000000000001"}.String())
	test.Tap(u.first.join)
	if !strings.Contains(seen, "Joining the shop") || !strings.Contains(seen, "1,500 of 30,000 changes") {
		t.Errorf("while joining the window shows %q, want Joining the shop and 1,500 of 30,000 changes", seen)
	}
}

// A refund paid at the stall is recorded with the return, and the close
// of the day takes it off the cash: the form had no refund, so the
// day's cash read too high by every refund paid out.
func TestReturnFormRecordsTheRefund(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "returns"})
	s := u.returns
	s.code.SetText("MUG")
	s.reason.SetSelected("changed-mind (buyer)")
	s.refund.SetText("x")
	tapButton(t, w, "Record return")
	if !strings.Contains(texts(s.form.obj), `"x" is not an amount`) {
		t.Fatalf("a refund of x: the form says\n%s\nwant it refused under Refund", texts(s.form.obj))
	}
	s.refund.SetText("24.00")
	s.payment.SetSelected("card")
	tapButton(t, w, "Record return")
	d, err := shop.Day(context.Background(), shop.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d.Refunds != 2400 || !strings.Contains(s.done.Text, "24.00 EUR paid back by card") {
		t.Errorf("the day's refunds %s, confirmation %q; want 24.00 paid back by card", d.Refunds, s.done.Text)
	}
}

// Enter in a first-run field presses its card's button, as in every
// other form: typing an invite and pressing Enter did nothing.
func TestEnterOnTheFirstRunPressesItsCardsButton(t *testing.T) {
	var joined []JoinRequest
	path := t.TempDir() + "/shop.db"
	u, _ := newTestUI(t, nil, Options{Path: path, Join: func(_ context.Context, _ string, in JoinRequest) (*app.Shop, error) {
		joined = append(joined, in)
		return nil, domain.Errorf(domain.EUnavailable, "cannot reach the relay")
	}})
	invite := app.Invite{Relays: []string{"ws://127.0.0.1:7420"}, Token: testToken, Shop: "0190d8e2-8d1e-7c3a-9f00-000000000001"}.String()
	u.first.invite.SetText(invite)
	u.first.invite.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(joined) != 1 || joined[0].Invite != invite {
		t.Fatalf("Enter in the invite joined %+v, want once with the invite", joined)
	}
	u.first.name.SetText("Fern & Kiln")
	u.first.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.Shop() == nil {
		t.Fatal("Enter in the shop's name made no shop")
	}
	u.Shop().Close()
}

// A join can be cancelled while it runs: a big shop takes minutes, and
// the wait had no way out. Cancelled, it says nothing is wrong and makes
// no shop.
func TestAJoinCanBeCancelled(t *testing.T) {
	var w fyne.Window
	var stopped bool
	u, w := newTestUI(t, nil, Options{Path: t.TempDir() + "/shop.db", Join: func(ctx context.Context, _ string, in JoinRequest) (*app.Shop, error) {
		tapButton(t, w, "Cancel")
		stopped = ctx.Err() != nil
		return nil, ctx.Err()
	}})
	u.first.invite.SetText(app.Invite{Relays: []string{"ws://127.0.0.1:7420"}, Token: testToken, Shop: "0190d8e2-8d1e-7c3a-9f00-000000000001"}.String())
	test.Tap(u.first.join)
	if !stopped {
		t.Fatal("Cancel did not stop the join")
	}
	if got := dialogText(w); got != "" {
		t.Errorf("after Cancel the window shows %q, want nothing more", got)
	}
	if u.Shop() != nil {
		t.Error("a cancelled join opened a shop")
	}
}

// An invite naming no relay joins with a bundle: without one, or with a
// file that is not there, the form says so under Bundle and nothing is
// asked; with one, the join is asked with the invite and the bundle.
func TestFirstRunJoinsByFileWithABundle(t *testing.T) {
	var joined []JoinRequest
	u, _ := newTestUI(t, nil, Options{Path: t.TempDir() + "/shop.db", Join: func(_ context.Context, _ string, in JoinRequest) (*app.Shop, error) {
		joined = append(joined, in)
		return nil, domain.Errorf(domain.EUnavailable, "stop here")
	}})
	f := u.first
	f.invite.SetText(testInviteByFile)
	test.Tap(f.join)
	if got := texts(f.joinForm.obj); !strings.Contains(got, "invite names no relay: choose a bundle exported on the inviting device") || len(joined) != 0 {
		t.Errorf("an invite by file alone: the form says %q and asked %+v, want a bundle asked for", got, joined)
	}
	missing := filepath.Join(t.TempDir(), "desk.msb")
	f.bundle.SetText(missing)
	test.Tap(f.join)
	if got := texts(f.joinForm.obj); !strings.Contains(got, "no file "+missing) || len(joined) != 0 {
		t.Errorf("a bundle not there: the form says %q and asked %+v", got, joined)
	}
	if err := os.WriteFile(missing, []byte("bundle"), 0o600); err != nil {
		t.Fatal(err)
	}
	test.Tap(f.join)
	if len(joined) != 1 || joined[0].Invite != testInviteByFile || joined[0].Bundle != missing {
		t.Errorf("join asked with %+v, want the invite and the bundle %s", joined, missing)
	}
}

// TestAFormDialogShrinksBackOnceItsErrorGoes shows a form's error under a
// field, then answers it with a choice: the dialog, grown by the error
// line, must come back to its height, not keep an empty band under its
// buttons. In an 800×600 window as in the first-start one, the dialog
// stays inside the window throughout.
func TestAFormDialogShrinksBackOnceItsErrorGoes(t *testing.T) {
	cases := []struct {
		name   string
		open   func(t *testing.T, u *UI) *formDialog
		choose func(f *formDialog) // answers the error
	}{
		{"Add factory without its kind", func(t *testing.T, u *UI) *formDialog {
			f := u.factories.addForm()
			setEntry(t, f, "Name", "Kiln Co")
			setEntry(t, f, "Lead time", "7")
			return f
		}, func(f *formDialog) { formItem[*widget.Select](t, f, "Kind").SetSelected("workshop") }},
		{"New SKU without its supply path", func(t *testing.T, u *UI) *formDialog {
			f := u.skus.editForm(nil)
			f.code.SetText("VASE")
			f.name.SetText("Tall vase")
			f.factory.SetSelected("Clay Works")
			f.price.SetText("30.00")
			return f.dialog
		}, func(f *formDialog) { formItem[*widget.Select](t, f, "Supply path").SetSelected("microfactory") }},
	}
	for _, window := range []fyne.Size{DefaultSize, smallWindow} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s in %v", c.name, window), func(t *testing.T) {
				u, w := newTestUI(t, stockedShop(t), Options{})
				w.Resize(window)
				f := c.open(t, u)
				opened := shownDialogSize(t, w)
				submit(t, w, f)
				if !onScreen(w, f.form) {
					t.Fatal("the form closed; want it open, saying what is wrong")
				}
				withError := shownDialogSize(t, w)
				if withError.Height <= opened.Height {
					t.Fatalf("with an error line the dialog is %v, want taller than the %v it opened at", withError, opened)
				}
				c.choose(f)
				if got := shownDialogSize(t, w); got != opened {
					t.Errorf("once the error went the dialog is %v, want the %v it opened at", got, opened)
				}
			})
		}
	}
}

// shownDialogSize is the size the dialog on top is drawn at, failing the
// test when it does not fit inside the window.
func shownDialogSize(t *testing.T, w fyne.Window) fyne.Size {
	t.Helper()
	pop, ok := w.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok {
		t.Fatalf("the dialog on top is a %T", w.Canvas().Overlays().Top())
	}
	size := pop.Content.Size()
	if c := w.Canvas().Size(); size.Width > c.Width || size.Height > c.Height {
		t.Errorf("the dialog is %v, larger than its %v window", size, c)
	}
	return size
}

// A form its errors made taller than the window scrolls, and its buttons
// stay in sight below it: inside the form, Add SKU scrolled out of the
// dialog with the last fields, at 800×600.
func TestAScrollingFormKeepsItsButtonsInSight(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{})
	w.Resize(smallWindow)
	f := u.skus.editForm(nil)
	f.price.SetText("twelve")
	f.lead.SetText("soon")
	f.maxCover.SetText("-1")
	submit(t, w, f.dialog)
	if f.dialog.scroll.Content.MinSize().Height <= f.dialog.scroll.Size().Height {
		t.Fatalf("the form is %v tall in a %v scroll: it does not scroll, so this test shows nothing",
			f.dialog.scroll.Content.MinSize().Height, f.dialog.scroll.Size().Height)
	}
	d := fyne.CurrentApp().Driver()
	for _, text := range []string{"Cancel", f.dialog.submitBtn.Text} {
		b := findButton(t, w, text)
		top := d.AbsolutePositionForObject(b).Y
		if c := w.Canvas().Size().Height; top < 0 || top+b.Size().Height > c {
			t.Errorf("%s is drawn from %.0f to %.0f in a window %.0f tall", text, top, top+b.Size().Height, c)
		}
		scroll := d.AbsolutePositionForObject(f.dialog.scroll).Y + f.dialog.scroll.Size().Height
		if top < scroll && top+b.Size().Height > d.AbsolutePositionForObject(f.dialog.scroll).Y {
			t.Errorf("%s is inside the scrolling form (%.0f, the form ends at %.0f): it scrolls out of sight", text, top, scroll)
		}
	}
}
