package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// clearForm empties every entry of a form, as one left blank; choices
// keep what the form offers first.
func clearForm(f *fieldForm) {
	for _, in := range f.inputs {
		for _, part := range fieldParts(in) {
			if e, ok := entryOf(part); ok {
				e.SetText("")
			}
		}
	}
}

// fieldError is the error shown under the form's field labelled label,
// "" when none is shown.
func fieldError(t *testing.T, f *fieldForm, label string) string {
	t.Helper()
	for i, it := range f.Items {
		if it.Text == label {
			if stale(f.msgs[i]) {
				return ""
			}
			return f.msgs[i].Text
		}
	}
	t.Fatalf("the form has no field %q", label)
	return ""
}

// focusedIn reports whether the focused object is the input of the field
// labelled label, or part of it.
func focusedIn(w fyne.Window, f *fieldForm, label string) bool {
	focused := w.Canvas().Focused()
	for _, part := range fieldParts(f.input(label)) {
		if p, ok := part.(fyne.Focusable); ok && p == focused {
			return true
		}
	}
	return false
}

// A blank form says everything that is wrong at once, each error under its
// field and in field order, puts the cursor in the first bad field, opens
// no dialog of errors and writes nothing.
func TestBlankFormsShowEveryErrorUnderItsField(t *testing.T) {
	type want struct{ field, says string }
	cases := []struct {
		name   string
		open   func(u *UI, shop *app.Shop) (f *fieldForm, submit func())
		errors []want // in field order
	}{
		{"new SKU", func(u *UI, _ *app.Shop) (*fieldForm, func()) {
			f := u.skus.editForm(nil).dialog
			return f.fieldForm, f.submit
		}, []want{{"Code", "SKU code is empty"}, {"Name", "SKU name is empty"}, {"Supply path", "choose a supply path"}, {"Price", "price is empty"}}},
		{"new SKU with bad numbers", func(u *UI, _ *app.Shop) (*fieldForm, func()) {
			sf := u.skus.editForm(nil)
			clearForm(sf.dialog.fieldForm)
			sf.path.SetSelected("print")
			sf.price.SetText("twelve")
			sf.lead.SetText("soon")
			sf.maxCover.SetText("-1")
			return sf.dialog.fieldForm, sf.dialog.submit
		}, []want{{"Code", "SKU code is empty"}, {"Name", "SKU name is empty"}, {"Factory", "needs its primary factory"},
			{"Price", `"twelve" is not an amount`}, {"Lead time (days)", `"soon" is not a valid lead time`}, {"Max cover (days)", "-1 is not a valid maximum cover"}}},
		{"factory", func(u *UI, _ *app.Shop) (*fieldForm, func()) {
			f := u.factories.addForm()
			return f.fieldForm, f.submit
		}, []want{{"Name", "factory name is empty"}, {"Kind", "choose the factory's kind"}, {"Lead time", "lead time is empty"}}},
		{"order", func(u *UI, _ *app.Shop) (*fieldForm, func()) {
			f := u.batches.orderForm("", 0)
			clearForm(f.fieldForm)
			f.input("Expected").(*fieldEntry).SetText("soon")
			return f.fieldForm, f.submit
		}, []want{{"SKU", "SKU code is empty"}, {"Quantity", "the quantity is empty"}, {"Expected", `"soon" is not a date`}}},
		{"receive", func(u *UI, shop *app.Shop) (*fieldForm, func()) {
			f := u.batches.receiveForm(orderedBatch(t, shop))
			return f.fieldForm, f.submit
		}, []want{{"Units arrived", "the quantity is empty"}}},
		{"fail QA", func(u *UI, shop *app.Shop) (*fieldForm, func()) {
			f := u.batches.failForm(orderedBatch(t, shop))
			return f.fieldForm, f.submit
		}, []want{{"Note", "needs a note"}}},
		{"count", func(u *UI, shop *app.Shop) (*fieldForm, func()) {
			f := u.skus.countForm(must[domain.SKU](t)(shop.SKU(context.Background(), "MUG")))
			return f.fieldForm, f.submit
		}, []want{{"Units on hand", "the count is empty"}}},
		{"adjust", func(u *UI, shop *app.Shop) (*fieldForm, func()) {
			f := u.skus.adjustForm(must[domain.SKU](t)(shop.SKU(context.Background(), "MUG")))
			return f.fieldForm, f.submit
		}, []want{{"Units", "the adjustment is empty"}, {"Note", "needs a note"}}},
		{"return", func(u *UI, _ *app.Shop) (*fieldForm, func()) {
			u.show(screenIndex("returns"))
			return u.returns.form, u.returns.onSubmit
		}, []want{{"SKU", "SKU code is empty"}, {"Quantity", "the quantity is empty"}, {"Reason", "choose a reason"}}},
		{"relay", func(u *UI, _ *app.Shop) (*fieldForm, func()) {
			u.show(screenIndex("sync"))
			return u.syncView.relayForm, u.syncView.doConnect
		}, []want{{"Relay URL", "relay URL is empty"}, {"Token", "token is empty"}}},
		{"bundle export", func(u *UI, _ *app.Shop) (*fieldForm, func()) {
			f := u.syncView.doExport()
			return f.fieldForm, f.submit
		}, []want{{"Folder", "no folder is given"}, {"File name", "file name is empty"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shop := stockedShop(t)
			u, w := newTestUI(t, shop, Options{})
			f, submit := c.open(u, shop)
			if c.name != "new SKU with bad numbers" && c.name != "order" {
				clearForm(f)
			}
			dialogs := len(w.Canvas().Overlays().List())
			before := vectorTotal(t, shop)
			submit()
			want := map[string]string{}
			for _, e := range c.errors {
				want[e.field] = e.says
			}
			last := -1
			all := texts(f.obj)
			for _, it := range f.Items {
				got := fieldError(t, f, it.Text)
				says, bad := want[it.Text]
				switch {
				case bad && !containsFold(got, says):
					t.Errorf("under %s the form says %q, want %q", it.Text, got, says)
				case !bad && got != "":
					t.Errorf("under %s the form says %q, want nothing", it.Text, got)
				case bad:
					at := strings.Index(all, got)
					if at < last {
						t.Errorf("the error under %s shows above the one of an earlier field:\n%s", it.Text, all)
					}
					last = at
				}
			}
			if !focusedIn(w, f, c.errors[0].field) {
				t.Errorf("the cursor is in %T, want it in %s, the first bad field", w.Canvas().Focused(), c.errors[0].field)
			}
			if got := len(w.Canvas().Overlays().List()); got != dialogs {
				t.Errorf("refusing the form opened %d dialogs: %s", got-dialogs, dialogText(w))
			}
			if got := vectorTotal(t, shop); got != before {
				t.Errorf("the shop changed: %d changes, want %d", got, before)
			}
		})
	}
}

// Correcting a field takes its error away on the next try, and a good
// form closes and writes.
func TestFieldErrorsClearWhenCorrected(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	f := u.skus.adjustForm(must[domain.SKU](t)(shop.SKU(context.Background(), "MUG")))
	submit(t, w, f)
	setEntry(t, f, "Units", "-1")
	submit(t, w, f)
	if got := fieldError(t, f.fieldForm, "Units"); got != "" {
		t.Errorf("a corrected quantity still says %q", got)
	}
	if got := fieldError(t, f.fieldForm, "Note"); !containsFold(got, "needs a note") {
		t.Errorf("the note still missing says %q", got)
	}
	if !focusedIn(w, f.fieldForm, "Note") {
		t.Error("the cursor is not in the note, the one bad field left")
	}
	setEntry(t, f, "Note", "broken on the shelf")
	before := stockOf(t, shop, "MUG").OnHand
	submit(t, w, f)
	if onScreen(w, f.form) {
		t.Fatal("the form stayed open on good input")
	}
	if got := stockOf(t, shop, "MUG").OnHand; got != before-1 {
		t.Errorf("MUG on hand %d after adjusting by -1, want %d", got, before-1)
	}
}

// What the shop refuses as a whole shows in the form, under its fields,
// not in a dialog over it.
func TestShopRefusalShowsInTheForm(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	sf := u.skus.editForm(nil)
	sf.code.SetText("mug")
	sf.name.SetText("Another mug")
	sf.path.SetSelected("digital")
	sf.price.SetText("5.00")
	submit(t, w, sf.dialog)
	if got := sf.dialog.problem.Text; !sf.dialog.problem.Visible() || !containsFold(got, "is taken by SKU MUG") {
		t.Errorf("the form says %q, want that MUG has the code", got)
	}
	if n := len(w.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs are open, want the form alone: %s", n, dialogText(w))
	}
	test.Tap(findButton(t, w, "Cancel"))
	tapButton(t, w, "Discard") // what was typed is not thrown away unasked
	if onScreen(w, sf.dialog.form) {
		t.Error("Cancel and Discard left the form open")
	}
}

// findButton is the visible button labelled text in the top dialog.
func findButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			found = b
		}
		return found == nil && o.Visible()
	})
	if found == nil {
		t.Fatalf("no button %q in the top dialog", text)
	}
	return found
}

