package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// The Kits dialog lists each kit with its parts and how many can be sold:
// as many as its scarcest part allows. A kit made from it shows at once,
// and a kit can not be a part of another.
func TestKitsListsAKitWithItsScarcestPartsAvailable(t *testing.T) {
	shop := stockedShop(t) // 42 mugs and 3 prints left
	u, w := newTestUI(t, shop, Options{})
	v := u.showKits()
	if len(v.kits) != 0 {
		t.Fatalf("a shop without kits lists %+v", v.kits)
	}
	test.Tap(findButtonIn(t, w.Canvas().Overlays().Top(), "New kit…"))
	f := u.kitFormThen(nil, v.load) // the form the button opened, again, on top
	entryIn(t, f.fieldForm, "Code").SetText("KIT-1")
	entryIn(t, f.fieldForm, "Name").SetText("Mug and two prints")
	entryIn(t, f.fieldForm, "Parts").SetText("MUG:1, PRINT-A4:2")
	submit(t, w, f)
	// min(42 mugs ÷ 1, 3 prints ÷ 2) = min(42, 1) = 1
	if len(v.kits) != 1 || v.kits[0].Code != "KIT-1" || v.kits[0].Available != 1 {
		t.Fatalf("kits %+v; want KIT-1 with 1 available", v.kits)
	}
	// The CLI's wording: the desktop read "1× MUG, 2× PRINT-A4".
	if got := kitCell(v.kits[0], 2, "EUR"); got != "1 × MUG + 2 × PRINT-A4" {
		t.Errorf("the parts read %q", got)
	}
	closeDialogs(w)

	f = u.kitForm(nil)
	entryIn(t, f.fieldForm, "Code").SetText("KIT-2")
	entryIn(t, f.fieldForm, "Name").SetText("A kit of kits")
	entryIn(t, f.fieldForm, "Parts").SetText("KIT-1:1, MUG:1")
	before := vectorTotal(t, shop)
	submit(t, w, f)
	if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
		t.Fatal("a kit as a part closed the form or wrote")
	}
}

// A kit's detail offers only what a kit does: no batch, count, adjustment,
// sourcing or labels (its parts have those), and its Edit… changes its
// name, parts and price in a form of its own; the SKU form, which asks
// for a supply path a kit does not have, could not save a kit at all.
func TestAKitIsEditedFromItsDetail(t *testing.T) {
	shop := stockedShop(t) // 42 mugs and 3 prints left
	ctx := context.Background()
	if _, err := shop.AddKit(ctx, "KIT-1", "Mug and a print", 2000, []app.KitPartIn{{Code: "MUG", Qty: 1}, {Code: "PRINT-A4", Qty: 1}}); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	u.skus.showDetail("KIT-1")
	d := u.skus.detail
	for _, b := range []*widget.Button{d.orderBtn, d.countBtn, d.adjustBtn, d.sourceBtn, d.labelsBtn} {
		if b.Visible() {
			t.Errorf("a kit's detail offers %q", b.Text)
		}
	}
	if got := d.facts["Lead time"].Text; got != "—" {
		t.Errorf("a kit's lead time reads %q, want —", got)
	}
	test.Tap(findButtonIn(t, d.actions, "Edit…"))
	if got := dialogText(w); !strings.Contains(got, "Edit kit KIT-1") || strings.Contains(got, "Supply path") {
		t.Fatalf("Edit… of a kit opened %q, want the kit's own form", got)
	}
	closeDialogs(w)
	kit, err := shop.Kit(ctx, "KIT-1", shop.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	f := u.kitEditForm(kit, d.row.SKU.ID, nil) // the form Edit… opened, again, on top
	entryIn(t, f.fieldForm, "Name").SetText("Mug and two prints")
	entryIn(t, f.fieldForm, "Parts").SetText("MUG:1, PRINT-A4:2")
	entryIn(t, f.fieldForm, "Price").SetText("25.00")
	submit(t, w, f)
	k, err := shop.Kit(ctx, "KIT-1", shop.AsOfNow())
	if err != nil || k.Name != "Mug and two prints" || k.Price != 2500 || len(k.Parts) != 2 || k.Parts[1].Qty != 2 {
		t.Errorf("kit after the edit: %+v %v; dialogs: %s", k, err, dialogText(w))
	}
}

// A kit's detail, opened from the Kits dialog, lists its parts: each with
// how many a kit takes and how many are available, so the scarce one
// shows. It said how many kits could be sold, not what they were made of.
func TestAKitsDetailListsItsParts(t *testing.T) {
	shop := stockedShop(t) // 42 mugs and 3 prints left
	ctx := context.Background()
	parts := []app.KitPartIn{{Code: "MUG", Qty: 1}, {Code: "PRINT-A4", Qty: 2}, {Code: "GUIDE", Qty: 1}}
	if _, err := shop.AddKit(ctx, "KIT-1", "Mug, two prints and the guide", 4000, parts); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{})
	v := u.showKits()
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	d := u.skus.detail
	if u.currentScreen() != u.skus || d.row.SKU.Code != "KIT-1" {
		t.Fatalf("choosing KIT-1 in the Kits dialog showed %q", d.row.SKU.Code)
	}
	shown := texts(d.obj)
	for _, want := range []string{"1 × MUG · 42 available", "2 × PRINT-A4 · 3 available", "1 × GUIDE · a download, never runs out"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the kit's detail does not say %q; it shows:\n%s", want, shown)
		}
	}

	u.skus.showDetail("MUG")
	if shown := texts(d.obj); strings.Contains(shown, "× MUG") {
		t.Errorf("a mug's detail lists parts:\n%s", shown)
	}
}

