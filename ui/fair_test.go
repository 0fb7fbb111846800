package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// stockAtPlace is a SKU's available units at a location.
func stockAtPlace(t *testing.T, s *app.Shop, code, location string) int {
	t.Helper()
	rows, err := s.StockAt(context.Background(), s.AsOfNow(), code, location)
	if err != nil {
		t.Fatal(err)
	}
	return rows[0].Available
}

// A Saturday's stock from the Sell screen: add the stall, pack for it in
// one click, sell from it, and bring back what is left.
func TestPackSellAtTheStallAndBringBack(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})

	// Add the stall from the location list: the device then sells there.
	u.sell.place.choice.SetSelected(addLocationChoice)
	findFormEntry(t, w, "stall").SetText("Stall")
	tapButton(t, w, "Add")
	if here, err := shop.DeviceLocation(ctx); err != nil || here.Name != "Stall" {
		t.Fatalf("after adding Stall the device sells at %+v (%v); want Stall", here, err)
	}
	if got := u.sell.place.choice.Selected; got != "Stall" {
		t.Fatalf("the Sell screen says it sells at %q; want Stall", got)
	}
	if got := shownAvailable(t, findTile(t, w, "MUG")); got != "0" {
		t.Fatalf("the MUG tile at an empty stall shows %s; want 0", got)
	}
	// None here is out of stock here, whatever main holds (42 mugs).
	if got := findTile(t, w, "MUG").status; got != domain.StatusStockout {
		t.Fatalf("the MUG tile at an empty stall is %s; want stockout", got)
	}
	// A sale there says none is at the stall: main has 42.
	test.Tap(findTile(t, w, "MUG"))
	if got := dialogText(w); !strings.Contains(got, "No units of MUG (Blue stoneware mug) at Stall are available") {
		t.Fatalf("selling a mug at an empty stall: %q; want it to say none is at the stall", got)
	}
	// ...and where the mugs are: sold anyway, main would keep 42 that left it.
	if got := dialogText(w); !strings.Contains(got, "42 are available at main: move some to Stall first, with Move… on its SKU page.") {
		t.Fatalf("selling a mug at an empty stall: %q; want it to say main has 42 to move there first", got)
	}
	tapButton(t, w, "Cancel")

	// MUG sold 2 a fair day: 2 × 2 days × 1.5 = 6; PRINT-A4 1 a day, 3
	// wanted and 3 at main. The empty candle and the digital guide stay.
	v := u.showPack(u.sell.load)
	if u.status.trouble.Visible() {
		t.Fatalf("opening Pack for a fair shows a problem: %q", u.status.trouble.Text)
	}
	got := map[string]int{}
	for _, l := range v.lines {
		got[l.Code] = l.Qty
	}
	if len(got) != 2 || got["MUG"] != 6 || got["PRINT-A4"] != 3 {
		t.Fatalf("packing list %+v; want 6 MUG and 3 PRINT-A4", v.lines)
	}
	tapButton(t, w, "Move them to Stall")
	if stall, main := stockAtPlace(t, shop, "MUG", "stall"), stockAtPlace(t, shop, "MUG", "main"); stall != 6 || main != 36 {
		t.Fatalf("after packing: MUG %d at the stall, %d at main; want 6 and 36", stall, main)
	}
	if got := shownAvailable(t, findTile(t, w, "MUG")); got != "6" {
		t.Fatalf("the MUG tile shows %s after packing; want the stall's 6", got)
	}
	// Packing again brings nothing: the stall has what the fair needs.
	if again := u.showPack(u.sell.load); len(again.lines) != 0 || !strings.Contains(again.note.Text, "Stall has what the fair needs") {
		t.Fatalf("packing again: %+v, %q; want nothing to bring", again.lines, again.note.Text)
	}
	closeDialogs(w)

	test.Tap(findTile(t, w, "MUG"))
	if got := shownAvailable(t, findTile(t, w, "MUG")); got != "5" {
		t.Fatalf("after a sale at the stall the tile shows %s; want 5", got)
	}

	// 4 of the 5 came back; the one missing is gone.
	b := u.showCameBack(u.sell.load)
	if e := b.entries["MUG"]; e == nil || e.Text != "5" {
		t.Fatalf("came back starts at %v; want MUG at the 5 there", b.entries)
	}
	b.entries["MUG"].SetText("-1")
	b.entries["PRINT-A4"].SetText("x")
	before := vectorTotal(t, shop)
	tapButton(t, w, "Count and move home")
	if !strings.Contains(b.note.Text, `MUG: "-1"`) || !strings.Contains(b.note.Text, `PRINT-A4: "x"`) || vectorTotal(t, shop) != before {
		t.Fatalf("counts of -1 and x: note %q, changes %d → %d; want both refused at once, nothing written", b.note.Text, before, vectorTotal(t, shop))
	}
	// More than went there is asked about: a typo made stock out of
	// nothing without a word.
	b.entries["MUG"].SetText("40")
	b.entries["PRINT-A4"].SetText("3")
	tapButton(t, w, "Count and move home")
	if got := dialogText(w); !strings.Contains(got, "MUG: 40 counted, 5 went there") || vectorTotal(t, shop) != before {
		t.Fatalf("a count of 40 where 5 went: %q; want it asked about, nothing written yet", got)
	}
	tapButton(t, w, "Cancel")
	// Closing with counts typed asks first: they are slow to make.
	pressEscape(w)
	if got := dialogText(w); !strings.Contains(got, "Discard the counts?") {
		t.Fatalf("Escape with counts typed: %q; want it to ask", got)
	}
	tapButton(t, w, "Keep counting")
	if !onScreen(w, b.done) || b.entries["PRINT-A4"].Text != "3" {
		t.Fatal("Keep counting lost the count")
	}
	b.entries["MUG"].SetText("4")
	tapButton(t, w, "Count and move home")
	if stall, main := stockAtPlace(t, shop, "MUG", "stall"), stockAtPlace(t, shop, "MUG", "main"); stall != 0 || main != 40 {
		t.Fatalf("after bringing back: MUG %d at the stall, %d at main; want 0 and 40", stall, main)
	}
	if stall := stockAtPlace(t, shop, "PRINT-A4", "stall"); stall != 0 {
		t.Fatalf("PRINT-A4 left at the stall: %d; want all 3 home", stall)
	}
}