// An error leaves as soon as its field is edited, and what the shop
// refused as a whole as soon as any field is: a corrected value stood
// beside the message that refused the value before it. The shop's refusal
// shows above the fields, where it is not cut off below the buttons.
func TestStaleErrorsLeaveAsTheFieldIsEdited(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	f := u.skus.adjustForm(must[domain.SKU](t)(shop.SKU(context.Background(), "MUG")))
	setEntry(t, f, "Units", "-x")
	submit(t, w, f)
	if fieldError(t, f.fieldForm, "Units") == "" || fieldError(t, f.fieldForm, "Note") == "" {
		t.Fatal("the bad units and the missing note are not both refused")
	}
	setEntry(t, f, "Units", "-1")
	if got := fieldError(t, f.fieldForm, "Units"); got != "" {
		t.Errorf("the units, edited, still say %q", got)
	}
	if fieldError(t, f.fieldForm, "Note") == "" {
		t.Error("the note's error left with the units'")
	}

	sf := u.skus.editForm(nil)
	sf.code.SetText("mug")
	sf.name.SetText("Another mug")
	sf.path.SetSelected("digital")
	sf.price.SetText("5.00")
	submit(t, w, sf.dialog)
	problem := sf.dialog.problem
	if !problem.Visible() {
		t.Fatal("the shop's refusal is not shown")
	}
	d := fyne.CurrentApp().Driver()
	if d.AbsolutePositionForObject(problem).Y >= d.AbsolutePositionForObject(sf.code).Y {
		t.Error("the shop's refusal is below the fields, where a long one is cut off under the buttons")
	}
	sf.code.SetText("MUG-2")
	if !stale(problem) {
		t.Errorf("the refusal %q stays, as an error, after the code was changed", problem.Text)
	}
}

