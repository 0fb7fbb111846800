package ui

import (
	"strings"
	"testing"

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
