package domain

import (
	"strings"
	"testing"
)

// TestBundleIdeas by hand, rates over 28 days:
//
//	MUG: 100 available, 28 sold (1 a day), max cover 14: 100 − 14 = 86 above max
//	TEE: 10 available, 112 sold (4 a day): the fastest seller, in stock, ok
//	CAP: 5 available, 84 sold (3 a day) but needs a reorder: never named
//	PIN: 50 available, 56 sold (2 a day), from a paused factory: never named
//	OLD: 40 available, none sold: all 40 above max, status ok
//
// The sellers that may be bundled are TEE and MUG; their top quarter,
// ⌈2 ÷ 4⌉ = 1 of them, is TEE. MUG + TEE frees min(86, 28 × 4 = 112) = 86; OLD + TEE frees
// min(40, 112) = 40. Prices 12.00 + 20.00 = 32.00 less 10 % = 28.80.
func TestBundleIdeas(t *testing.T) {
	skus := []BundleSKU{
		{Code: "MUG", Path: PathHandmade, Status: StatusOK, Available: 100, Rate: Rate{28, 28}, MaxCover: 14, Price: 1200},
		{Code: "TEE", Path: PathPrint, Status: StatusOK, Available: 10, Rate: Rate{112, 28}, MaxCover: 14, Price: 2000},
		{Code: "CAP", Path: PathPrint, Status: StatusReorder, Available: 5, Rate: Rate{84, 28}, MaxCover: 14, Price: 1500},
		{Code: "PIN", Path: PathMicrofactory, Status: StatusOK, Available: 50, Rate: Rate{56, 28}, MaxCover: 1, Price: 300, Blocked: true},
		{Code: "OLD", Path: PathHandmade, Status: StatusOK, Available: 40, Rate: Rate{0, 28}, MaxCover: 14, Price: 800},
		// Counted a day ago and not sold yet: too new to call overstock.
		{Code: "NEW", Path: PathHandmade, Status: StatusOK, Available: 30, Rate: Rate{0, MinRateDays}, MaxCover: 14, Price: 900},
	}
	got := BundleIdeas(skus, nil, nil, 0, "EUR")
	if len(got) != 2 {
		t.Fatalf("ideas %+v, want 2", got)
	}
	if got[0].Over != "MUG" || got[0].With != "TEE" || got[0].FreesUnits != 86 || got[0].Price != 2880 {
		t.Errorf("first %+v, want MUG + TEE freeing 86 at 28.80", got[0])
	}
	if got[1].Over != "OLD" || got[1].With != "TEE" || got[1].FreesUnits != 40 {
		t.Errorf("second %+v, want OLD + TEE freeing 40", got[1])
	}
	for _, g := range got {
		for _, bad := range []string{"CAP", "PIN"} {
			if g.Over == bad || g.With == bad {
				t.Errorf("idea %+v names %s, which must never be bundled", g, bad)
			}
		}
	}
	if l := BundleIdeas(skus, nil, nil, 1, "EUR"); len(l) != 1 {
		t.Errorf("limit 1 gave %d", len(l))
	}
}

// What it is bought with comes first: OLD was in 3 orders with MUG and 2
// with PIN, so it goes with MUG (MUG's rate, 1 a day: frees min(40, 28) =
// 28), not the fast TEE; PIN, though bought with it, is blocked. CAP was
// bought with OLD only once: not together enough.
func TestBundleIdeasPreferWhatIsBoughtTogether(t *testing.T) {
	skus := []BundleSKU{
		{Code: "MUG", Path: PathHandmade, Status: StatusOK, Available: 10, Rate: Rate{28, 28}, MaxCover: 14, Price: 1200},
		{Code: "TEE", Path: PathPrint, Status: StatusOK, Available: 10, Rate: Rate{112, 28}, MaxCover: 14, Price: 2000},
		{Code: "PIN", Path: PathMicrofactory, Status: StatusOK, Available: 50, Rate: Rate{56, 28}, MaxCover: 30, Price: 300, Blocked: true},
		{Code: "OLD", Path: PathHandmade, Status: StatusOK, Available: 40, Rate: Rate{0, 28}, MaxCover: 14, Price: 800},
	}
	together := Together{"OLD": {"MUG": 3, "PIN": 5, "CAP": 1}}
	got := BundleIdeas(skus, together, nil, 0, "EUR")
	if len(got) != 1 || got[0].Over != "OLD" || got[0].With != "MUG" || got[0].FreesUnits != 28 || !strings.Contains(got[0].Reason, "in 3 orders") {
		t.Fatalf("ideas %+v; want OLD with MUG, bought together in 3 orders, freeing 28", got)
	}
	// With MUG out of stock, OLD goes with the fast seller again.
	skus[0].Available, skus[0].Status = 0, StatusStockout
	if got := BundleIdeas(skus, together, nil, 0, "EUR"); len(got) != 1 || got[0].With != "TEE" {
		t.Fatalf("ideas %+v; want OLD with TEE once MUG is out", got)
	}
}

