package ui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
)

// manyTodayItems is n delayed orders, as a shop with a big backlog of
// channel orders has, each with a message of its own.
func manyTodayItems(n int) []todayItem {
	items := make([]todayItem, n)
	for i := range items {
		items[i] = todayItem{action: "Copy message", alert: app.Alert{Kind: app.AlertDelayedOrder, Subject: fmt.Sprint(3000000 + i),
			Message: fmt.Sprintf("Etsy order %d waits for 2 × RISO-FOX-%d: tell the buyer it ships by 10 December 2026.", 3000000+i, i%400)}}
	}
	return items
}

// A row is as tall as its message laid out in a label of the row's
// width, whatever the message: the count of its lines from its words'
// widths (rowFit) must agree with the label's own wrapping, or a message
// is cut or a row left half empty.
func TestRowHeightsAreTheLabelsHeights(t *testing.T) {
	newTestUI(t, nil, Options{})
	msgs := []string{
		"",
		"Short.",
		"Etsy order 3000001 waits for 2 × RISO-FOX-1: tell the buyer it ships by 10 December 2026.",
		"MUG-SPECK (Speckled stoneware mug, large) sells 2.5 a day and has 3 days of cover left; its factory Clay Works takes 14 days: order 40 now.",
		"AVAVAVAV To Ty Wa Yo LTA fi fl ffi office Tr. WAVY TAVERN YAWP AVATAR",
		"Harbour Lane Microfactory is paused: batch of TOTE-FERN failed QA on 2026-12-05: inspect the rest of that batch.",
		"Two  spaces, a\ttab, and a line\nbreak.",
		" Leading and trailing spaces ",
		"Averyveryverylongwordthatnolinecanholdwhateverthewindowsizeisbecauseitgoesonandon and more",
		"Ünïcödé: ÆØÅ – “quotes” … €12.50 · 日本語のテキスト",
		"Orders 3000001 1234567890 19950 10 4711 88888888 90210 and 1111111111111111 wait.",
	}
	words := strings.Fields(strings.Join(msgs, " "))
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		var sb strings.Builder
		for i := range 3 + r.IntN(40) {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[r.IntN(len(words))])
		}
		msgs = append(msgs, sb.String())
	}
	label := widget.NewLabel("")
	label.Wrapping = fyne.TextWrapWord
	const base = 38
	for _, room := range []float32{120, 180, 250, 363, 400, 563, 777, 1200} {
		wrapped := widget.NewLabel("")
		wrapped.Wrapping = fyne.TextWrapWord
		fit := newRowFit(wrapped, room, base)
		label.Resize(fyne.NewSize(room, base))
		for _, m := range msgs {
			label.SetText(m)
			want := max(base, label.MinSize().Height)
			if got := fit.height(m); got != want {
				t.Errorf("in %.0f wide, %q: row %.2f high, the label needs %.2f", room, m, got, want)
			}
		}
	}
}

// Today with thousands of alerts opens, and each row shows its whole
// message: it hung for minutes with 160,000 delayed orders, each row's
// height set on the list shown laying the whole list out again.
func TestTodayWithThousandsOfAlertsShowsEachWhole(t *testing.T) {
	u, w := newTestUI(t, mustShop(t), Options{})
	w.Resize(smallWindow)
	s := u.today
	s.items = manyTodayItems(3000)
	s.fitRows()
	s.list.Refresh()
	if s.listBox.Objects[0] != s.list {
		t.Fatal("Today does not show the list its rows were fitted on")
	}
	for _, id := range []int{0, 1500, 2999} {
		s.list.ScrollTo(id)
		var found bool
		walk(s.list, func(o fyne.CanvasObject) bool {
			l, ok := o.(*widget.Label)
			if ok && o.Visible() && l.Text == s.items[id].alert.Message {
				found = true
				if got, room := l.MinSize().Height, l.Size().Height; got > room {
					t.Errorf("row %d's message needs %.0f high and gets %.0f", id, got, room)
				}
			}
			return o.Visible()
		})
		if !found {
			t.Errorf("scrolled to row %d, its message is not shown", id)
		}
	}
	// A wider window keeps the row shown at the top: the list's offset
	// was kept, which is another row once rows take fewer lines.
	s.list.ScrollToOffset(offsetOf(s.heights, 1500))
	w.Resize(fyne.NewSize(1240, 780))
	if !showsMessage(s.list, s.items[1500].alert.Message) || showsMessage(s.list, s.items[1480].alert.Message) {
		t.Error("after widening the window Today does not open at row 1500")
	}
	// Fewer heights to change than manyHeights keep the list shown.
	shown := s.list
	s.items[10].alert.Message = "Etsy order 3000010 was delayed."
	s.fitRows()
	if s.list != shown {
		t.Error("one row's new message replaced the whole list")
	}
}

// showsMessage reports whether the list shows a row with msg.
func showsMessage(list fyne.CanvasObject, msg string) bool {
	found := false
	walk(list, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && o.Visible() && l.Text == msg {
			found = true
		}
		return o.Visible()
	})
	return found
}

// BenchmarkTodayManyAlerts lays out Today's rows for 20,000 delayed
// orders, each message new to the screen, as on its first opening.
func BenchmarkTodayManyAlerts(b *testing.B) {
	u, w := newTestUI(b, mustShop(b), Options{})
	w.Resize(smallWindow)
	s := u.today
	for b.Loop() {
		s.items = manyTodayItems(20000)
		s.heights, s.fit = nil, nil
		s.fitRows()
		s.list.Refresh()
	}
}

// Today's summary counts each kind in words that agree with the count:
// it read "19950 delayed order" and "1 quality returns".
func TestTodaysSummaryAgreesWithItsCounts(t *testing.T) {
	var alerts []app.Alert
	add := func(kind string, n int) {
		for range n {
			alerts = append(alerts, app.Alert{Kind: kind})
		}
	}
	add(app.AlertDelayedOrder, 19950)
	add(app.AlertQualityReturns, 1)
	add(app.AlertBatchOverdue, 2)
	add(app.AlertFactoryPaused, 1)
	add(app.AlertSyncConflict, 3)
	want := "2 batches overdue · 1 factory paused · 1 factory paused for quality returns · 3 sync conflicts · 19950 delayed orders"
	if got := summarize(alerts); got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}