// A kit of downloads never runs out: its Available reads ∞, as a
// download's tile does, in the normal colour; "— downloads" was cut to
// "— down…" at the column's width, in red as if none were left.
func TestAKitOfDownloadsReadsAsNeverRunningOut(t *testing.T) {
	shop := stockedShop(t)
	if _, err := shop.AddKit(context.Background(), "BUNDLE", "Guides", 900, []app.KitPartIn{{Code: "GUIDE", Qty: 2}}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{})
	v := u.showKits()
	if len(v.kits) != 1 || kitCell(v.kits[0], 4, "EUR") != "∞" {
		t.Fatalf("kits %+v; want BUNDLE available ∞", v.kits)
	}
	l := widget.NewLabel("")
	v.table.UpdateCell(widget.TableCellID{Row: 0, Col: 4}, l)
	if l.Importance == widget.DangerImportance {
		t.Error("the kit of downloads is shown in red, as if none were left")
	}
}

// The New kit form says every problem at once, each under its field: an
// empty code, an empty name, a part the shop lacks and a price that is no
// amount. It said one a press, five presses for five, some at the top.
func TestTheNewKitFormSaysEveryProblemAtOnce(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	f := u.kitForm(nil)
	entryIn(t, f.fieldForm, "Parts").SetText("MUG:1, NOPE:2")
	entryIn(t, f.fieldForm, "Price").SetText("abc")
	before := vectorTotal(t, shop)
	submit(t, w, f)
	for _, field := range []string{"Code", "Name", "Parts", "Price"} {
		if fieldError(t, f.fieldForm, field) == "" {
			t.Errorf("nothing said under %s", field)
		}
	}
	if got := fieldError(t, f.fieldForm, "Parts"); !strings.Contains(got, "NOPE") {
		t.Errorf("under Parts: %q; want NOPE named", got)
	}
	if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
		t.Fatal("the refused kit closed the form or wrote")
	}
}

// The kit edit form says every problem at once, each under its field, as
// the New kit form does: it said them one at a time, so a maker fixed one
// and met the next.
func TestAKitEditSaysEveryProblemAtOnce(t *testing.T) {
	shop := stockedShop(t)
	ctx := context.Background()
	if _, err := shop.AddKit(ctx, "KIT-1", "Mug and print", 3000, []app.KitPartIn{{Code: "MUG", Qty: 1}, {Code: "PRINT-A4", Qty: 1}}); err != nil {
		t.Fatal(err)
	}
	kit, err := shop.Kit(ctx, "KIT-1", shop.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	sku, err := shop.SKU(ctx, "KIT-1")
	if err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{})
	f := u.kitEditForm(kit, sku.ID, nil)
	entryIn(t, f.fieldForm, "Code").SetText("KIT 1!")
	entryIn(t, f.fieldForm, "Name").SetText("  ")
	entryIn(t, f.fieldForm, "Parts").SetText("MUG:1, NOPE:2")
	entryIn(t, f.fieldForm, "Price").SetText("abc")
	before := vectorTotal(t, shop)
	submit(t, w, f)
	if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
		t.Fatal("a kit edit with four bad fields closed the form or wrote")
	}
	for field, want := range map[string]string{"Code": "KIT 1!", "Name": "name", "Parts": "NOPE", "Price": "abc"} {
		if got := fieldError(t, f.fieldForm, field); !strings.Contains(got, want) {
			t.Errorf("under %s: %q, want it to name %q", field, got, want)
		}
	}
}

