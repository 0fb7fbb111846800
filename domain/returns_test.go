package domain_test

import (
	"slices"
	"strconv"
	"testing"

	"microshop/domain"
)

func TestReturnReasonClass(t *testing.T) {
	tests := []struct {
		reason string
		want   domain.ReturnClass
	}{
		{"defect", domain.ClassQuality},
		{"broke", domain.ClassQuality},
		{"not-as-described", domain.ClassQuality},
		{"damaged-in-transit", domain.ClassLogistics},
		{"packaging", domain.ClassLogistics},
		{"lost", domain.ClassLogistics},
		{"changed-mind", domain.ClassBuyer},
		{"wrong-size", domain.ClassBuyer},
		{"other", domain.ClassBuyer},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			r, err := domain.ParseReturnReason(tt.reason)
			if err != nil {
				t.Fatalf("ParseReturnReason(%q) error = %v", tt.reason, err)
			}
			if got := r.Class(); got != tt.want {
				t.Errorf("%q.Class() = %q, want %q", tt.reason, got, tt.want)
			}
		})
	}

	var listed []string
	for _, r := range domain.ReturnReasons() {
		listed = append(listed, string(r))
	}
	var want []string
	for _, tt := range tests {
		want = append(want, tt.reason)
	}
	if !slices.Equal(listed, want) {
		t.Errorf("ReturnReasons() = %q, want %q", listed, want)
	}
}

func TestParseReturnReasonRejects(t *testing.T) {
	for _, in := range []string{"", "Defect", "broken", "damaged", " lost"} {
		t.Run(strconv.Quote(in), func(t *testing.T) {
			got, err := domain.ParseReturnReason(in)
			if err == nil {
				t.Fatalf("ParseReturnReason(%q) = %q, nil; want an error", in, got)
			}
			checkInvalid(t, err, strconv.Quote(in), "defect", "wrong-size or other")
		})
	}
}

// What a maker types reads as the reason it names; anything else is
// refused naming what was typed.
func TestReadReturnReasonTakesItAsTyped(t *testing.T) {
	for in, want := range map[string]domain.ReturnReason{
		"not as described": "not-as-described", "Not As Described": "not-as-described", " lost ": "lost",
		"changed_mind": "changed-mind", "Damaged in transit": "damaged-in-transit", "defect": "defect",
	} {
		if got, err := domain.ReadReturnReason(in); err != nil || got != want {
			t.Errorf("ReadReturnReason(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "broken", "not described", "wrong size please"} {
		got, err := domain.ReadReturnReason(in)
		if err == nil {
			t.Errorf("ReadReturnReason(%q) = %q; want it refused", in, got)
			continue
		}
		checkInvalid(t, err, strconv.Quote(in), "defect", "wrong-size or other")
	}
}

func TestQualityPause(t *testing.T) {
	tests := []struct {
		name    string
		sold    int
		quality int
		want    bool
	}{
		{"30 sold, 1 quality return is 3.33 %", 30, 1, true},
		{"100 sold, 3 is exactly 3 %", 100, 3, false},
		{"100 sold, 4 is 4 %", 100, 4, true},
		{"29 sold is too small a sample", 29, 5, false},
		{"29 sold, all returned", 29, 29, false},
		{"30 sold, none returned", 30, 0, false},
		{"nothing sold", 0, 3, false},
		{"1000 sold, 31 returned", 1000, 31, true},
		{"1000 sold, 30 returned", 1000, 30, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.QualityPause(tt.sold, tt.quality); got != tt.want {
				t.Errorf("QualityPause(%d, %d) = %v, want %v", tt.sold, tt.quality, got, tt.want)
			}
		})
	}
}

// Quality returns past the limit before the pause's minimum sample say
// why nothing is paused; at or under the limit, or once the pause can
// judge, nothing needs saying.
func TestQualityPauseWait(t *testing.T) {
	tests := []struct {
		name          string
		sold, quality int
		want          string
	}{
		{"12 sold, 1 back", 12, 1, "past 3 %, but only 12 of the 30 units sold that the pause waits for"},
		{"29 sold, all back", 29, 29, "past 3 %, but only 29 of the 30 units sold that the pause waits for"},
		{"1 sold, 1 back", 1, 1, "past 3 %, but only 1 of the 30 units sold that the pause waits for"},
		{"29 sold, none back", 29, 0, ""},
		{"30 sold: the pause judges", 30, 1, ""},
		{"nothing sold", 0, 2, ""},
		{"100 sold, 3 is exactly 3 %", 100, 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.QualityPauseWait(tt.sold, tt.quality); got != tt.want {
				t.Errorf("QualityPauseWait(%d, %d) = %q, want %q", tt.sold, tt.quality, got, tt.want)
			}
		})
	}
}

