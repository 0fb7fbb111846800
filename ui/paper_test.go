package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// findSelect is the select under o that offers option.
func findSelect(t *testing.T, o fyne.CanvasObject, option string) *widget.Select {
	t.Helper()
	var found *widget.Select
	walk(o, func(x fyne.CanvasObject) bool {
		if s, ok := x.(*widget.Select); ok && slices.Contains(s.Options, option) {
			found = s
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no choice of %q", option)
	}
	return found
}

// findCheck is the check box under o labelled text.
func findCheck(t *testing.T, o fyne.CanvasObject, text string) *widget.Check {
	t.Helper()
	var found *widget.Check
	walk(o, func(x fyne.CanvasObject) bool {
		if c, ok := x.(*widget.Check); ok && c.Text == text {
			found = c
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no check box %q", text)
	}
	return found
}

// The Export form writes the CSV chosen; a period it cannot read is said
// under its field and nothing is written.
func TestExportFormWritesTheCSVChosen(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	dir := t.TempDir()
	f := u.exportForm()
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	submit(t, w, f)
	name := "stock-" + shop.Now().Format("2006-01-02") + ".csv"
	if got := readFile(t, filepath.Join(dir, name)); !strings.HasPrefix(got, "code,") || !strings.Contains(got, "MUG") {
		t.Fatalf("%s holds %q; want the stock CSV", name, got)
	}
	closeDialogs(w)

	f = u.exportForm()
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	findSelect(t, f.obj, "Sales over a period").SetSelected("Sales over a period")
	entryIn(t, f.fieldForm, "From").SetText("last week")
	submit(t, w, f)
	if got := fieldError(t, f.fieldForm, "From"); !strings.Contains(got, `"last week"`) {
		t.Fatalf("under From the form says %q; want the date refused", got)
	}
	// A period the wrong way round is said under To, the form kept: the
	// shop's refusal had closed it, every entry lost.
	entryIn(t, f.fieldForm, "From").SetText("2026-06-01")
	entryIn(t, f.fieldForm, "To").SetText("2025-01-01")
	submit(t, w, f)
	if got := fieldError(t, f.fieldForm, "To"); !strings.Contains(got, "before the start") || !onScreen(w, f.form) {
		t.Fatalf("under To the form says %q; want the reversed period refused there", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "sales-"+shop.Now().Format("2006-01-02")+".csv")); err == nil {
		t.Fatal("a refused export wrote its file")
	}
}

// The Shopify inventory is written for the location the form names, as
// the command line's --shopify-location: the desktop wrote "Shop location"
// always, and Shopify refused every row of a shop whose location is named
// otherwise.
func TestExportFormNamesTheShopifyLocation(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	dir := t.TempDir()
	f := u.exportForm()
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	findSelect(t, f.obj, "Shopify inventory (for its inventory import)").SetSelected("Shopify inventory (for its inventory import)")
	entryIn(t, f.fieldForm, "Location").SetText("Harbour Studio")
	submit(t, w, f)
	name := "shopify-inventory-" + shop.Now().Format("2006-01-02") + ".csv"
	if got := readFile(t, filepath.Join(dir, name)); !strings.Contains(got, ",Harbour Studio,") || strings.Contains(got, "Shop location") {
		t.Fatalf("%s holds %q; want its rows at Harbour Studio", name, got)
	}
}

// Labels of one SKU save as a PDF; a copy count of 0 is refused.
func TestLabelsFormSavesAPDF(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	dir := t.TempDir()
	f := u.labelsForm([]string{"MUG"})
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	entryIn(t, f.fieldForm, "Copies").SetText("0")
	submit(t, w, f)
	if got := fieldError(t, f.fieldForm, "Copies"); !strings.Contains(got, "0") {
		t.Fatalf("under Copies the form says %q; want 0 refused", got)
	}
	// The form's limit is the labels' own: it took up to 1000000 and the
	// shop then refused more than 10000, closing the form.
	entryIn(t, f.fieldForm, "Copies").SetText("1000000")
	submit(t, w, f)
	if got := fieldError(t, f.fieldForm, "Copies"); !strings.Contains(got, "from 1 to 10000") || !onScreen(w, f.form) {
		t.Fatalf("under Copies the form says %q; want 1000000 refused there, up to 10000", got)
	}
	entryIn(t, f.fieldForm, "Copies").SetText("3")
	submit(t, w, f)
	if got := readFile(t, filepath.Join(dir, "labels-mug.pdf")); !strings.HasPrefix(got, "%PDF-") {
		t.Fatal("no PDF of labels")
	}
	// The note names the folder too: the file's name alone left the maker
	// looking for it.
	if got := dialogText(w); !strings.Contains(got, "3 labels on 1 page in "+filepath.Join(dir, "labels-mug.pdf")) {
		t.Fatalf("after saving the window says %q; want the labels and the file's full path", got)
	}
}

// Labels the shop cannot print are refused in the form, which stays open
// to give a number of copies: the form closed and a box of its own said
// "give a number of copies instead", with no form left to give it in.
func TestLabelsOfNothingAvailableAreRefusedInTheForm(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	dir := t.TempDir()
	f := u.labelsForm([]string{"CANDLE"}) // all 5 sold: none available
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	findCheck(t, f.obj, "One label per available unit").SetChecked(true)
	submit(t, w, f)
	if !onScreen(w, f.form) || !strings.Contains(f.problem.Text, "nothing to print") {
		t.Fatalf("labels of none available: the form says %q (open %v), the window %q; want it refused in the open form",
			f.problem.Text, onScreen(w, f.form), dialogText(w))
	}
	if _, err := os.Stat(filepath.Join(dir, "labels-candle.pdf")); err == nil {
		t.Fatal("a PDF was written")
	}
	findCheck(t, f.obj, "One label per available unit").SetChecked(false)
	submit(t, w, f)
	if got := readFile(t, filepath.Join(dir, "labels-candle.pdf")); !strings.HasPrefix(got, "%PDF-") {
		t.Fatal("no PDF once a number of copies was given")
	}
}

// savePurchaseOrder fills the purchase order form of factory to save
// po.csv in a new folder, and submits it.
func savePurchaseOrder(t *testing.T, u *UI, w fyne.Window, factory string) (*formDialog, string) {
	t.Helper()
	dir := t.TempDir()
	f := u.purchaseOrderForm(factory)
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	entryIn(t, f.fieldForm, "File name").SetText("po.csv")
	submit(t, w, f)
	return f, dir
}

// A purchase order saves as CSV when its name says so, with what the
// reorder rule asks of the factory.
func TestPurchaseOrderFormWritesTheFactorysOrder(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	_, dir := savePurchaseOrder(t, u, w, "Print Hub")
	if got := readFile(t, filepath.Join(dir, "po.csv")); !strings.HasPrefix(got, "factory,code") || !strings.Contains(got, "PRINT-A4") {
		t.Fatalf("po.csv holds %q; want Print Hub's order of PRINT-A4", got)
	}
	if got := dialogText(w); !strings.Contains(got, " in "+filepath.Join(dir, "po.csv")+";") {
		t.Errorf("after saving the window says %q; want the file's full path", got)
	}
}

// A purchase order named po.txt is refused under its name with the form
// still open, before asking to replace a po.txt already there: the form
// closed, asked first, and then said so in a box of its own, the maker's
// choices lost.
func TestPurchaseOrderOfNeitherPDFNorCSVIsRefusedInTheForm(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "po.txt"), []byte("notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := u.purchaseOrderForm("Print Hub")
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	entryIn(t, f.fieldForm, "File name").SetText("po.txt")
	submit(t, w, f)
	if got := fieldError(t, f.fieldForm, "File name"); !strings.Contains(got, "neither a .pdf nor a .csv") || !onScreen(w, f.form) {
		t.Fatalf("under File name the form says %q; want po.txt refused there, the form open", got)
	}
	if got := dialogText(w); strings.Contains(got, "Replace po.txt?") {
		t.Fatalf("the window asks %q; want no question about a file that cannot be written", got)
	}
	if got := readFile(t, filepath.Join(dir, "po.txt")); got != "notes" {
		t.Fatalf("po.txt holds %q; want it untouched", got)
	}
}

// A paused factory's purchase order is asked about and then written: the
// refusal said "or order anyway" with no way to.
func TestPurchaseOrderOfAPausedFactoryIsAskedAbout(t *testing.T) {
	shop := stockedShop(t)
	if err := shop.PauseFactory(context.Background(), "Print Hub", "late twice"); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{})
	f, dir := savePurchaseOrder(t, u, w, "Print Hub")
	if got := dialogText(w); !strings.Contains(got, "Write an order for a paused factory?") || !strings.Contains(got, "late twice") {
		t.Fatalf("a paused factory's order: %q; want it asked about, with the reason", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "po.csv")); err == nil {
		t.Fatal("the order was written before the answer")
	}
	tapButton(t, w, "Write it anyway")
	if got := readFile(t, filepath.Join(dir, "po.csv")); !strings.Contains(got, "PRINT-A4") {
		t.Fatalf("po.csv holds %q; want Print Hub's order of PRINT-A4", got)
	}
	if onScreen(w, f.form) {
		t.Error("the form stayed open once the order was written")
	}

	// A paused factory with nothing to order says so, asking nothing.
	mustFactory(t, shop, "Kiln House", domain.KindMicrofactory, 10, true)
	if err := shop.PauseFactory(context.Background(), "Kiln House", "kiln repair"); err != nil {
		t.Fatal(err)
	}
	f = u.purchaseOrderForm("Kiln House")
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	submit(t, w, f)
	if got := dialogText(w); strings.Contains(got, "paused factory?") || !strings.Contains(f.problem.Text, "othing needs ordering from Kiln House") {
		t.Fatalf("a paused factory with nothing to order: %q, the form says %q; want nothing to order said, no question", got, f.problem.Text)
	}
}

// Import shows what the file would do before writing: a line whose SKU
// the shop lacks keeps Import off; leaving such lines out lets it import.
func TestImportFormChecksBeforeItWrites(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	before := vectorTotal(t, shop)
	file := checkEtsyOrders(t, u, w, ",Mug,Jo,2,24.00,EUR,3001,,9001,MUG", ",Cup,Jo,1,9.00,EUR,3002,,9001,CUP")
	got := dialogText(w)
	if !strings.Contains(got, "line 3") || !strings.Contains(got, "CUP") {
		t.Fatalf("the check says %q; want line 3 and its unknown SKU", got)
	}
	if vectorTotal(t, shop) != before {
		t.Fatal("checking the file wrote to the shop")
	}
	tapButton(t, w, "Leave them out")
	if got := dialogText(w); !strings.Contains(got, "1 sale") || !strings.Contains(got, "Left out 1 line of 1 SKU the shop lacks: CUP.") {
		t.Fatalf("the check leaving them out says %q; want 1 sale and CUP's line left out", got)
	}
	closeDialogs(w)

	f := u.importForm()
	entryIn(t, f.fieldForm, "File").SetText(file)
	findCheck(t, f.obj, "Leave out order lines whose SKU the shop lacks").SetChecked(true)
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "1 sale") || !strings.Contains(got, "Nothing is written until you press Import") {
		t.Fatalf("the check says %q; want 1 sale to record", got)
	}
	tapButton(t, w, "Import")
	if got := stockOf(t, shop, "MUG").Available; got != 40 {
		t.Fatalf("MUG available %d after importing 2; want 40", got)
	}
}

// The check after Leave them out counts the lines left out apart from a
// cancelled order's, and names their SKUs, as the import after it does:
// both were one "2 skipped", with nothing to say CUP was left out.
func TestAnImportCheckNamesTheLinesLeftOut(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	file := filepath.Join(t.TempDir(), "EtsySoldOrderItems.csv")
	sold := day(-1).Format("01/02/06")
	csv := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU,Status\r\n" +
		sold + ",Mug,Jo,2,24.00,EUR,3001,,9001,MUG,\r\n" +
		sold + ",Cup,Jo,1,9.00,EUR,3002,,9001,CUP,\r\n" +
		sold + ",Mug,Al,1,24.00,EUR,3003,,9002,MUG,Canceled\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	f := u.importForm()
	entryIn(t, f.fieldForm, "File").SetText(file)
	submit(t, w, f)
	tapButton(t, w, "Leave them out")
	const said = "1 skipped as cancelled or refunded. Left out 1 line of 1 SKU the shop lacks: CUP."
	if got := dialogText(w); !strings.Contains(got, said) {
		t.Fatalf("the check leaving CUP out says %q; want %q", got, said)
	}
	tapButton(t, w, "Import")
	if got := dialogText(w); !strings.Contains(got, said) {
		t.Errorf("the import says %q; want %q", got, said)
	}
}

// Today's Purchase order button offers the factory of the first SKU to
// reorder.
func TestTodaysPurchaseOrderOffersAReorderFactory(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "today"})
	if u.today.reorderFactory == "" {
		t.Fatal("the shop has no SKU to reorder")
	}
	tapButton(t, w, "Purchase order…")
	if got := dialogText(w); !strings.Contains(got, "po-"+strings.ToLower(strings.ReplaceAll(u.today.reorderFactory, " ", "-"))) {
		t.Fatalf("the purchase order form offers %q; want a file for %s", got, u.today.reorderFactory)
	}
}

