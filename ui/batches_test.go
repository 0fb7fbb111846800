package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// orderedBatch orders 20 PRINT-A4 from Print Hub, a new factory.
func orderedBatch(t *testing.T, shop *app.Shop) domain.Batch {
	t.Helper()
	b, err := shop.OrderBatch(context.Background(), app.Order{Code: "PRINT-A4", Qty: 20, At: day(-6)})
	if err != nil {
		t.Fatal(err)
	}
	return b.Batch
}

// selectBatch selects the table row of the batch with id.
func selectBatch(t *testing.T, u *UI, id string) {
	t.Helper()
	for i, b := range u.batches.view {
		if b.ID == id {
			u.batches.table.Select(widget.TableCellID{Row: i, Col: 0})
			return
		}
	}
	t.Fatalf("batch %s is not in the list (%d shown)", id, len(u.batches.view))
}

func TestReceiveFromNewFactoryShowsHeldUnits(t *testing.T) {
	shop := stockedShop(t)
	b := orderedBatch(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	selectBatch(t, u, b.ID)

	test.Tap(u.batches.detail.receive)
	if got := u.batches.detail.receive; got.Disabled() {
		t.Fatal("receive is disabled for an open batch")
	}
	// The form opens with what is still to come.
	tapButton(t, w, "Receive")
	msg := dialogText(w)
	if !strings.Contains(msg, "2 units are held for QA") {
		t.Errorf("after receiving 20 from a new factory the dialog says %q, want 2 units held", msg)
	}
	closeDialogs(w)
	if got, want := u.batches.detail.facts["Held for QA"].Text, "2 units held until QA passes"; got != want {
		t.Errorf("batch detail shows held %q, want %q", got, want)
	}
	if got, want := u.batches.detail.facts["Status"].Text, "QA hold"; got != want {
		t.Errorf("batch status %q, want %q", got, want)
	}
	row := stockOf(t, shop, "PRINT-A4")
	if row.Held != 2 || row.Available != 3+18 {
		t.Errorf("PRINT-A4 held %d, available %d; want 2 held, 21 available", row.Held, row.Available)
	}
	if !u.batches.detail.pass.Visible() || u.batches.detail.pass.Disabled() {
		t.Error("pass QA is not offered for held units")
	}
}

func TestQAFailPausesFactoryOnFactoriesScreen(t *testing.T) {
	shop := stockedShop(t)
	b := orderedBatch(t, shop)
	if _, err := shop.ReceiveBatch(context.Background(), b.ID, 20, day(-1)); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	selectBatch(t, u, b.ID)
	test.Tap(u.batches.detail.fail)
	note := findFormEntry(t, w, "what was wrong")
	test.Type(note, "cracked glaze on 2 of 2")
	tapButton(t, w, "Fail QA")
	if got := dialogText(w); !strings.Contains(got, "Print Hub paused") {
		t.Errorf("after failing QA the dialog says %q, want it to say the factory is paused", got)
	}
	closeDialogs(w)
	// The list agrees with the detail and the stock: the rejected units
	// are held no longer.
	held := widget.NewLabel("")
	heldCol := slices.IndexFunc(batchColumns, func(c batchColumn) bool { return c.title == "Held" })
	u.batches.filter.SetSelected("All")
	for i, vb := range u.batches.view {
		if vb.ID == b.ID {
			u.batches.updateCell(widget.TableCellID{Row: i, Col: heldCol}, held)
		}
	}
	if held.Text != "0" || stockOf(t, shop, "PRINT-A4").Held != 0 {
		t.Errorf("the batch list shows %q held after QA failed, the stock %d; want 0 for both", held.Text, stockOf(t, shop, "PRINT-A4").Held)
	}

	test.Tap(u.batches.detail.openFac)
	if u.currentScreen() != u.factories {
		t.Fatal("open factory did not show the Factories screen")
	}
	if got, want := u.factories.state.Text, "paused"; got != want {
		t.Errorf("Print Hub shows %q, want %q", got, want)
	}
	if got := u.factories.facts["Paused"].Text; !strings.Contains(got, "failed QA") {
		t.Errorf("Print Hub's pause reason %q, want the failed QA", got)
	}
	if !u.factories.resume.Visible() || u.factories.pause.Visible() {
		t.Error("a paused factory offers pause instead of resume")
	}
	if got := texts(u.factories.list); !strings.Contains(got, "paused") {
		t.Errorf("the factory list does not mark Print Hub paused:\n%s", got)
	}

	// Resume brings it back.
	u.factories.resumeNow("Print Hub")
	if got, want := u.factories.state.Text, "new"; got != want {
		t.Errorf("after resuming Print Hub shows %q, want %q", got, want)
	}
}

func TestOrderFromQualityPausedFactoryAsksFirst(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	// 18 + 15 mugs sold from Clay Works, 2 came back broken: 6 %.
	mustSell(t, shop, "MUG", 15, day(-1))
	for range 2 {
		if _, err := shop.RecordReturn(ctx, app.Return{Code: "MUG", Qty: 1, Reason: "broke", At: day(-1)}); err != nil {
			t.Fatal(err)
		}
	}
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	batches := func() int {
		t.Helper()
		all, err := shop.Batches(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}

	f := u.batches.orderForm("MUG", 30)
	tapButton(t, w, "Order")
	if got := dialogText(w); !strings.Contains(got, "Clay Works is paused for quality returns") || !strings.Contains(got, "order anyway?") {
		t.Fatalf("ordering from a quality-paused factory shows %q, want the question", got)
	}
	tapButton(t, w, "Cancel")
	if n := batches(); n != 0 {
		t.Fatalf("%d batches after cancelling, want none", n)
	}
	// Cancel goes back to the form as filled in, to choose another factory.
	if !onScreen(w, f.form) || entryIn(t, f.fieldForm, "Quantity").Text != "30" {
		t.Fatalf("after Cancel: %q; want the order form back with its 30", dialogText(w))
	}
	tapButton(t, w, "Order")
	tapButton(t, w, "Order anyway")
	if got := dialogText(w); !strings.Contains(got, "Ordered 30 of MUG from Clay Works") {
		t.Errorf("after ordering anyway the dialog says %q", got)
	}
	all, err := shop.Batches(ctx, false)
	if err != nil || len(all) != 1 || all[0].Ordered != 30 || all[0].Factory != "Clay Works" {
		t.Fatalf("batches %+v, %v; want 30 MUG from Clay Works", all, err)
	}
}

// partReceived orders 20 PRINT-A4 from Print Hub (new) and receives 8 of
// them, 1 held for QA.
func partReceived(t *testing.T, shop *app.Shop) domain.Batch {
	t.Helper()
	b := orderedBatch(t, shop)
	rc, err := shop.ReceiveBatch(context.Background(), b.ID, 8, day(-1))
	if err != nil {
		t.Fatal(err)
	}
	return rc.Batch
}

func TestFailQAKeepsTheRestOnOrderUnlessChosen(t *testing.T) {
	for _, cancel := range []bool{false, true} {
		t.Run(map[bool]string{false: "kept", true: "cancelled"}[cancel], func(t *testing.T) {
			shop := stockedShop(t)
			b := partReceived(t, shop)
			u, w := newTestUI(t, shop, Options{Screen: "batches"})
			selectBatch(t, u, b.ID)
			f := u.batches.failForm(b)
			check := formItem[*widget.Check](t, f, "Still to come")
			if !strings.Contains(check.Text, "12 units") || check.Checked {
				t.Fatalf("the fail form offers %q (checked %v), want to cancel the 12 units, unchecked", check.Text, check.Checked)
			}
			setEntry(t, f, "Note", "smudged ink")
			check.SetChecked(cancel)
			submit(t, w, f)
			msg := dialogText(w)
			want, onOrder := "The 12 units still to come stay on order", 12
			if cancel {
				want, onOrder = "The 12 units still to come are cancelled", 0
			}
			if !strings.Contains(msg, want) {
				t.Errorf("after failing QA the dialog says %q, want %q", msg, want)
			}
			closeDialogs(w)
			if got := stockOf(t, shop, "PRINT-A4").OnOrder; got != onOrder {
				t.Errorf("PRINT-A4 on order %d, want %d", got, onOrder)
			}
			if got := u.batches.detail.facts["Still to come"].Text; got != fmt.Sprint(onOrder) {
				t.Errorf("the detail shows %q still to come, want %d", got, onOrder)
			}
			if got := u.batches.detail.receive.Disabled(); got != cancel {
				t.Errorf("receive disabled = %v, want %v", got, cancel)
			}
		})
	}
}

func TestReceivingOversAsksFirst(t *testing.T) {
	shop := stockedShop(t)
	b := orderedBatch(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	selectBatch(t, u, b.ID)
	f := u.batches.receiveForm(b)
	setEntry(t, f, "Units arrived", "22")
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "Receive 22 of a batch of 20?") {
		t.Fatalf("receiving 22 of 20 shows %q, want the question", got)
	}
	tapButton(t, w, "Cancel")
	if got := stockOf(t, shop, "PRINT-A4").OnHand; got != 3 {
		t.Fatalf("on hand %d after saying no, want the 3 there were", got)
	}
	// Cancel goes back to the form, to correct the quantity.
	if !onScreen(w, f.form) || entryIn(t, f.fieldForm, "Units arrived").Text != "22" {
		t.Fatalf("after Cancel: %q; want the receive form back with its 22", dialogText(w))
	}
	submit(t, w, f)
	tapButton(t, w, "Receive them")
	if got := dialogText(w); !strings.Contains(got, "Received 22 of PRINT-A4, 2 more than ordered") {
		t.Errorf("after receiving the overs the dialog says %q", got)
	}
	if got := stockOf(t, shop, "PRINT-A4").OnHand; got != 3+22 {
		t.Errorf("on hand %d, want 25", got)
	}
}

// With locations besides main the receive form asks where the units
// arrive, this device's first: a laptop left selling at the stall put a
// delivery at the workshop on the stall's shelf, without a word.
func TestReceiveFormAsksWhereTheUnitsArrive(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	b := orderedBatch(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	u.batches.receiveForm(b)
	if got := dialogText(w); strings.Contains(got, "Arrives at") {
		t.Fatalf("a shop with main alone: %q; want no choice of where", got)
	}
	closeDialogs(w)
	must[app.Location](t)(shop.AddLocation(ctx, "Stall"))
	must[app.Location](t)(shop.UseLocation(ctx, "Stall"))
	f := u.batches.receiveForm(b)
	where := findSelect(t, f.obj, "main")
	if where.Selected != "Stall" {
		t.Fatalf("the form offers %q first; want Stall, where this device sells", where.Selected)
	}
	where.SetSelected("main")
	setEntry(t, f, "Units arrived", "4")
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "Received 4 of PRINT-A4 at main") {
		t.Fatalf("after receiving: %q; want it to say where", got)
	}
	if stall := stockAtPlace(t, shop, "PRINT-A4", "Stall"); stall != 0 {
		t.Fatalf("%d prints at the stall; want the 4 at main", stall)
	}
}

func TestEditBatchFromItsDetail(t *testing.T) {
	shop := stockedShop(t)
	b := partReceived(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	selectBatch(t, u, b.ID)
	if u.batches.detail.edit.Disabled() {
		t.Fatal("Edit is disabled for an open batch")
	}
	f := u.batches.editForm(b)
	setEntry(t, f, "Quantity", "5")
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "8 have been received already") {
		t.Fatalf("cutting below what was received shows %q, want the refusal", got)
	}
	closeDialogs(w)

	f = u.batches.editForm(b)
	setEntry(t, f, "Quantity", "30")
	setEntry(t, f, "Expected", day(10).Format("2006-01-02"))
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "30 of PRINT-A4 from Print Hub, expected "+day(10).Format("2 Jan 2006")) {
		t.Errorf("after the edit the dialog says %q", got)
	}
	closeDialogs(w)
	if got := u.batches.detail.facts["Still to come"].Text; got != "22" {
		t.Errorf("the detail shows %q still to come, want 22", got)
	}
	if got := stockOf(t, shop, "PRINT-A4").OnOrder; got != 22 {
		t.Errorf("on order %d, want 22", got)
	}
}

func TestCancelBatchFromItsDetail(t *testing.T) {
	shop := stockedShop(t)
	b := partReceived(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	selectBatch(t, u, b.ID)
	test.Tap(u.batches.detail.cancel)
	if got := dialogText(w); !strings.Contains(got, "The 12 units still to come leave on order") || !strings.Contains(got, "The 8 received stay") {
		t.Fatalf("the cancel question says %q", got)
	}
	tapButton(t, w, "Keep it")
	if got := stockOf(t, shop, "PRINT-A4").OnOrder; got != 12 {
		t.Fatalf("on order %d after keeping the batch, want 12", got)
	}
	test.Tap(u.batches.detail.cancel)
	tapButton(t, w, "Cancel batch")
	closeDialogs(w)
	if got := stockOf(t, shop, "PRINT-A4").OnOrder; got != 0 {
		t.Errorf("on order %d after the cancel, want 0", got)
	}
	d := u.batches.detail
	if got := d.facts["Status"].Text; got != "cancelled" {
		t.Errorf("status %q, want cancelled", got)
	}
	if !d.cancel.Disabled() || !d.edit.Disabled() || !d.receive.Disabled() {
		t.Error("a cancelled batch still offers cancel, edit or receive")
	}
	if d.pass.Disabled() {
		t.Error("the held unit of a cancelled batch cannot be passed")
	}
}

func TestOrderOffFactoryTermsShowsANote(t *testing.T) {
	shop := stockedShop(t)
	if _, err := shop.EditFactory(context.Background(), "Clay Works", app.FactoryFields{MOQ: ptr(50), Multiple: ptr(25)}); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	u.batches.orderForm("MUG", 30)
	tapButton(t, w, "Order")
	got := dialogText(w)
	if !strings.Contains(got, "Ordered 30 of MUG") || !strings.Contains(got, "Note: 30 units is below Clay Works's minimum order of 50") ||
		!strings.Contains(got, "Note: 30 units is not a multiple of Clay Works's batch multiple of 25") {
		t.Errorf("ordering 30 off the terms shows %q, want the order and both notes", got)
	}
}

func TestUnitCostWithADecimalComma(t *testing.T) {
	shop := stockedShop(t) // a euro shop
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	f := u.batches.orderForm("MUG", 10)
	setEntry(t, f, "Unit cost", "7,50")
	submit(t, w, f)
	all, err := shop.Batches(context.Background(), false)
	if err != nil || len(all) != 1 || all[0].UnitCost != 750 {
		t.Fatalf("batches %+v (%v), want one at 7.50", all, err)
	}
	closeDialogs(w)
	f = u.batches.orderForm("MUG", 10)
	setEntry(t, f, "Unit cost", "1,000")
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, `"1,000" is ambiguous`) {
		t.Errorf("a unit cost of 1,000 shows %q, want the refusal", got)
	}
}

func TestEditFactoryFromItsDetail(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "factories"})
	u.openFactory("Print Hub")
	u.factories.load()
	f := u.factories.editForm("Print Hub")
	if f == nil {
		t.Fatal("no edit form for Print Hub")
	}
	if got := formItem[*widget.Entry](t, f, "Lead time").Text; got != "5" {
		t.Errorf("the form opens with lead time %q, want 5", got)
	}
	setEntry(t, f, "Name", "clay works")
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, `already a factory named "Clay Works"`) {
		t.Fatalf("renaming to another's name shows %q", got)
	}
	closeDialogs(w)

	f = u.factories.editForm("Print Hub")
	setEntry(t, f, "Name", "Riso Corner")
	setEntry(t, f, "Lead time", "4")
	setEntry(t, f, "Minimum order", "20")
	submit(t, w, f)
	if got := u.factories.heading.Text; got != "Riso Corner" {
		t.Errorf("the detail shows %q, want the new name", got)
	}
	if got := u.factories.facts["Minimum order"].Text; got != "20 units" {
		t.Errorf("minimum order shows %q, want 20 units", got)
	}
	if got := texts(u.factories.list); !strings.Contains(got, "Riso Corner") || strings.Contains(got, "Print Hub") {
		t.Errorf("the factory list shows:\n%s", got)
	}
	sku, err := shop.SKU(context.Background(), "PRINT-A4")
	if err != nil || sku.Factory != "Riso Corner" || sku.LeadDays != 4 {
		t.Errorf("PRINT-A4 made by %q in %d days (%v), want Riso Corner, 4", sku.Factory, sku.LeadDays, err)
	}
}

