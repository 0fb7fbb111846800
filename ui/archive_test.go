package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// TestArchivedFilterListsArchivedSKUsAndUnarchives: the SKU list leaves an
// archived SKU out, the Archived filter lists it, and its detail's
// Unarchive puts it back on sale.
func TestArchivedFilterListsArchivedSKUsAndUnarchives(t *testing.T) {
	shop := stockedShop(t)
	ctx := context.Background()
	if err := shop.ArchiveSKU(ctx, "CANDLE"); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	s := u.skus
	codes := func() string {
		var out []string
		for _, i := range s.view {
			out = append(out, s.rows[i].SKU.Code)
		}
		return strings.Join(out, " ")
	}
	if got, want := codes(), "GUIDE MUG PRINT-A4"; got != want {
		t.Errorf("all statuses: %s, want %s", got, want)
	}
	s.status.SetSelected("Archived")
	if got, want := codes(), "CANDLE"; got != want {
		t.Fatalf("archived: %s, want %s", got, want)
	}
	s.table.Select(widget.TableCellID{Row: 0, Col: 0})
	d := s.detail
	if got := d.heading.Text; got != "CANDLE — Beeswax candle (archived)" {
		t.Fatalf("detail heading %q", got)
	}
	if !d.unarchiveBtn.Visible() || d.archiveBtn.Visible() {
		t.Fatalf("an archived SKU's detail offers Unarchive %v, Archive %v; want Unarchive only", d.unarchiveBtn.Visible(), d.archiveBtn.Visible())
	}
	test.Tap(d.unarchiveBtn)
	if got := dialogText(w); got != "" {
		t.Fatalf("unarchive shows %q", got)
	}
	if k := must[domain.SKU](t)(shop.SKU(ctx, "CANDLE")); k.Archived {
		t.Fatalf("CANDLE is still archived after Unarchive")
	}
	if got := codes(); got != "" {
		t.Errorf("archived after unarchive: %q, want none", got)
	}
	if got := d.heading.Text; got != "CANDLE — Beeswax candle" || !d.archiveBtn.Visible() {
		t.Errorf("the detail after unarchive: %q, Archive shown %v", got, d.archiveBtn.Visible())
	}
	s.status.SetSelected("All statuses")
	if got, want := codes(), "CANDLE GUIDE MUG PRINT-A4"; got != want {
		t.Errorf("all statuses after unarchive: %s, want %s", got, want)
	}
}

// TestReturnRateOfNothingSoldIsNotApplicable: a factory with a return and
// no sale in 90 days shows n/a, not 0.0 %, in the table and the chart.
func TestReturnRateOfNothingSoldIsNotApplicable(t *testing.T) {
	shop := mustShop(t)
	mustFactory(t, shop, "Kiln Co", domain.KindWorkshop, 5, true)
	mustSKU(t, shop, "VASE", "Tall vase", domain.PathHandmade, "Kiln Co", 4000)
	mustCount(t, shop, "VASE", 5, day(-10))
	if _, err := shop.RecordReturn(context.Background(), app.Return{Code: "VASE", Qty: 1, Reason: "defect", At: day(-1)}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "returns"})
	for name, o := range map[string]fyne.CanvasObject{"table": u.returns.numbers, "chart": u.returns.chart} {
		if got := texts(o); !strings.Contains(got, "n/a") || strings.Contains(got, "0.0 %") {
			t.Errorf("%s shows a rate of nothing sold:\n%s", name, got)
		}
	}
}

// Archiving a kit's part asks first with the kit named: the kit stops
// selling with it, which the question did not say.
func TestArchivingAKitsPartNamesTheKit(t *testing.T) {
	shop := stockedShop(t)
	ctx := context.Background()
	if _, err := shop.AddKit(ctx, "GIFT", "Gift set", -1, []app.KitPartIn{{Code: "MUG", Qty: 1}, {Code: "CANDLE", Qty: 1}}); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	u.skus.archive(must[domain.SKU](t)(shop.SKU(ctx, "MUG")))
	if got := dialogText(w); !strings.Contains(got, "Kit GIFT cannot be sold while MUG is archived") {
		t.Errorf("archiving MUG asks %q; want it to say GIFT stops selling", got)
	}
}