// An Etsy listing with variations gives one quantity for all its SKUs:
// the import says which it added without a count, before and after.
func TestImportFormNamesSKUsToCount(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	file := filepath.Join(t.TempDir(), "EtsyListingsDownload.csv")
	csv := "TITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,TAGS,MATERIALS,IMAGE1,VARIATION 1 TYPE,VARIATION 1 NAME,VARIATION 1 VALUES,SKU\r\n" +
		"Tote,,20.00,EUR,30,,,,Size,Size,\"S,M\",\"TOTE-S,TOTE-M\"\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	f := u.importForm()
	entryIn(t, f.fieldForm, "File").SetText(file)
	findSelect(t, f.obj, "handmade").SetSelected("handmade")
	findSelect(t, f.obj, "Clay Works").SetSelected("Clay Works")
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "TOTE-S, TOTE-M have no first stocktake") {
		t.Fatalf("the check says %q; want TOTE-S and TOTE-M named for a count", got)
	}
}

// A file that is no export Microshop knows is said in the import form,
// which stays as filled in: it closed, and the choices were typed again.
func TestImportFormKeepsItsChoicesWhenTheFileCannotBeRead(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	file := filepath.Join(t.TempDir(), "notes.csv")
	if err := os.WriteFile(file, []byte("shopping list\nmilk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := u.importForm()
	entryIn(t, f.fieldForm, "File").SetText(file)
	findSelect(t, f.obj, "handmade").SetSelected("handmade")
	submit(t, w, f)
	if !onScreen(w, f.form) || !f.problem.Visible() || !strings.Contains(f.problem.Text, "notes.csv") {
		t.Fatalf("an unreadable file: form shown %v, it says %q, dialogs %q; want the form kept, naming the file", onScreen(w, f.form), f.problem.Text, dialogText(w))
	}
	if n := len(w.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d dialogs open, want the form alone: %q", n, dialogText(w))
	}
	if entryIn(t, f.fieldForm, "File").Text != file || findSelect(t, f.obj, "handmade").Selected != "handmade" {
		t.Fatal("the form lost what was chosen")
	}
}

// A check that refuses rows goes back to the form as it was filled in:
// closing it had thrown the choices away with the form.
func TestARefusedImportCheckGoesBackToTheForm(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	file := checkEtsyOrders(t, u, w, ",Cup,Jo,1,9.00,EUR,3002,,9001,CUP")
	tapButton(t, w, "Change the choices…")
	if n := len(w.Canvas().Overlays().List()); n != 1 || !strings.Contains(dialogText(w), "Import a file") {
		t.Fatalf("%d dialogs: %q; want the import form alone", n, dialogText(w))
	}
	if got := findFormEntry(t, w, "Etsy or Shopify").Text; got != file {
		t.Fatalf("the form's file is %q; want %q as it was", got, file)
	}
}

// Lines whose SKU the shop lacks are mapped to its codes from the check,
// as `import --map` does: a code the shop lacks is refused under its row
// with nothing written; mapped, the file imports.
func TestImportFormMapsTheFilesSKUs(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	before := vectorTotal(t, shop)
	checkEtsyOrders(t, u, w, ",Mug,Jo,2,24.00,EUR,3001,,9001,MUG-BLUE", ",Speckled mug,Jo,1,24.00,EUR,3002,,9001,")
	tapButton(t, w, "Map SKUs…")
	topFormEntry(t, w, "MUG-BLUE").SetText("NOPE")
	tapButton(t, w, "Check again")
	if got := dialogText(w); !strings.Contains(got, "NOPE") || !strings.Contains(got, "Check again") {
		t.Fatalf("mapping to a code the shop lacks shows %q; want NOPE named in the form, still open", got)
	}
	topFormEntry(t, w, "MUG-BLUE").SetText("mug")
	topFormEntry(t, w, "Speckled mug").SetText("MUG")
	tapButton(t, w, "Check again")
	if got := dialogText(w); !strings.Contains(got, "2 sales") || !strings.Contains(got, "Nothing is written until you press Import") {
		t.Fatalf("the check after mapping says %q; want 2 sales to record", got)
	}
	if vectorTotal(t, shop) != before {
		t.Fatal("checking and mapping wrote to the shop")
	}
	tapButton(t, w, "Import")
	if got := stockOf(t, shop, "MUG").Available; got != 39 {
		t.Fatalf("MUG available %d after importing 3 mapped to it; want 39", got)
	}
}

// Leaving out the lines whose SKU the shop lacks keeps the check's other
// remedies offered: the lines left out can still be mapped, and the
// choices changed. They went with the refusal, and only Close was left
// to undo the choice, throwing the form away with it.
func TestAnImportCheckKeepsItsRemediesAfterLeavingLinesOut(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	checkEtsyOrders(t, u, w, ",Mug,Jo,2,24.00,EUR,3001,,9001,MUG", ",Cup,Jo,1,9.00,EUR,3002,,9001,CUP",
		",Speckled mug,Jo,1,24.00,EUR,3003,,9001,")
	tapButton(t, w, "Leave them out")
	if got := dialogText(w); !strings.Contains(got, "1 sale") || !strings.Contains(got, `Left out 2 lines of 1 SKU the shop lacks and 1 item without a SKU: CUP, "Speckled mug".`) {
		t.Fatalf("the check leaving them out says %q; want 1 sale and 2 lines left out, named", got)
	}
	findButton(t, w, "Change the choices…")
	tapButton(t, w, "Map SKUs…")
	topFormEntry(t, w, "Speckled mug").SetText("MUG")
	topFormEntry(t, w, "CUP")
	tapButton(t, w, "Check again")
	if got := dialogText(w); !strings.Contains(got, "2 sales") || !strings.Contains(got, "Left out 1 line of 1 SKU the shop lacks: CUP.") {
		t.Fatalf("the check mapping one of the lines left out says %q; want 2 sales and CUP's line left out", got)
	}
	tapButton(t, w, "Map SKUs…")
	topFormEntry(t, w, "CUP")
	closeDialogs(w)

	checkEtsyOrders(t, u, w, ",Mug,Jo,2,24.00,EUR,3001,,9001,MUG", ",Cup,Jo,1,9.00,EUR,3002,,9001,CUP")
	tapButton(t, w, "Leave them out")
	tapButton(t, w, "Change the choices…")
	if !findCheck(t, w.Canvas().Overlays().Top(), "Leave out order lines whose SKU the shop lacks").Checked {
		t.Error("the form the check goes back to lost the choice to leave the lines out")
	}
}

// Cancelling a form the check opened, Map SKUs or Change the choices,
// brings the check back as it was: same file, same choices, same result.
// It left nothing on screen, and the file had to be chosen again.
func TestCancellingAFormFromTheImportCheckGoesBackToIt(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	checkEtsyOrders(t, u, w, ",Mug,Jo,2,24.00,EUR,3001,,9001,MUG-BLUE", ",Cup,Jo,1,9.00,EUR,3002,,9001,CUP")
	check := dialogText(w)
	escape := func() { w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) }
	for _, tc := range []struct {
		name, remedy string
		cancel       func()
	}{
		{"map, Cancel", "Map SKUs…", func() { tapButton(t, w, "Cancel") }},
		{"map, Escape", "Map SKUs…", escape},
		{"map typed in, Discard", "Map SKUs…", func() {
			topFormEntry(t, w, "CUP").SetText("MUG")
			tapButton(t, w, "Cancel")
			tapButton(t, w, "Discard")
		}},
		{"choices, Cancel", "Change the choices…", func() { tapButton(t, w, "Cancel") }},
		{"choices, Escape", "Change the choices…", escape},
	} {
		tapButton(t, w, tc.remedy)
		if got := dialogText(w); got == check {
			t.Fatalf("%s: %s left the check on top", tc.name, tc.remedy)
		}
		tc.cancel()
		if n, got := len(w.Canvas().Overlays().List()), dialogText(w); n != 1 || got != check {
			t.Fatalf("%s: cancelled, %d dialogs say %q; want the check alone, as it was: %q", tc.name, n, got, check)
		}
	}

	// The choices the check was made with stay: the map, after the form
	// to change the others is cancelled.
	tapButton(t, w, "Map SKUs…")
	topFormEntry(t, w, "MUG-BLUE").SetText("MUG")
	tapButton(t, w, "Check again")
	mapped := dialogText(w)
	tapButton(t, w, "Change the choices…")
	tapButton(t, w, "Cancel")
	if got := dialogText(w); got != mapped {
		t.Fatalf("cancelled, the mapped check says %q; want it as it was: %q", got, mapped)
	}
	tapButton(t, w, "Map SKUs…")
	topFormEntry(t, w, "CUP").SetText("MUG")
	tapButton(t, w, "Check again")
	if got := dialogText(w); !strings.Contains(got, "2 sales") || !strings.Contains(got, "Nothing is written until you press Import") {
		t.Fatalf("mapping CUP after MUG-BLUE says %q; want both mapped, 2 sales to record", got)
	}
}

// topFormEntry is the entry of the field labelled label in the form of the
// top dialog.
func topFormEntry(t *testing.T, w fyne.Window, label string) *fieldEntry {
	t.Helper()
	var found *fieldEntry
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if f, ok := o.(*widget.Form); ok {
			for _, it := range f.Items {
				for _, part := range fieldParts(it.Widget) {
					if e, ok := part.(*fieldEntry); ok && it.Text == label {
						found = e
					}
				}
			}
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("the top dialog has no field %q:\n%s", label, dialogText(w))
	}
	return found
}

// checkEtsyOrders writes an Etsy orders file of rows sold yesterday (each
// row without its date), checks it in the import form and returns its path.
func checkEtsyOrders(t *testing.T, u *UI, w fyne.Window, rows ...string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "EtsySoldOrderItems.csv")
	csv := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU\r\n"
	for _, r := range rows {
		csv += day(-1).Format("01/02/06") + r + "\r\n"
	}
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	f := u.importForm()
	entryIn(t, f.fieldForm, "File").SetText(file)
	submit(t, w, f)
	return file
}