// In a euro shop a price is typed as 9,50.
func TestSKUPriceWithADecimalComma(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	f.code.SetText("VASE")
	f.name.SetText("Tall vase")
	f.path.SetSelected("microfactory")
	f.factory.SetSelected("Clay Works")
	f.price.SetText("9,50")
	f.cost.SetText("2,5")
	submit(t, w, f.dialog)
	sku, err := shop.SKU(context.Background(), "VASE")
	if err != nil || sku.Price != 950 || sku.Cost != 250 {
		t.Fatalf("VASE priced %s, cost %s (%v); want 9.50 and 2.50. Dialogs: %s", sku.Price, sku.Cost, err, dialogText(w))
	}
}

// The Batches and Factories screens show the same batches from one list,
// not a copy each (a big shop's list is megabytes), and a new batch
// reaches both.
func TestBatchesAndFactoriesShareOneBatchList(t *testing.T) {
	shop := stockedShop(t)
	orderedBatch(t, shop)
	u, _ := newTestUI(t, shop, Options{})
	sameList := func(want int) {
		t.Helper()
		u.show(screenIndex("batches"))
		u.show(screenIndex("factories"))
		listed, perFactory := u.batches.all, u.factories.batches
		if len(listed) != want || len(perFactory) != want {
			t.Fatalf("Batches lists %d batches and Factories %d, want %d each", len(listed), len(perFactory), want)
		}
		if &listed[0] != &perFactory[0] {
			t.Error("the Batches and Factories screens each keep a list of their own")
		}
	}
	sameList(1)
	b, err := shop.OrderBatch(context.Background(), app.Order{Code: "MUG", Qty: 30, At: day(-1)})
	if err != nil {
		t.Fatal(err)
	}
	u.batches.load()
	u.factories.load()
	sameList(2)
	if got := u.factories.batches[0].ID; got != b.Batch.ID {
		t.Errorf("Factories lists batch %s first, want the new %s", got, b.Batch.ID)
	}
}

