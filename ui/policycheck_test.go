package ui

import (
	"strings"
	"testing"
)

// Help → Policy check runs the simulation and shows every policy's row and
// the chart.
func TestPolicyCheckShowsTheTableAndChart(t *testing.T) {
	u, _ := newTestUI(t, stockedShop(t), Options{})
	p := u.showPolicyCheck()
	for _, name := range []string{"microshop ×0.5", "microshop ", "microshop ×2", "monthly", "rop"} {
		if !strings.Contains(p.table.Text, name) {
			t.Errorf("the table lacks %q:\n%s", name, p.table.Text)
		}
	}
	if p.chart.Image == nil || p.chart.Image.Bounds().Dx() < 400 {
		t.Fatal("no chart drawn")
	}
}