// Without a location for the fair, packing says how to add one and moves
// nothing.
func TestPackWithoutAFairLocationSaysHowToAddOne(t *testing.T) {
	shop := stockedShop(t)
	u, _ := newTestUI(t, shop, Options{Screen: "sell"})
	v := u.showPack(nil)
	if !v.move.Disabled() || !strings.Contains(v.note.Text, addLocationChoice) {
		t.Fatalf("move enabled %v, note %q; want it disabled, saying how to add a location", !v.move.Disabled(), v.note.Text)
	}
}

// Once units are away from main, a SKU's detail says where they are, and
// a count there says it counts that location.
func TestSKUDetailSaysWhereTheUnitsAre(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	if _, err := shop.AddLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	u.skus.showDetail("MUG")
	if u.skus.detail.places.Visible() {
		t.Fatalf("with everything at main the detail says %q", u.skus.detail.places.Text)
	}
	if _, err := shop.MoveStock(ctx, app.Move{Code: "MUG", Qty: 5, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	u.skus.showDetail("MUG")
	if got := u.skus.detail.places.Text; !u.skus.detail.places.Visible() || got != "On hand by location: main 37 · Stall 5" {
		t.Fatalf("places %q; want main 37 · Stall 5", got)
	}
	if _, err := shop.UseLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	tapButton(t, w, "Count…")
	if !strings.Contains(dialogText(w), "Location\nStall\nOn the ledger\n5 on hand at Stall") {
		t.Fatalf("the count form does not say where it counts:\n%s", dialogText(w))
	}
}

// In a shop with more than one location, a count can count any of them,
// this device's chosen at first, as `count --location` can: the stall's
// shelf is counted at the workshop after the fair. The form says what
// the ledger holds at the one chosen.
func TestCountCountsTheLocationChosen(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	must[app.Location](t)(shop.AddLocation(ctx, "Stall"))
	must[[]string](t)(shop.MoveStock(ctx, app.Move{Code: "MUG", Qty: 5, From: "main", To: "stall"}))
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	f := u.skus.countForm(must[domain.SKU](t)(shop.SKU(ctx, "MUG")))
	where := formItem[*widget.Select](t, f, "Location")
	if where.Selected != "main" || !strings.Contains(dialogText(w), "37 on hand at main") {
		t.Fatalf("the count opens at %q saying:\n%s\nwant main, this device's, and its 37 on hand", where.Selected, dialogText(w))
	}
	where.SetSelected("Stall")
	if got := dialogText(w); !strings.Contains(got, "5 on hand at Stall") {
		t.Fatalf("with the stall chosen the form says:\n%s\nwant the stall's 5 on hand", got)
	}
	setEntry(t, f, "Units on hand", "3")
	submit(t, w, f)
	if got := stockAtPlace(t, shop, "MUG", "Stall"); got != 3 {
		t.Errorf("%d mugs available at the stall after counting 3 there", got)
	}
	if got := stockAtPlace(t, shop, "MUG", "main"); got != 37 {
		t.Errorf("%d mugs available at main after counting the stall; want its 37 untouched", got)
	}
}

// The packing list saves as a PDF checklist in the folder chosen.
func TestPackSavesAChecklist(t *testing.T) {
	shop := stockedShop(t)
	if _, err := shop.AddLocation(context.Background(), "Stall"); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	v := u.showPack(nil)
	dir := t.TempDir()
	f := v.saveChecklist()
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	submit(t, w, f)
	b, err := os.ReadFile(filepath.Join(dir, "pack-stall.pdf"))
	if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("the checklist: %v, %d bytes; want a PDF", err, len(b))
	}
	if got := dialogText(w); !strings.Contains(got, filepath.Join(dir, "pack-stall.pdf")) {
		t.Fatalf("the dialog says %q; want the file it saved", got)
	}
	// The pack list's summary stays: the saved note took its place.
	if strings.Contains(v.note.Text, "Saved") {
		t.Errorf("the summary line reads %q after saving, want the pack list's summary", v.note.Text)
	}
}

// Units held for QA at the stall stay there when the rest comes home, and
// the count says so before and after.
func TestCountWhatCameBackLeavesHeldUnits(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	b := orderedBatch(t, shop) // 20 prints from Print Hub, new: some held for QA
	must[app.Location](t)(shop.AddLocation(ctx, "Stall"))
	must[app.Location](t)(shop.UseLocation(ctx, "Stall"))
	must[app.Receipt](t)(shop.Receive(ctx, app.Delivery{Batch: b.ID, Qty: 20}))
	held := must[[]app.StockRow](t)(shop.StockAt(ctx, shop.AsOfNow(), "PRINT-A4", "Stall"))[0].Held
	if held == 0 {
		t.Fatal("nothing is held for QA; the test needs some")
	}
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	v := u.showCameBack(nil)
	v.from.SetSelected("Stall")
	if got := texts(v.rows); !strings.HasPrefix(got, fmt.Sprintf("PRINT-A4 (20 there, %d held for QA stay) · ", held)) {
		t.Fatalf("the count lists %q; want the held units said", got)
	}
	tapButton(t, w, "Count and move home")
	if got := dialogText(w); !strings.Contains(got, fmt.Sprintf("moved %d to main; %d × PRINT-A4 stay at Stall, held for QA", 20-held, held)) {
		t.Fatalf("after the count: %q; want the held units said to stay", got)
	}
	if got := stockAtPlace(t, shop, "PRINT-A4", "Stall"); got != 0 {
		t.Fatalf("%d prints available at the stall; want 0, the held ones not oversold", got)
	}
}

// Choosing another place to sell at drops a question asked at the last
// one: its "press Enter to sell anyway" stayed, and Enter then sold
// against the new place's stock what the old one lacked.
func TestChoosingAnotherPlaceDropsTheQuestionAsked(t *testing.T) {
	shop := stockedShop(t)
	if _, err := shop.AddLocation(context.Background(), "Stall"); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	w.Canvas().Focus(s.search)
	typeFocused(t, w, "CANDLE") // none left: asked on the line
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.asked == nil {
		t.Fatalf("a scan beyond stock asked nothing: %q", s.feedback.Text)
	}
	s.place.chosen("Stall")
	if s.asked != nil || strings.Contains(s.feedback.Text, "anyway") {
		t.Errorf("after choosing the stall the line still asks: %q", s.feedback.Text)
	}
}

// heldPrints is a shop selling at location whose PRINT-A4 there has 20
// units just in from a new factory, some held for QA, and how many.
func heldPrints(t *testing.T, location string) (*app.Shop, int) {
	t.Helper()
	ctx := context.Background()
	shop := stockedShop(t)
	b := orderedBatch(t, shop) // 20 prints from Print Hub, new: some held for QA
	if location != "main" {
		must[app.Location](t)(shop.AddLocation(ctx, location))
		must[app.Location](t)(shop.UseLocation(ctx, location))
	}
	must[app.Receipt](t)(shop.Receive(ctx, app.Delivery{Batch: b.ID, Qty: 20}))
	held := must[[]app.StockRow](t)(shop.StockAt(ctx, shop.AsOfNow(), "PRINT-A4", location))[0].Held
	if held < 2 {
		t.Fatalf("%d held for QA; the test needs at least 2", held)
	}
	return shop, held
}

// A count below the units held for QA, which a count includes, is asked
// about first: taken without the QA box, it left the held units sold
// beyond stock, and a failed QA then took the shelf below zero.
func TestCountBelowTheHeldUnitsAsksFirst(t *testing.T) {
	shop, held := heldPrints(t, "main")
	u, w := newTestUI(t, shop, Options{})
	f := u.skus.countForm(must[domain.SKU](t)(shop.SKU(context.Background(), "PRINT-A4")))
	setEntry(t, f, "Units on hand", fmt.Sprint(held-1))
	before := vectorTotal(t, shop)
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, fmt.Sprintf("has %d units held for QA, more than the %d counted", held, held-1)) {
		t.Fatalf("after a count below the held units: %q; want it asked about", got)
	}
	// Held units lost or broken leave through their batch's QA: the
	// question names it as the Batches screen shows it.
	if got := dialogText(w); !strings.Contains(got, "if some were lost or broken, decide QA of the batch of PRINT-A4 from Print Hub ordered on") {
		t.Fatalf("the question %q does not say what to do with held units lost", got)
	}
	if vectorTotal(t, shop) != before {
		t.Fatal("the count was recorded before the maker answered")
	}
	tapButton(t, w, "Count them")
	if got := must[[]app.StockRow](t)(shop.StockAt(context.Background(), shop.AsOfNow(), "PRINT-A4", "main"))[0].OnHand; got != held-1 {
		t.Fatalf("%d on hand after confirming; want the %d counted", got, held-1)
	}
}