// An error greyed out by an edit keeps its place until the next submit:
// hidden at the first key, it took the fields and buttons below up with
// it, under the pointer, and a click meant for a field landed on Cancel.
func TestFieldsStayPutAsAnErrorIsCorrected(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	f := u.skus.adjustForm(must[domain.SKU](t)(shop.SKU(context.Background(), "MUG")))
	setEntry(t, f, "Units", "-x")
	submit(t, w, f)
	height := f.obj.MinSize().Height
	setEntry(t, f, "Units", "-1")
	if got := f.obj.MinSize().Height; got != height {
		t.Errorf("the form went from %v to %v high as the units were corrected: what is below moved", height, got)
	}
	if fieldError(t, f.fieldForm, "Units") != "" {
		t.Error("the corrected units still show as an error")
	}
}

// A message that starts with a file name keeps it as typed; any other
// starts with a capital.
func TestSentenceKeepsANameAsTyped(t *testing.T) {
	for in, want := range map[string]string{
		"shop.db is not a CSV text file": "shop.db is not a CSV text file.",
		"/tmp/x.csv is empty":            "/tmp/x.csv is empty.",
		"the code is taken":              "The code is taken.",
		"nothing to change?":             "Nothing to change?",
	} {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

// A prefilled field tabbed into is replaced by what is typed, as on any
// desktop: the returns form's quantity of 1 took a typed 2 as 21, and the
// Sell screen's sold 31 for a typed 3.
func TestTypingIntoAPrefilledFieldReplacesIt(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "returns"})
	typeOver := func(e *fieldEntry) {
		t.Helper()
		if e.Text != "1" {
			t.Fatalf("the quantity reads %q before typing, want 1", e.Text)
		}
		w.Canvas().Focus(e)
		typeFocused(t, w, "2")
		if e.Text != "2" {
			t.Errorf("typing 2 into a quantity of 1 made %q, want 2", e.Text)
		}
	}
	typeOver(u.returns.qty)
	u.showScreen(u.sell)
	typeOver(u.sell.qty)
}

// A choice's error goes once a choice is made, any choice answering it:
// "choose the factory's kind" stayed in red beside the kind chosen, then
// in grey, as if the choice had not been taken.
func TestAChoicesErrorGoesOnceChosen(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "factories"})
	f := u.factories.addForm()
	submit(t, w, f)
	if fieldError(t, f.fieldForm, "Kind") == "" {
		t.Fatal("an empty kind says nothing under Kind")
	}
	findSelect(t, f.obj, "microfactory").SetSelected("microfactory")
	if line := f.msgs[slices.IndexFunc(f.Items, func(it *widget.FormItem) bool { return it.Text == "Kind" })]; line.Visible() {
		t.Errorf("after choosing a kind its error %q still shows", line.Text)
	}
}