// A batch's detail opens at its top, whichever batch was scrolled before:
// it opened at the last one's scroll, its Receive, Pass and Fail out of
// view, and a click meant for Fail QA landed on the facts.
func TestABatchsDetailOpensAtItsTop(t *testing.T) {
	shop := stockedShop(t)
	first := orderedBatch(t, shop)
	second := orderedBatch(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	w.Resize(fyne.NewSize(800, 400))
	d := u.batches.detail
	selectBatch(t, u, first.ID)
	d.scroll.ScrollToBottom()
	if d.scroll.Offset.Y == 0 {
		t.Skip("the detail fits the window: nothing to scroll")
	}
	selectBatch(t, u, second.ID)
	if d.batch.ID != second.ID || d.scroll.Offset.Y != 0 {
		t.Errorf("the second batch's detail (%s) opened %v down, want at its top", d.batch.ID, d.scroll.Offset.Y)
	}
}

// Pass QA asks first, with a note if the maker has one, as Fail QA does:
// one click beside Fail QA… released the held units for sale, with no
// undo. Both forms finish from the keyboard: Enter in the note decides,
// where Fail QA's note of many lines took Enter and Tab as text.
func TestPassAndFailQAAskAndFinishFromTheKeyboard(t *testing.T) {
	for _, pass := range []bool{true, false} {
		shop := stockedShop(t)
		b := orderedBatch(t, shop)
		if _, err := shop.ReceiveBatch(context.Background(), b.ID, 20, day(-1)); err != nil {
			t.Fatal(err)
		}
		u, w := newTestUI(t, shop, Options{Screen: "batches"})
		selectBatch(t, u, b.ID)
		button, placeholder, want := u.batches.detail.pass, "optional", "QA passed"
		if !pass {
			button, placeholder, want = u.batches.detail.fail, "what was wrong", "QA failed"
		}
		test.Tap(button)
		if got := stockOf(t, shop, "PRINT-A4").Held; got != 2 {
			t.Fatalf("pass %v: the button decided at once: %d held, want 2 until the form is done", pass, got)
		}
		note := findFormEntry(t, w, placeholder)
		w.Canvas().Focus(note)
		typeFocused(t, w, "checked both")
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if got := dialogText(w); !strings.Contains(got, want) {
			t.Errorf("pass %v: Enter in the note left %q, want %q", pass, got, want)
		}
		if got := stockOf(t, shop, "PRINT-A4").Held; got != 0 {
			t.Errorf("pass %v: %d held after the decision, want 0", pass, got)
		}
	}
}

// An expected date before today is said under Expected, with every other
// field's error at once: it was said at the top of the form, and only once
// the other fields were right.
func TestAnExpectedDateInThePastIsSaidUnderIt(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	f := u.batches.orderForm("MUG", 0)
	entryIn(t, f.fieldForm, "Quantity").SetText("abc")
	entryIn(t, f.fieldForm, "Expected").SetText(shop.Now().AddDate(0, 0, -5).Format(time.DateOnly))
	before := vectorTotal(t, shop)
	submit(t, w, f)
	if got := fieldError(t, f.fieldForm, "Expected"); !strings.Contains(got, "is before the order date") {
		t.Errorf("under Expected: %q; want the date said to be before today's order", got)
	}
	if got := fieldError(t, f.fieldForm, "Quantity"); got == "" {
		t.Error("nothing under Quantity; want abc refused at the same time")
	}
	if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
		t.Fatal("the refused order closed the form or wrote")
	}
	closeDialogs(w)
	b := orderedBatch(t, shop)
	f = u.batches.editForm(b)
	setEntry(t, f, "Quantity", "abc")
	setEntry(t, f, "Expected", time.UnixMilli(b.OrderedAt).AddDate(0, 0, -5).Format(time.DateOnly))
	before = vectorTotal(t, shop)
	submit(t, w, f)
	if got := fieldError(t, f.fieldForm, "Expected"); !strings.Contains(got, "is before the order date") || fieldError(t, f.fieldForm, "Quantity") == "" {
		t.Errorf("editing the batch: %q under Expected, %q under Quantity; want both refused at once", got, fieldError(t, f.fieldForm, "Quantity"))
	}
	if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
		t.Fatal("the refused edit closed the form or wrote")
	}
}