// A part named twice, or a kit among its own parts, is said under Parts,
// naming the code: the form said "a kit names the same part twice" at the
// top, naming nothing, and "there is no SKU SET" for the kit being made.
// So is a kit of one unit of one SKU, saying what a kit needs.
func TestTheNewKitFormNamesAPartTwiceOrTheKitItself(t *testing.T) {
	for _, tc := range []struct{ name, parts, want string }{
		{"twice", "MUG:1, mug:2", "mug is named twice"},
		{"itself", "SET:1, MUG:1", "set is the kit itself"},
		// One unit of one SKU is that SKU, not a kit: it was made.
		{"one unit of one SKU", "MUG", "a kit of 1 × mug is just mug; a kit needs two parts or more, or 2 or more of one part"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shop := stockedShop(t)
			u, w := newTestUI(t, shop, Options{})
			f := u.kitForm(nil)
			entryIn(t, f.fieldForm, "Code").SetText("SET")
			entryIn(t, f.fieldForm, "Name").SetText("Mug set")
			entryIn(t, f.fieldForm, "Parts").SetText(tc.parts)
			before := vectorTotal(t, shop)
			submit(t, w, f)
			if got := fieldError(t, f.fieldForm, "Parts"); !strings.Contains(strings.ToLower(got), tc.want) {
				t.Errorf("under Parts: %q, want %q", got, tc.want)
			}
			if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
				t.Fatal("the refused kit closed the form or wrote")
			}
		})
	}
}

// In the Kits window at 800×600 a part keeps its quantity with its code:
// the Parts column broke a line between "1 ×" and the code it counts.
func TestAKitsPartKeepsItsQuantityWithItsCode(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	mustSKU(t, shop, "CARD-FERN-SET", "Fern postcards, set of six", domain.PathPrint, "Print Hub", 1400)
	mustSKU(t, shop, "BOWL-NOODLE", "Stoneware noodle bowl", domain.PathMicrofactory, "Clay Works", 3800)
	for code, parts := range map[string][]app.KitPartIn{
		"GIFT-SET":  {{Code: "CANDLE", Qty: 1}, {Code: "CARD-FERN-SET", Qty: 2}, {Code: "BOWL-NOODLE", Qty: 1}, {Code: "PRINT-A4", Qty: 1}},
		"TEA-SET":   {{Code: "MUG", Qty: 2}, {Code: "BOWL-NOODLE", Qty: 2}, {Code: "CARD-FERN-SET", Qty: 1}},
		"STUDY-SET": {{Code: "GUIDE", Qty: 1}, {Code: "PRINT-A4", Qty: 3}, {Code: "CARD-FERN-SET", Qty: 1}, {Code: "MUG", Qty: 1}, {Code: "CANDLE", Qty: 2}},
	} {
		if _, err := shop.AddKit(ctx, code, "Set", -1, parts); err != nil {
			t.Fatal(err)
		}
	}
	u, w := newTestUI(t, shop, Options{})
	w.Resize(fyne.NewSize(800, 600))
	v := u.showKits()
	layOut(w.Canvas().Overlays().Top())
	v.table.Refresh()
	layOut(w.Canvas().Overlays().Top())
	var parts []string // the Parts column's lines as drawn
	walk(v.table, func(o fyne.CanvasObject) bool {
		if tx, ok := o.(*canvas.Text); ok && o.Visible() && strings.Contains(tx.Text, "×") {
			parts = append(parts, tx.Text)
		}
		return o.Visible()
	})
	if len(parts) <= 3 {
		t.Fatalf("the parts of 3 kits take %d lines at 800×600 (%q); want them wrapped", len(parts), parts)
	}
	for _, line := range parts {
		if f := strings.Fields(line); f[len(f)-1] == "×" || f[0] == "×" {
			t.Errorf("a line of parts reads %q: a quantity apart from its code, in\n%s", line, strings.Join(parts, "\n"))
		}
	}
}