// Once a count went below the units held for QA, the count form says
// what the ledger holds as it is: more held than on hand, not "1 on hand,
// 2 of them held", which cannot be.
func TestCountFormAfterACountBelowTheHeldUnits(t *testing.T) {
	ctx := context.Background()
	shop, held := heldPrints(t, "main")
	must[string](t)(shop.Count(ctx, "PRINT-A4", held-1, time.Time{}))
	u, w := newTestUI(t, shop, Options{})
	u.skus.countForm(must[domain.SKU](t)(shop.SKU(ctx, "PRINT-A4")))
	want := fmt.Sprintf("%d on hand at main, and %d held for QA there: more than are on hand", held-1, held)
	if got := dialogText(w); !strings.Contains(got, want) || strings.Contains(got, "of them") {
		t.Fatalf("the count form says:\n%s\nwant %q", got, want)
	}
}

// Counting what came back below the units held there for QA asks first,
// as a count above what went there does.
func TestCountWhatCameBackBelowTheHeldUnitsAsksFirst(t *testing.T) {
	shop, held := heldPrints(t, "Stall")
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	v := u.showCameBack(nil)
	v.from.SetSelected("Stall")
	v.entries["PRINT-A4"].SetText(fmt.Sprint(held - 1))
	before := vectorTotal(t, shop)
	tapButton(t, w, "Count and move home")
	if got := dialogText(w); !strings.Contains(got, fmt.Sprintf("PRINT-A4: %d counted, %d held for QA there", held-1, held)) {
		t.Fatalf("after a count below the held units: %q; want it asked about", got)
	}
	if vectorTotal(t, shop) != before {
		t.Fatal("the count was recorded before the maker answered")
	}
}

