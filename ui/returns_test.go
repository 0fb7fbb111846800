package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"microshop/app"
	"microshop/domain"
)

// The return that pauses a factory says so under the form: it paused the
// factory without a word, and the maker learnt of it only on Today.
func TestAReturnThatPausesAFactorySaysSoUnderTheForm(t *testing.T) {
	shop := stockedShop(t)                // Clay Works sold 18 mugs and 5 candles over the last month
	mustSell(t, shop, "MUG", 10, day(-1)) // 33 sold: 1 defect back is over 3 %
	u, _ := newTestUI(t, shop, Options{Screen: "returns"})
	s := u.returns
	s.code.SetText("MUG")
	s.qty.SetText("1")
	for _, choice := range s.reason.Options {
		if strings.HasPrefix(choice, string(domain.ReturnReason("defect"))+" ") {
			s.reason.SetSelected(choice)
		}
	}
	if err := s.record(); err != nil {
		t.Fatal(err)
	}
	if got := s.done.Text; !strings.Contains(got, "Factory Clay Works is now paused") {
		t.Errorf("after the return that took Clay Works over 3 %%: %q", got)
	}
	// Its detail offers Resume, not Pause… as well, and tells the rate
	// from the limit: 1 of 33 is 3.03 %, not "3.0 %, limit 3 %".
	u.openFactory("Clay Works")
	if !u.factories.pause.Hidden || u.factories.resume.Hidden {
		t.Errorf("Clay Works paused for quality: Pause… shown %v, Resume shown %v; want Resume alone", !u.factories.pause.Hidden, !u.factories.resume.Hidden)
	}
}

// Enter records a return from the keyboard, as the dialogs' forms do; in
// the code, where a scanner ends with it, it goes on to the quantity. It
// did nothing, and the form needed the mouse.
func TestEnterRecordsAReturn(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "returns"})
	s := u.returns
	w.Canvas().Focus(s.code)
	typeFocused(t, w, "MUG")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.Canvas().Focused() != s.qty {
		t.Fatalf("Enter in the code left the focus on %T, want the quantity", w.Canvas().Focused())
	}
	s.reason.SetSelected(s.reason.Options[0])
	before := stockOf(t, shop, "MUG").OnHand
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(s.done.Text, "Recorded 1 × MUG") {
		t.Fatalf("Enter in the quantity: the form says %q, want the return recorded", s.done.Text)
	}
	if got := stockOf(t, shop, "MUG").OnHand; got != before {
		t.Errorf("a return not restocked changed MUG on hand from %d to %d", before, got)
	}
}

// Quality returns past 3 % before the factory has sold the units the
// pause needs say why no pause follows, beside the chart and on the
// factory's detail: the chart showed Clay Works past the limit and
// nothing was paused, without a word.
func TestQualityReturnsPastTheLimitBeforeThePauseCanJudgeSayWhy(t *testing.T) {
	shop := stockedShop(t) // Clay Works sold 18 mugs and 5 candles over the last month
	if _, err := shop.RecordReturn(context.Background(), app.Return{Code: "MUG", Qty: 1, Reason: "defect"}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "returns"})
	const why = "past 3 %, but only 23 of the 30 units sold that the pause waits for"
	if got := u.returns.waits.Text; !u.returns.waits.Visible() || !strings.Contains(got, "Clay Works: quality returns are "+why+".") {
		t.Errorf("under the chart: %q (shown %v); want Clay Works' quality returns %s", got, u.returns.waits.Visible(), why)
	}
	if got := u.returns.waits.Text; strings.Contains(got, "Print Hub") {
		t.Errorf("under the chart: %q; want nothing of Print Hub, with no quality return", got)
	}
	u.openFactory("Clay Works")
	if got := u.factories.facts["Paused"].Text; !strings.HasPrefix(got, "no") || !strings.Contains(got, why) {
		t.Errorf("Clay Works' detail says paused %q; want no, and why: %s", got, why)
	}
	// Sold enough, it is paused: the note goes.
	mustSell(t, shop, "MUG", 10, day(-1))
	u.returns.load()
	if u.returns.waits.Visible() {
		t.Errorf("with 33 sold and Clay Works paused, under the chart: %q; want nothing", u.returns.waits.Text)
	}
}