// A refused row's reason is shown whole, wrapped, not cut with "…" at
// the dialog's width; a file refused for what its rows say, every SKU
// known, is told to be fixed, with no advice to map SKUs or leave lines out.
func TestAnImportChecksRefusalsAreReadWhole(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	checkEtsyOrders(t, u, w, ",Mug,Jo,1,24.00,USD,3001,,9001,MUG")
	var cut, whole bool
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, func(x fyne.CanvasObject) bool {
			if l, ok := x.(*widget.Label); ok && strings.Contains(l.Text, `its prices are in "USD"`) {
				whole = strings.HasSuffix(l.Text, "only lines in EUR can be imported")
				cut = l.Truncation != fyne.TextTruncateOff || l.Wrapping == fyne.TextWrapOff
			}
			return true
		})
	}
	if !whole || cut {
		t.Errorf("the USD line's reason: whole %v, cut %v; want it whole and wrapped", whole, cut)
	}
	if got := dialogText(w); strings.Contains(got, "map its SKUs") || !strings.Contains(got, "Fix the file") {
		t.Errorf("the check says %q; want it told to fix the file, with no advice on SKUs", got)
	}
}

// The check before an import names each SKU the file would take below
// zero, with the units its orders want, those available and the orders
// that would wait; Import stays on (the channel sold them), and a
// download, which never runs out, is not named.
func TestImportCheckWarnsOfWhatItWouldOversell(t *testing.T) {
	shop := stockedShop(t) // CANDLE: 5 counted, 5 sold, none left
	u, w := newTestUI(t, shop, Options{})
	checkEtsyOrders(t, u, w,
		",Candle,Jo,1,9.00,EUR,3001,,9001,CANDLE",
		",Candle,Al,1,9.00,EUR,3002,,9002,CANDLE",
		",Candle,Bo,1,9.00,EUR,3003,,9003,CANDLE",
		",Guide,Bo,40,5.00,EUR,3004,,9003,GUIDE")
	got := dialogText(w)
	if !strings.Contains(got, "CANDLE: the file's orders want 3 and 0 are available, so 3 orders will wait for stock.") {
		t.Fatalf("the check says %q; want CANDLE named: 3 wanted, 0 available, 3 orders waiting", got)
	}
	if strings.Contains(got, "GUIDE:") {
		t.Errorf("the check says %q; a download never runs out, so GUIDE is not named", got)
	}
	tapButton(t, w, "Import")
	if got := stockOf(t, shop, "CANDLE").Available; got != -3 {
		t.Fatalf("CANDLE available %d after importing 3; want -3, as the check said", got)
	}
}

