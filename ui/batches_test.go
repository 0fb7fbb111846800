package ui

import (
	"context"
	"strings"
	"testing"

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

	u.batches.orderForm("MUG", 30)
	tapButton(t, w, "Order")
	if got := dialogText(w); !strings.Contains(got, "Clay Works is paused for quality returns") || !strings.Contains(got, "order anyway?") {
		t.Fatalf("ordering from a quality-paused factory shows %q, want the question", got)
	}
	tapButton(t, w, "Cancel")
	if n := batches(); n != 0 {
		t.Fatalf("%d batches after cancelling, want none", n)
	}

	closeDialogs(w)
	u.batches.orderForm("MUG", 30)
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
