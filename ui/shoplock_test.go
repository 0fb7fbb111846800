package ui

import (
	"strings"
	"testing"
)

// A shop opened in a second window of the app, by mistake, says so at
// once and offers to quit it: both record safely, but the second offered
// the first's last sale to Undo, and nothing told the maker there were two.
func TestASecondWindowOnTheShopSaysSo(t *testing.T) {
	shop := stockedShop(t)
	firstUI, first := newTestUI(t, shop, Options{Screen: "sell"})
	if got := dialogText(first); strings.Contains(got, "another Microshop window") {
		t.Fatalf("the only window says %q", got)
	}
	second, w := newTestUI(t, shop, Options{Screen: "sell"})
	if got, want := dialogText(w), "This shop is open in another Microshop window already"; !strings.Contains(got, want) {
		t.Fatalf("the second window says %q, want %q", got, want)
	}
	quit := 0
	second.closeWindow = func() { quit++ }
	tapButton(t, w, "Quit this window")
	if quit != 1 {
		t.Errorf("Quit this window closed it %d times, want once", quit)
	}
	// A third window is told too, with the first closed: the second is
	// still open.
	firstUI.Close()
	_, third := newTestUI(t, shop, Options{Screen: "sell"})
	if got := dialogText(third); !strings.Contains(got, "another Microshop window") {
		t.Errorf("a third window says %q, want it told of the others", got)
	}
}
