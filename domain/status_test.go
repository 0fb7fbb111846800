package domain_test

import (
	"testing"

	"microshop/domain"
)

func TestStatusOf(t *testing.T) {
	// One a day, lead 7, min cover 7: reorder below a position of 14, low
	// below 7 available.
	plan := func(position int) domain.Plan {
		return domain.Plan{Rate: domain.DailyRate(28, 28), Position: position, LeadDays: 7, MinCover: 7, MaxCover: 14, Multiple: 1}
	}
	tests := []struct {
		name      string
		path      domain.SupplyPath
		available int
		p         domain.Plan
		want      domain.Status
	}{
		{"digital whatever the stock", domain.PathDigital, 0, plan(0), domain.StatusDigital},
		{"digital even oversold", domain.PathDigital, -3, plan(-3), domain.StatusDigital},
		{"oversold beats reorder", domain.PathPrint, -1, plan(-1), domain.StatusOversold},
		{"oversold with plenty on order", domain.PathPrint, -1, plan(100), domain.StatusOversold},
		{"stockout beats reorder", domain.PathPrint, 0, plan(0), domain.StatusStockout},
		{"stockout with plenty on order", domain.PathMicrofactory, 0, plan(100), domain.StatusStockout},
		{"stockout of a slow seller", domain.PathHandmade, 0, domain.Plan{Rate: domain.DailyRate(0, 28)}, domain.StatusStockout},
		{"reorder", domain.PathPrint, 5, plan(5), domain.StatusReorder},
		{"reorder with some on order", domain.PathPrint, 5, plan(13), domain.StatusReorder},
		{"reorder with cover above min", domain.PathPrint, 10, plan(10), domain.StatusReorder},
		{"low: enough on order", domain.PathPrint, 5, plan(14), domain.StatusLow},
		{"low: one short of min cover", domain.PathHandmade, 6, plan(30), domain.StatusLow},
		{"ok at exactly min cover", domain.PathPrint, 7, plan(14), domain.StatusOK},
		{"ok", domain.PathPrint, 20, plan(20), domain.StatusOK},
		{"ok when nothing sells", domain.PathHandmade, 1, domain.Plan{Rate: domain.DailyRate(0, 28), Position: 1, MinCover: 7}, domain.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.StatusOf(tt.path, tt.available, tt.p); got != tt.want {
				t.Errorf("StatusOf(%s, %d, %+v) = %q, want %q", tt.path, tt.available, tt.p, got, tt.want)
			}
		})
	}
}
