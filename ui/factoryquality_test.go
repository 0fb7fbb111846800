package ui

import (
	"context"
	"strings"
	"testing"

	"microshop/app"
)

// A factory resumed after a quality pause counts its returns afresh, and
// its detail says since when: as the 90 days', its "0 units sold" stood
// beside the Returns screen's 33 sold and 6.1 % for the same days.
func TestAResumedFactorysQualitySaysSinceWhen(t *testing.T) {
	shop := stockedShop(t)
	mustSell(t, shop, "MUG", 10, day(-1)) // Clay Works: 33 sold
	for range 2 {
		if _, err := shop.RecordReturn(context.Background(), app.Return{Code: "MUG", Qty: 1, Reason: "defect"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := shop.ResumeFactory(context.Background(), "Clay Works"); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "factories"})
	u.factories.selected = "Clay Works"
	u.factories.showSelected()
	got := texts(u.factories.body)
	if want := "0 units sold since its pause was lifted on " + testNow.Format("2 Jan 2006"); !strings.Contains(got, want) {
		t.Errorf("resumed Clay Works' quality reads %q, want it to say %q", got, want)
	}
	// Its label said "Quality, 90 days" beside counts since the resume.
	if strings.Contains(got, "90 days") {
		t.Errorf("resumed Clay Works' detail speaks of 90 days beside counts since its resume:\n%s", got)
	}
	u.factories.selected = "Print Hub"
	u.factories.showSelected()
	if got, want := texts(u.factories.body), "sold in the last 90 days"; !strings.Contains(got, want) {
		t.Errorf("Print Hub's detail reads\n%s\nwant its quality counts to say %q", got, want)
	}
}