// The check names every SKU a file would oversell, in a list that
// scrolls, up to maxShownOversold and then how many more: it named three
// and hid the rest, with no way to see which.
func TestImportCheckNamesTheOversoldSKUsThenCounts(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	res := app.ImportResult{Format: app.FormatEtsyOrders, Rows: 16, Sales: 16, DryRun: true}
	for i := range 8 {
		res.Oversold = append(res.Oversold, app.ImportOversell{Code: fmt.Sprintf("FOX-%d", i), Want: 2, Waiting: 2})
	}
	u.showImportCheck(app.ImportRequest{Path: "EtsySoldOrderItems.csv"}, res, nil)
	got := dialogText(w)
	if !strings.Contains(got, "Importing would take 8 SKUs below zero") || !strings.Contains(got, "FOX-7: the file's orders want 2") ||
		strings.Contains(got, "more SKU") {
		t.Fatalf("the check says %q; want the 8 counted and each named", got)
	}
	assertGolden(t, w, "import_check.xml")
	closeDialogs(w)
	for i := 8; i < maxShownOversold+5; i++ {
		res.Oversold = append(res.Oversold, app.ImportOversell{Code: fmt.Sprintf("FOX-%d", i), Want: 2, Waiting: 2})
	}
	u.showImportCheck(app.ImportRequest{Path: "EtsySoldOrderItems.csv"}, res, nil)
	if got := dialogText(w); !strings.Contains(got, fmt.Sprintf("FOX-%d:", maxShownOversold-1)) || !strings.Contains(got, "and 5 more SKUs") {
		t.Errorf("with %d SKUs the check says %q; want %d named, then and 5 more SKUs", maxShownOversold+5, got, maxShownOversold)
	}
}