// Days of cover on a quarter day read as `microshopctl stock` reads them:
// the SKU's detail took 124.25 to 124.2, the command line to 124.3.
func TestCoverRoundsAsTheCommandLineDoes(t *testing.T) {
	if got := coverText(app.StockRow{Assessment: domain.Assessment{CoverDays: 124.25, Status: domain.StatusOK}}); got != "124.3 days" {
		t.Fatalf("cover of 124.25 days reads %q; want 124.3 days", got)
	}
}

// A bad count's error goes once it is corrected: behind the question a
// count above what went there asks, the last try's red "abc is not a
// count" stayed, as if the count were still refused.
func TestCountWhatCameBackDropsACorrectedError(t *testing.T) {
	shop, held := heldPrints(t, "Stall")
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	v := u.showCameBack(nil)
	v.from.SetSelected("Stall")
	v.entries["PRINT-A4"].SetText("abc")
	tapButton(t, w, "Count and move home")
	if v.note.Importance != widget.DangerImportance {
		t.Fatalf("a count of abc: note %q; want it refused", v.note.Text)
	}
	v.entries["PRINT-A4"].SetText(fmt.Sprint(held - 1))
	tapButton(t, w, "Count and move home")
	if v.note.Importance == widget.DangerImportance || strings.Contains(v.note.Text, "abc") {
		t.Fatalf("behind the question the note still reads %q", v.note.Text)
	}
}

