package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// The decision dialogs fit an 800×600 window: none needs more room than
// the window has, so none pushes its buttons off the screen.
func TestDecisionDialogsFitASmallWindow(t *testing.T) {
	cases := []struct {
		name string
		open func(u *UI)
	}{
		{"margins", func(u *UI) { u.showMargins() }},
		{"kits", func(u *UI) { u.showKits() }},
		{"new kit", func(u *UI) { u.kitForm(nil) }},
		{"sourcing", func(u *UI) { u.showSourcing("MUG") }},
		{"quote", func(u *UI) { u.factoryQuoteForm("Clay Works") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, w := newTestUI(t, stockedShop(t), Options{})
			w.Resize(smallWindow)
			c.open(u)
			top := w.Canvas().Overlays().Top()
			if top == nil {
				t.Fatal("no dialog opened")
			}
			if got := top.MinSize(); got.Width > smallWindow.Width || got.Height > smallWindow.Height {
				t.Errorf("the %s dialog needs %v, more than a %v window", c.name, got, smallWindow)
			}
		})
	}
}

// The sourcing comparison fits the window the app opens in, and an
// 800×600 one, without scrolling sideways, and a paused factory's row
// shows it paused, its name shortened if need be: at 1000×680 the row read
// "Pearl River Pin Works (…", and at 800×600 Cover, Order and Cash tied
// were past the table's edge. Run/unit shows once a limited run is typed:
// before, it is a column of "—".
func TestSourcingFitsTheWindowAndShowsThePause(t *testing.T) {
	shop := stockedShop(t)
	ctx := context.Background()
	const paused = "Pearl River Pin Works"
	mustFactory(t, shop, paused, domain.KindMicrofactory, 42, true)
	mustSKU(t, shop, "PIN-CAT", "Sleeping cat enamel pin", domain.PathMicrofactory, paused, 1000)
	mustCount(t, shop, "PIN-CAT", 100, day(-20))
	mustSell(t, shop, "PIN-CAT", 20, day(-5))
	if _, err := shop.QuoteFactory(ctx, app.QuoteFields{Factory: "Clay Works", Code: "PIN-CAT", UnitCost: 400}); err != nil {
		t.Fatal(err)
	}
	if err := shop.PauseFactory(ctx, paused, "chipped enamel"); err != nil {
		t.Fatal(err)
	}
	for _, size := range []fyne.Size{DefaultSize, smallWindow} {
		u, w := newTestUI(t, shop, Options{})
		w.Resize(size)
		v := u.showSourcing("PIN-CAT")
		inView(t, size, v, []string{"Factory", "Total/unit", "Landed", "Lead", "Cover", "Order", "Cash tied"})
		v.run.SetText("500")
		v.load()
		inView(t, size, v, []string{"Factory", "Total/unit", "Landed", "Run/unit", "Lead", "Cover", "Order", "Cash tied"})
	}
}

// inView fails unless the sourcing comparison v shows the columns titles
// within its table, and its paused factory's row says so.
func inView(t *testing.T, size fyne.Size, v *sourcingView, titles []string) {
	t.Helper()
	_, tableRight := absX(v.table)
	headers := map[string]fyne.CanvasObject{}
	var row string
	walk(v.table, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && o.Visible() {
			headers[l.Text] = l
			if strings.Contains(l.Text, "Pearl") {
				row = drawnText(l)
			}
		}
		return o.Visible()
	})
	if !strings.HasPrefix(row, "Pearl") || !strings.HasSuffix(row, "(paused)") {
		t.Errorf("at %v the paused factory's row reads %q, want its name and (paused)", size, row)
	}
	for _, title := range titles {
		h, ok := headers[title]
		if !ok {
			t.Errorf("at %v the comparison shows no %s column", size, title)
			continue
		}
		if _, right := absX(h); right > tableRight {
			t.Errorf("at %v the %s column ends at %.0f, past the table's edge at %.0f", size, title, right, tableRight)
		}
	}
}

// drawnText is what l draws, its ellipsis included.
func drawnText(l *widget.Label) string {
	var shown []string
	walk(l, func(o fyne.CanvasObject) bool {
		if x, ok := o.(*canvas.Text); ok && x.Text != "" {
			shown = append(shown, x.Text)
		}
		return true
	})
	return strings.Join(shown, "")
}
