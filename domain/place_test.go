package domain_test

import (
	"strings"
	"testing"

	"microshop/domain"
)

// A location's name evens out its spaces, but a line break or a tab is
// refused as in any other name: it had become a space without a word.
func TestALocationNameRefusesLineBreaks(t *testing.T) {
	if got, err := domain.CleanLocationName("  Saturday   stall "); err != nil || got != "Saturday stall" {
		t.Errorf("spaces: %q, %v; want \"Saturday stall\"", got, err)
	}
	for _, name := range []string{"a\nb", "a\tb"} {
		if _, err := domain.CleanLocationName(name); err == nil || !strings.Contains(err.Error(), "control character") {
			t.Errorf("%q: %v, want a refusal naming the control character", name, err)
		}
	}
}