// A batch received with nothing held back (its factory established) says
// its QA needs nothing: it read "pending" for good, with Pass QA and Fail
// QA greyed out, a decision asked for that nothing could give.
func TestABatchWithNothingHeldNeedsNoQA(t *testing.T) {
	shop := stockedShop(t)
	b, err := shop.OrderBatch(context.Background(), app.Order{Code: "MUG", Qty: 10, At: day(-6)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := shop.ReceiveBatch(context.Background(), b.ID, 10, day(-1)); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "batches"})
	u.batches.filter.SetSelected("All")
	selectBatch(t, u, b.ID)
	if got, want := u.batches.detail.facts["QA"].Text, "none needed: no units were held back"; got != want {
		t.Errorf("a received batch with nothing held shows QA %q, want %q", got, want)
	}
}

// A factory with no batches says so under Batches, where the heading
// stood over nothing, and one with batches lists them.
func TestAFactoryWithNoBatchesSaysSo(t *testing.T) {
	shop := goldenShop(t)
	mustFactory(t, shop, "Kiln Two", domain.KindWorkshop, 30, true)
	u, _ := newTestUI(t, shop, Options{Screen: "factories"})
	s := u.factories
	for _, c := range []struct {
		factory string
		none    bool
	}{{"Kiln Two", true}, {"Clay Works", false}, {"Kiln Two", true}} {
		s.selected = c.factory
		s.showSelected()
		if got := s.noBatch.Visible() && strings.Contains(s.noBatch.Text, "No batches"); got != c.none {
			t.Errorf("with %s shown (%d batches), Batches says %q (shown: %v)", c.factory, len(s.own), s.noBatch.Text, s.noBatch.Visible())
		}
	}
}