// The check ends as the app's forms do: Close and Import on one row at
// the bottom right, Import last; what to do about refused rows on a row
// above. Import sat alone on the left, Close on a row of its own below.
func TestImportCheckButtonsEndAtTheBottomRight(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	w.Resize(smallWindow)
	clean := app.ImportResult{Format: app.FormatEtsyOrders, Rows: 1, Sales: 1, DryRun: true}
	refused := app.ImportResult{Format: app.FormatEtsyOrders, Rows: 1, DryRun: true,
		Errors: []app.ImportError{{Line: 2, Message: "there is no SKU FOX"}}, Unmapped: []string{"FOX"}}
	for _, tc := range []struct {
		name string
		res  app.ImportResult
		err  error
	}{
		{"clean", clean, nil},
		{"refused", refused, errors.New("refused")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u.showImportCheck(app.ImportRequest{Path: "EtsySoldOrderItems.csv"}, tc.res, tc.err)
			defer closeDialogs(w)
			pos := func(b *widget.Button) fyne.Position {
				return fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
			}
			closeBtn, importBtn := findButton(t, w, "Close"), findButton(t, w, "Import")
			if c, i := pos(closeBtn), pos(importBtn); c.Y != i.Y || c.X+closeBtn.Size().Width > i.X {
				t.Errorf("Close at %v and Import at %v; want them on one row, Import right of Close", c, i)
			}
			bottom, right := pos(importBtn).Y, pos(importBtn).X+importBtn.Size().Width
			walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
				if b, ok := o.(*widget.Button); ok && o.Visible() && b != importBtn {
					if p := pos(b); p.Y > bottom || p.X+b.Size().Width > right {
						t.Errorf("%q at %v is below or right of Import at %v", b.Text, p, pos(importBtn))
					}
				}
				return o.Visible()
			})
		})
	}
	u.showImportCheck(app.ImportRequest{Path: "EtsySoldOrderItems.csv"}, clean, nil)
	tapButton(t, w, "Close")
	if got := dialogText(w); got != "" {
		t.Errorf("Close left %q on screen", got)
	}
}

