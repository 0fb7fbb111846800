package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
)

// stepButton is the first-steps guide's button labelled text.
func stepButton(t *testing.T, u *UI, text string) *widget.Button {
	t.Helper()
	for _, s := range u.today.steps.steps {
		if s.btn.Text == text {
			return s.btn
		}
	}
	t.Fatalf("the guide has no button %q", text)
	return nil
}

// A new shop's Today guides its first steps, each button opening its form,
// and makes way for the day's work once a SKU is counted.
func TestTodayGuidesANewShop(t *testing.T) {
	shop := mustShop(t)
	u, w := newTestUI(t, shop, Options{})
	screen := texts(u.today.obj)
	for _, want := range []string{"Set up this shop", "Add factory…", "New SKU…", "Count stock…"} {
		if !strings.Contains(screen, want) {
			t.Errorf("a new shop's Today does not show %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "Nothing needs action today") {
		t.Errorf("a new shop's Today says nothing needs action:\n%s", screen)
	}
	if !stepButton(t, u, "Count stock…").Disabled() {
		t.Error("Count stock… is offered before there is a SKU to count")
	}

	tapButton(t, w, "Add factory…")
	f := u.dialogs[len(u.dialogs)-1].d
	if got := dialogText(w); !strings.Contains(got, "Add factory") {
		t.Fatalf("Add factory… opened %q", got)
	}
	setInput(t, w, "Clay Works", "Clay Works")
	setInput(t, w, "days from order to arrival", "10")
	chooseOption(t, w, "(print shop", "microfactory")
	tapButton(t, w, "Add factory")
	if len(u.dialogs) > 0 && u.dialogs[len(u.dialogs)-1].d == f {
		t.Fatalf("the factory form stayed open: %s", dialogText(w))
	}
	if !stepButton(t, u, "Add factory…").Disabled() || stepButton(t, u, "New SKU…").Importance != widget.HighImportance {
		t.Error("after adding a factory the guide does not move on to the SKU")
	}

	tapButton(t, w, "New SKU…")
	sf := u.dialogs[len(u.dialogs)-1].d
	setInput(t, w, "MUG-BLUE", "MUG")
	setInput(t, w, "Blue stoneware mug", "Blue mug")
	setInput(t, w, "what the buyer pays, e.g. 24.00", "24.00")
	chooseOption(t, w, "(choose how it is made)", "microfactory")
	chooseOption(t, w, "(choose the primary factory)", "Clay Works")
	tapButton(t, w, "Add SKU")
	if len(u.dialogs) > 0 && u.dialogs[len(u.dialogs)-1].d == sf {
		t.Fatalf("the SKU form stayed open: %s", dialogText(w))
	}
	count := stepButton(t, u, "Count stock…")
	if count.Disabled() || count.Importance != widget.HighImportance {
		t.Fatal("after adding a SKU the guide does not offer to count it")
	}

	tapButton(t, w, "Count stock…")
	if got := dialogText(w); !strings.Contains(got, "Count MUG") {
		t.Fatalf("Count stock… opened %q, want the count of MUG", got)
	}
	setInput(t, w, "units on the shelf", "24")
	tapButton(t, w, "Record count")
	if got := stockOf(t, shop, "MUG").OnHand; got != 24 {
		t.Errorf("MUG on hand %d, want 24", got)
	}
	if u.today.steps.obj.Visible() {
		t.Error("the guide stays once the shop is set up")
	}
}

// A shop that sells only digital goods needs no factory and no count.
func TestTodayGuideEndsForADigitalShop(t *testing.T) {
	shop := mustShop(t)
	mustSKU(t, shop, "GUIDE", "Glazing guide (PDF)", domain.PathDigital, "", 500)
	u, _ := newTestUI(t, shop, Options{})
	if u.today.steps.obj.Visible() {
		t.Error("a shop with a digital SKU is still guided to add a factory and count")
	}
	if got := texts(u.today.obj); !strings.Contains(got, "Nothing needs action today") {
		t.Errorf("Today shows:\n%s", got)
	}
}

// setInput types text into the top dialog's entry whose placeholder holds
// hint.
func setInput(t *testing.T, w fyne.Window, hint, text string) {
	t.Helper()
	findFormEntry(t, w, hint).SetText(text)
}

// chooseOption chooses option in the top dialog's select whose placeholder
// holds hint.
func chooseOption(t *testing.T, w fyne.Window, hint, option string) {
	t.Helper()
	var found *widget.Select
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if s, ok := o.(*widget.Select); ok && strings.Contains(s.PlaceHolder, hint) {
			found = s
		}
		return found == nil && o.Visible()
	})
	if found == nil {
		t.Fatalf("no choice %q in the top dialog", hint)
	}
	found.SetSelected(option)
}
