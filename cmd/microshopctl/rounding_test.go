package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A rate on a half hundredth (10 sold in 16 days = 0.625 a day) and a
// reorder point on a half tenth (0.625 × (3 + 7) = 6.25) read as a maker
// rounds them by hand, 0.63 and 6.3, in every report: %.2f and %.1f took
// them to the even digit, 0.62 and 6.2, while the JSON said 0.63.
func TestRatesAndReorderPointsRoundHalvesUp(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Bench", "--kind", "workshop", "--lead-days", "3", "--established")
	s.ok("sku", "add", "TILE", "--name", "Tile", "--path", "handmade", "--factory", "Bench", "--price", "5")
	s.ok("count", "TILE", "--qty", "14", "--at", "2025-03-01T09:00:00Z")
	s.ok("sell", "TILE", "--qty", "10", "--at", "2025-03-01T10:00:00Z")
	asOf := []string{"--as-of", "2025-03-16"}
	for _, args := range [][]string{{"stock"}, {"reorder"}} {
		if out := s.ok(append(args, asOf...)...); !strings.Contains(out, " 0.63 ") || strings.Contains(out, "0.62") {
			t.Errorf("%s:\n%s\nwant the rate 10 ÷ 16 = 0.625 as 0.63", args[0], out)
		}
	}
	if out := s.ok(append([]string{"reorder"}, asOf...)...); !strings.Contains(out, " 6.3 ") {
		t.Errorf("reorder:\n%s\nwant the reorder point 0.625 × 10 = 6.25 as 6.3", out)
	}
	// The position is said as what it counts: 14 counted − 10 sold on
	// hand, none on order.
	if out := s.ok(append([]string{"alerts"}, asOf...)...); !strings.Contains(out, "Order 7 of TILE from Bench: 4 on hand and on order, below the reorder point of 6.3\n") {
		t.Errorf("alerts:\n%s\nwant the reorder point 6.25 as 6.3, beside the 4 on hand and on order", out)
	}
	for what, want := range map[string]string{"stock": ",0.63,", "reorder": ",0.63,3,7,14,6.3,"} {
		out := filepath.Join(t.TempDir(), what+".csv")
		s.ok(append([]string{"export", what, "--out", out}, asOf...)...)
		csv, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(csv), want) {
			t.Errorf("export %s:\n%s\nwant %s", what, csv, want)
		}
	}
}