// The check names the SKUs the file sells in open orders dated before
// their stocktake, as it names those it would oversell.
func TestImportCheckNamesOpenOrdersDatedBeforeAStocktake(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	res := app.ImportResult{Format: app.FormatEtsyOrders, Rows: 1, Sales: 1, DryRun: true,
		CountedOpen: []app.ImportCountedOpen{{Code: "MUG", Units: 2, Orders: []string{"8001"}, CountedAt: day(-1)}}}
	u.showImportCheck(app.ImportRequest{Path: "EtsySoldOrderItems.csv"}, res, nil)
	if got := dialogText(w); !strings.Contains(got, "1 SKU is sold in open orders dated before its last stocktake") ||
		!strings.Contains(got, "MUG: 2 units in order 8001, not shipped yet") {
		t.Errorf("the check says %q; want MUG's open order named", got)
	}
}

// The check says how much of the channel's discounts the import would
// take off the sales, and the import what it took: an Etsy coupon of 2.40
// on an order of 2 mugs at 24.00.
func TestImportSaysWhatDiscountsTakeOff(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	checkEtsyLine(t, u, w, "2.40,4.50", "9001")
	if got := dialogText(w); !strings.Contains(got, "It would take 2.40 of the channel's discounts off the sales") {
		t.Fatalf("the check says %q; want it to say 2.40 of discounts would come off", got)
	}
	tapButton(t, w, "Import")
	if got := dialogText(w); !strings.Contains(got, "Took 2.40 of the channel's discounts off the sales") {
		t.Errorf("the import says %q; want it to say 2.40 of discounts came off", got)
	}
}