// A pair a kit already sells is not suggested again: MUG goes with the
// next partner it can, and OLD, whose only partner is taken, with none.
func TestBundleIdeasSkipWhatAKitSellsAlready(t *testing.T) {
	skus := []BundleSKU{
		{Code: "MUG", Path: PathHandmade, Status: StatusOK, Available: 100, Rate: Rate{28, 28}, MaxCover: 14, Price: 1200},
		{Code: "TEE", Path: PathPrint, Status: StatusOK, Available: 10, Rate: Rate{112, 28}, MaxCover: 14, Price: 2000},
		{Code: "CUP", Path: PathPrint, Status: StatusOK, Available: 10, Rate: Rate{56, 28}, MaxCover: 14, Price: 900},
	}
	together := Together{"MUG": {"TEE": 4, "CUP": 2}}
	got := BundleIdeas(skus, together, [][2]string{{"TEE", "MUG"}}, 0, "EUR")
	if len(got) != 1 || got[0].Over != "MUG" || got[0].With != "CUP" {
		t.Fatalf("ideas %+v; want MUG with CUP, since a kit sells MUG with TEE", got)
	}
}

// An idea resting on a part with under ShortHistoryDays days of history
// is marked, as a reorder is: MUG + TEE when TEE, the fast seller, is new,
// and when MUG, the overstock, is; OLD + TEE not, with TEE settled.
func TestBundleIdeasMarkAShortHistory(t *testing.T) {
	for _, c := range []struct {
		name string
		new  string
		want map[string]bool // by the overstocked part
	}{
		{"the fast seller new", "TEE", map[string]bool{"MUG": true, "OLD": true}},
		{"the overstock new", "MUG", map[string]bool{"MUG": true, "OLD": false}},
		{"none new", "", map[string]bool{"MUG": false, "OLD": false}},
	} {
		t.Run(c.name, func(t *testing.T) {
			skus := []BundleSKU{
				{Code: "MUG", Path: PathHandmade, Status: StatusOK, Available: 100, Rate: Rate{28, 28}, MaxCover: 14, Price: 1200},
				{Code: "TEE", Path: PathPrint, Status: StatusOK, Available: 10, Rate: Rate{112, 28}, MaxCover: 14, Price: 2000},
				{Code: "OLD", Path: PathHandmade, Status: StatusOK, Available: 40, Rate: Rate{0, 28}, MaxCover: 14, Price: 800},
			}
			for i := range skus {
				skus[i].ShortHistory = skus[i].Code == c.new
			}
			got := map[string]bool{}
			for _, idea := range BundleIdeas(skus, nil, nil, 0, "EUR") {
				got[idea.Over] = idea.ShortHistory
			}
			for over, want := range c.want {
				if mark, ok := got[over]; !ok || mark != want {
					t.Errorf("the idea of %s marked new: %v (found %v), want %v", over, mark, ok, want)
				}
			}
		})
	}
}

// NewSince counts the report's day as the 14th: a first event 13 days
// before it is new, one 14 days before is not, and none at all is.
func TestNewSince(t *testing.T) {
	days := make([]Day, 28)
	for i := range days {
		days[i].Start = int64(i) * 86_400_000
	}
	for _, c := range []struct {
		name  string
		first int64
		want  bool
	}{
		{"today", days[27].Start + 1, true},
		{"13 days before", days[14].Start, true},
		{"14 days before", days[13].Start + 86_399_999, false},
		{"before the window", -1, false},
		{"no events", NoEvents, true},
	} {
		if got := NewSince(c.first, days); got != c.want {
			t.Errorf("%s: NewSince = %v, want %v", c.name, got, c.want)
		}
	}
}

// A bundle idea's reason counts in words: "1 unit", never "1 units". MUG
// sells 1 a day and keeps at most 14 days' cover, so 15 available leave 1
// unit above it.
func TestBundleIdeaReasonCountsInWords(t *testing.T) {
	skus := []BundleSKU{
		{Code: "MUG", Path: PathHandmade, Status: StatusOK, Available: 15, Rate: Rate{28, 28}, MaxCover: 14, Price: 1200},
		{Code: "TEE", Path: PathPrint, Status: StatusOK, Available: 10, Rate: Rate{112, 28}, MaxCover: 14, Price: 2000},
	}
	got := BundleIdeas(skus, Together{"MUG": {"TEE": 1}}, nil, 0, "EUR")
	if len(got) != 1 || !strings.Contains(got[0].Reason, "MUG has 1 unit above") {
		t.Fatalf("ideas %+v; want MUG's 1 unit above its cover said so", got)
	}
	if strings.Contains(got[0].Reason, "1 units") || strings.Contains(got[0].Reason, "1 orders") {
		t.Errorf("reason %q counts one in the plural", got[0].Reason)
	}
}