func TestPackagingAdvice(t *testing.T) {
	tests := []struct {
		name      string
		sold      int
		logistics int
		want      bool
	}{
		{"small sample still advised", 5, 1, true},
		{"10 sold, 1 damaged", 10, 1, true},
		{"100 sold, 3 is exactly 3 %", 100, 3, false},
		{"100 sold, 4 is 4 %", 100, 4, true},
		{"no logistics returns", 10, 0, false},
		{"nothing sold, nothing returned", 0, 0, false},
		{"nothing sold in the window, one lost", 0, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.PackagingAdvice(tt.sold, tt.logistics); got != tt.want {
				t.Errorf("PackagingAdvice(%d, %d) = %v, want %v", tt.sold, tt.logistics, got, tt.want)
			}
		})
	}
}

func TestReturnRate(t *testing.T) {
	tests := []struct {
		sold, returns int
		want          float64
	}{
		{100, 3, 0.03},
		{4, 1, 0.25},
		{0, 2, 0},
		{10, 0, 0},
	}
	for _, tt := range tests {
		if got := domain.ReturnRate(tt.sold, tt.returns); got != tt.want {
			t.Errorf("ReturnRate(%d, %d) = %v, want %v", tt.sold, tt.returns, got, tt.want)
		}
	}
}

func TestParseChannel(t *testing.T) {
	for _, in := range []string{"fair", "online", "other"} {
		if got, err := domain.ParseChannel(in); err != nil || string(got) != in {
			t.Errorf("ParseChannel(%q) = %q, %v; want %q, nil", in, got, err, in)
		}
	}
	for _, in := range []string{"", "Fair", "etsy"} {
		_, err := domain.ParseChannel(in)
		checkInvalid(t, err, strconv.Quote(in), "fair, online or other")
	}
}

func TestReasonsOfClass(t *testing.T) {
	// Every reason is in exactly the list of its own class, as the SQL of
	// the quality and packaging rules needs.
	seen := map[domain.ReturnReason]int{}
	for _, class := range []domain.ReturnClass{domain.ClassQuality, domain.ClassLogistics, domain.ClassBuyer} {
		for _, r := range domain.ReasonsOf(class) {
			if r.Class() != class {
				t.Errorf("ReasonsOf(%s) holds %s, of class %s", class, r, r.Class())
			}
			seen[r]++
		}
	}
	for _, r := range domain.ReturnReasons() {
		if seen[r] != 1 {
			t.Errorf("reason %s is in %d class lists, want 1", r, seen[r])
		}
	}
	if got := domain.ReasonsOf(domain.ClassLogistics); !slices.Contains(got, "lost") {
		t.Errorf("logistics reasons %v lack lost", got)
	}
}

func TestParseEventChannel(t *testing.T) {
	for _, in := range []string{"fair", "online", "other", "etsy", "shopify"} {
		if got, err := domain.ParseEventChannel(in); err != nil || string(got) != in {
			t.Errorf("ParseEventChannel(%q) = %q, %v; want %q, nil", in, got, err, in)
		}
	}
	for _, in := range []string{"", "Etsy", "amazon"} {
		_, err := domain.ParseEventChannel(in)
		checkInvalid(t, err, strconv.Quote(in), "etsy or shopify")
	}
}

// A rate beside its limit is told apart from it: 3.01 % read "3.0 % (limit
// 3 %)", as if at the limit and not over it.
func TestReturnPercentTellsARateFromItsLimit(t *testing.T) {
	for _, c := range []struct {
		sold, returns int
		want          string
	}{{764, 23, "3.01 %"}, {1000, 30, "3.0 %"}, {10000, 299, "2.99 %"}, {20, 1, "5.0 %"}, {0, 3, domain.NoReturnRate}, {0, 0, "0.0 %"}, {1000, 13, "1.3 %"}} {
		if got := domain.ReturnPercent(c.sold, c.returns); got != c.want {
			t.Errorf("ReturnPercent(%d, %d) = %q, want %q", c.sold, c.returns, got, c.want)
		}
	}
}