// The import check and its result name the file in words, the channel's
// and what it holds: they said "6 rows of etsy-orders", the name of a
// format in microshopctl's --format.
func TestAnImportNamesTheChannelsFileInWords(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	checkEtsyOrders(t, u, w, ",Mug,Jo,1,24.00,EUR,3001,,9001,MUG", ",Print,Al,1,12.00,EUR,3002,,9002,PRINT-A4")
	if got := dialogText(w); !strings.Contains(got, "2 rows of an Etsy sold order items file. Importing it would record") || strings.Contains(got, "etsy-orders") {
		t.Fatalf("the check says %q; want 2 rows of an Etsy sold order items file", got)
	}
	tapButton(t, w, "Import")
	if got := dialogText(w); !strings.Contains(got, "2 rows of an Etsy sold order items file: ") || strings.Contains(got, "etsy-orders") {
		t.Errorf("the import says %q; want 2 rows of an Etsy sold order items file", got)
	}
	for _, tc := range []struct{ format, want string }{
		{app.FormatEtsyListings, "1 row of an Etsy listings file: "},
		{app.FormatShopifyOrders, "1 row of a Shopify orders file: "},
		{app.FormatShopifyProducts, "1 row of a Shopify products file: "},
	} {
		got := importSummary(app.ImportResult{Format: tc.format, Rows: 1}, false)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: the import says %q, want it to start %q", tc.format, got, tc.want)
		}
		// A listings file is told in SKUs: "0 sales, 0 orders shipped"
		// of a file that holds no order puzzled.
		if listings := tc.format != app.FormatShopifyOrders; listings == strings.Contains(got, "sales") {
			t.Errorf("%s: the import says %q; want sales named of an orders file only", tc.format, got)
		}
	}
}