// Back at the workshop, the tiles show what main holds, as a sale there
// is checked against: they showed the whole shop's, the stall's units
// too, so a tile read 42 mugs where a sale of 40 was refused as short.
func TestTheTilesAtMainShowMainsUnitsOnceThereIsAStall(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	_, w := newTestUI(t, shop, Options{Screen: "sell"})
	whole := shownAvailable(t, findTile(t, w, "MUG"))
	if _, err := shop.AddLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.MoveStock(ctx, app.Move{Code: "MUG", Qty: 5, From: "main", To: "Stall"}); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	if got := u.sell.place.choice.Selected; got != "main" {
		t.Fatalf("the Sell screen sells at %q; want main", got)
	}
	n, err := strconv.Atoi(whole)
	if err != nil {
		t.Fatalf("the MUG tile showed %q", whole)
	}
	if got, want := shownAvailable(t, findTile(t, w, "MUG")), strconv.Itoa(n-5); got != want {
		t.Fatalf("the MUG tile at main shows %s with 5 of %d at the stall; want %s", got, n, want)
	}
}

// Move them to Stall, and Count and move home, pressed again while the
// shop is busy (nothing seemed to happen) move the stock once: packing
// moved the list twice, and bringing back counted the emptied stall up
// to the count again and moved it home again, units out of nothing.
func TestPackAndBringBackPressedTwiceWhileTheShopIsBusyMoveOnce(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t) // 42 MUG at main
	mustCount(t, shop, "PRINT-A4", 20, day(0))
	if _, err := shop.AddLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.UseLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "sell"})

	v := u.showPack(nil)
	release := writingLater(u)
	tapButton(t, w, "Move them to Stall")
	test.Tap(v.move)
	release()
	if stall, main := stockAtPlace(t, shop, "MUG", "stall"), stockAtPlace(t, shop, "MUG", "main"); stall != 6 || main != 36 {
		t.Errorf("packing pressed twice: MUG %d at the stall, %d at main; want 6 and 36", stall, main)
	}
	closeDialogs(w)

	b := u.showCameBack(nil)
	b.entries["MUG"].SetText("4")
	release = writingLater(u)
	tapButton(t, w, "Count and move home")
	test.Tap(b.done)
	release()
	if stall, main := stockAtPlace(t, shop, "MUG", "stall"), stockAtPlace(t, shop, "MUG", "main"); stall != 0 || main != 40 {
		t.Errorf("4 of 6 MUG back, Count and move home pressed twice: %d at the stall, %d at main; want 0 and 40", stall, main)
	}
}