// openShop opens the shop's file a second time, as microshopctl does
// beside the desktop app.
func openShop(t *testing.T, shop *app.Shop) *app.Shop {
	t.Helper()
	other, err := app.Open(shop.Path(), app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// The Receive form open on the desktop follows what another program
// receives of its batch meanwhile (microshopctl receive, a sync): it went
// on saying "20 still to come" and offering 20, which only the question
// about overs then caught. What the maker typed stays as typed.
func TestTheOpenReceiveFormFollowsAnotherProgram(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	b := orderedBatch(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	u.poll() // the window has seen the shop as it is
	selectBatch(t, u, b.ID)
	f := u.batches.receiveForm(b)
	if got := dialogText(w); !strings.Contains(got, "20 still to come") {
		t.Fatalf("the form opens with:\n%s\nwant 20 still to come", got)
	}
	other := openShop(t, shop)
	must[app.Receipt](t)(other.Receive(ctx, app.Delivery{Batch: b.ID, Qty: 8}))
	u.poll()
	if got := dialogText(w); !strings.Contains(got, "12 still to come") || strings.Contains(got, "20 still to come") {
		t.Errorf("after another program received 8 the form shows:\n%s\nwant 12 still to come", got)
	}
	if got := entryIn(t, f.fieldForm, "Units arrived").Text; got != "12" {
		t.Errorf("the form offers %q units; want the 12 still to come", got)
	}
	pressEscape(w) // nothing typed: it closes without asking
	if got := dialogText(w); got != "" {
		t.Fatalf("Escape on the untouched form left:\n%s", got)
	}

	f = u.batches.receiveForm(must[domain.Batch](t)(shop.Batch(ctx, b.ID)))
	setEntry(t, f, "Units arrived", "5")
	must[app.Receipt](t)(other.Receive(ctx, app.Delivery{Batch: b.ID, Qty: 2}))
	u.poll()
	if got := dialogText(w); !strings.Contains(got, "10 still to come") {
		t.Errorf("after another program received 2 more the form shows:\n%s\nwant 10 still to come", got)
	}
	if got := entryIn(t, f.fieldForm, "Units arrived").Text; got != "5" {
		t.Fatalf("the maker typed 5; after the refresh the form holds %q", got)
	}
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "Received 5 of PRINT-A4") {
		t.Errorf("receiving the 5 typed says %q", got)
	}
	if got := must[domain.Batch](t)(shop.Batch(ctx, b.ID)).Received; got != 8+2+5 {
		t.Errorf("the batch has %d received, want 15", got)
	}
}

// A batch received in full by another program while its Receive form is
// open: the form says so, and no longer offers to receive the units as if
// they were still to come; what the maker typed stays.
func TestTheOpenReceiveFormSaysWhenTheBatchCameInFullElsewhere(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	b := orderedBatch(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	u.poll()
	selectBatch(t, u, b.ID)
	f := u.batches.receiveForm(b)
	typeFocused(t, w, "20") // over the 20 offered, as the maker counted them
	other := openShop(t, shop)
	must[app.Receipt](t)(other.Receive(ctx, app.Delivery{Batch: b.ID, Qty: 20}))
	u.poll()

	if got := dialogText(w); !strings.Contains(got, "All 20 units of this batch have been received since this form opened; nothing is left to receive.") || strings.Contains(got, "wrong") {
		t.Errorf("after another program received the whole batch the form shows:\n%s", got)
	}
	if !f.submitBtn.Disabled() {
		t.Error("Receive is still offered for a batch received in full")
	}
	if got := entryIn(t, f.fieldForm, "Units arrived").Text; got != "20" {
		t.Errorf("the maker typed 20; after the refresh the form holds %q", got)
	}
	pressKey(w, fyne.KeyReturn)
	if got := must[domain.Batch](t)(shop.Batch(ctx, b.ID)).Received; got != 20 {
		t.Errorf("Enter in the form received more: %d received, want the 20", got)
	}
	if !onScreen(w, f.form) {
		t.Errorf("Enter closed the form; the dialogs read:\n%s", dialogText(w))
	}
}

// batchRowText is what the batch list shows for batch id under title, and
// whether it is marked in red.
func batchRowText(t *testing.T, u *UI, id, title string) (string, bool) {
	t.Helper()
	col := slices.Index(u.batches.columns, slices.IndexFunc(batchColumns, func(c batchColumn) bool { return c.title == title }))
	if col < 0 {
		t.Fatalf("the batch list shows no %s column", title)
	}
	for i, b := range u.batches.view {
		if b.ID == id {
			l := widget.NewLabel("")
			u.batches.updateCell(widget.TableCellID{Row: i, Col: col}, l)
			return l.Text, l.Importance == widget.DangerImportance
		}
	}
	t.Fatalf("batch %s is not in the list (%d shown)", id, len(u.batches.view))
	return "", false
}

// A late batch part received from a new factory needs its QA decided: the
// list's status says so (the red expected date says it is late), where it
// said only "overdue" and the QA hold was nowhere in the list once a long
// code left the Held column out.
func TestOverdueBatchListShowsQAState(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	b := orderedBatch(t, shop) // expected yesterday
	if _, err := shop.ReceiveBatch(ctx, b.ID, 10, day(-1)); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "batches"})
	u.batches.filter.SetSelected("All")
	if got, _ := batchRowText(t, u, b.ID, "Status"); got != "QA hold" {
		t.Errorf("a late batch with units held for QA shows status %q, want %q", got, "QA hold")
	}
	if _, red := batchRowText(t, u, b.ID, "Expected"); !red {
		t.Error("a late batch's expected date is not marked")
	}

	if _, err := shop.Decide(ctx, app.QADecision{Batch: b.ID, Note: "smudged"}); err != nil {
		t.Fatal(err)
	}
	u.batches.load()
	u.batches.filter.SetSelected("All")
	if got, _ := batchRowText(t, u, b.ID, "Status"); got != "QA failed" {
		t.Errorf("a late batch that failed QA shows status %q, want %q", got, "QA failed")
	}
}

// Passing QA lifts a pause for quality returns; the confirmation says the
// factory takes orders again, where it spoke only of the units released.
func TestQAPassSaysQualityPauseLifted(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	b := orderedBatch(t, shop)
	if _, err := shop.ReceiveBatch(ctx, b.ID, 20, day(-3)); err != nil {
		t.Fatal(err)
	}
	// 9 + 21 prints sold from Print Hub, 1 came back with a defect: 3.3 %.
	mustSell(t, shop, "PRINT-A4", 21, day(-2))
	if _, err := shop.RecordReturn(ctx, app.Return{Code: "PRINT-A4", Qty: 1, Reason: "defect", At: day(-1)}); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	u.batches.filter.SetSelected("All")
	selectBatch(t, u, b.ID)
	test.Tap(u.batches.detail.pass)
	tapButton(t, w, "Pass QA")
	if got := dialogText(w); !strings.Contains(got, "Print Hub takes orders again") {
		t.Errorf("passing QA of a quality-paused factory's batch says %q, want that Print Hub takes orders again", got)
	}
}