// Print labels… beside a filtered SKU list prints the SKUs it shows: it
// printed every SKU on sale, a sheet of mugs for a maker who had filtered
// the list to the candles.
func TestPrintLabelsBesideAFilteredListPrintsWhatItShows(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	w.Resize(fyne.NewSize(800, 600))
	s := u.skus
	test.Type(s.filterEntry, "clay")
	tapButton(t, w, "Print labels…")
	if got := dialogText(w); !strings.Contains(got, "MUG") || !strings.Contains(got, "CANDLE") || strings.Contains(got, "every SKU") {
		t.Fatalf("the labels form says %q; want the SKUs the list shows, CANDLE and MUG", got)
	}
	dir := t.TempDir()
	topFormEntry(t, w, "Folder").SetText(dir)
	tapButton(t, w, "Save PDF")
	if got := dialogText(w); !strings.Contains(got, "2 labels on 1 page") {
		t.Fatalf("after saving the window says %q; want the 2 SKUs shown", got)
	}
	closeDialogs(w)

	// The list unfiltered prints every SKU on sale, as before.
	s.filterEntry.SetText("")
	tapButton(t, w, "Print labels…")
	if got := dialogText(w); !strings.Contains(got, "every SKU on sale") {
		t.Fatalf("the labels form of the whole list says %q; want every SKU on sale", got)
	}
}

// The import, not only its check, names the SKUs it sold in open orders
// dated before their stocktake, as microshopctl import does: the desktop's
// Imported said nothing of them, though the count must be taken again.
func TestImportedNamesOpenOrdersDatedBeforeAStocktake(t *testing.T) {
	shop := stockedShop(t)
	if _, err := shop.Count(context.Background(), "MUG", 10, shop.Now()); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{})
	checkEtsyLine(t, u, w, "0,0", "8001")
	tapButton(t, w, "Import")
	if got := dialogText(w); !strings.Contains(got, "1 SKU is sold in open orders dated before its last stocktake") ||
		!strings.Contains(got, "MUG: 2 units in order 8001, not shipped yet") {
		t.Errorf("the import says %q; want MUG's open order named", got)
	}
}

// checkEtsyLine checks, in Shop → Import a file…, an Etsy orders file of
// one line sold yesterday in order order, 2 × MUG at 24.00, with discounts
// "COUPON,SHIPPING" (Discount Amount and Shipping Discount).
func checkEtsyLine(t *testing.T, u *UI, w fyne.Window, discounts, order string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "EtsySoldOrderItems.csv")
	csv := "Sale Date,Item Name,Buyer,Quantity,Price,Discount Amount,Shipping Discount,Currency,Transaction ID,Date Shipped,Order ID,SKU\r\n" +
		day(-1).Format("01/02/06") + ",Mug,Jo,2,24.00," + discounts + ",EUR,3001,," + order + ",MUG\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	f := u.importForm()
	entryIn(t, f.fieldForm, "File").SetText(file)
	submit(t, w, f)
}

// The check and the import name a line imported before that the file has
// otherwise, its order edited since, as they name an order refunded since:
// it counted "already there" and the shop kept the 2 mugs the buyer no
// longer took all of.
func TestAnImportNamesALineEditedSince(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	checkEtsyOrders(t, u, w, ",Mug,Jo,2,24.00,EUR,3001,,9001,MUG")
	tapButton(t, w, "Import")
	closeDialogs(w)
	checkEtsyOrders(t, u, w, ",Mug,Jo,1,24.00,EUR,3001,,9001,MUG")
	want := "(9001: 2 MUG for 48.00 in the shop, 1 MUG for 24.00 in the file): void it and sell again what the file has, or record a return of what came back"
	if got := dialogText(w); !strings.Contains(got, "A line imported before is otherwise in this file") || !strings.Contains(got, want) {
		t.Fatalf("the check says %q; want the line named: %q", got, want)
	}
	tapButton(t, w, "Import")
	if got := dialogText(w); !strings.Contains(got, want) {
		t.Errorf("the import says %q; want the line named: %q", got, want)
	}
}

// An orders file without its shipped column says, in the check and in
// what the import did, that its orders are taken as not shipped yet.
func TestAnImportSaysTheFileDoesNotSayWhatShipped(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	file := filepath.Join(t.TempDir(), "EtsySoldOrderItems.csv")
	csv := "Sale Date,Item Name,Quantity,Price,Transaction ID,Order ID,SKU\r\n" + day(-1).Format("01/02/06") + ",Mug,1,24.00,3001,9001,MUG\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	f := u.importForm()
	entryIn(t, f.fieldForm, "File").SetText(file)
	submit(t, w, f)
	want := "The file has no Date Shipped column, so it does not say which orders shipped: its 1 order is taken as not shipped yet"
	if got := dialogText(w); !strings.Contains(got, want) {
		t.Fatalf("the check says %q; want %q", got, want)
	}
	tapButton(t, w, "Import")
	if got := dialogText(w); !strings.Contains(got, want) {
		t.Errorf("the import says %q; want %q", got, want)
	}
}
