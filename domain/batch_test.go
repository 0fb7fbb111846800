package domain_test

import (
	"testing"

	"microshop/domain"
)

func TestHoldQty(t *testing.T) {
	tests := []struct {
		name    string
		units   int
		percent int
		want    int
	}{
		{"one unit", 1, 10, 1},
		{"ten units", 10, 10, 1},
		{"eleven units", 11, 10, 2},
		{"hundred units", 100, 10, 10},
		{"101 units", 101, 10, 11},
		{"5 % of 30", 30, 5, 2},
		{"5 % of 20", 20, 5, 1},
		{"5 % of 21", 21, 5, 2},
		{"default percent", 50, domain.DefaultHoldPercent, 5},
		{"no units", 0, 10, 0},
		{"no hold", 100, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.HoldQty(tt.units, tt.percent); got != tt.want {
				t.Errorf("HoldQty(%d, %d) = %d, want %d", tt.units, tt.percent, got, tt.want)
			}
		})
	}
}

func TestHoldPercentBounds(t *testing.T) {
	if domain.MinHoldPercent != 5 || domain.MaxHoldPercent != 10 || domain.DefaultHoldPercent != 10 {
		t.Errorf("hold percents min/max/default = %d/%d/%d, want 5/10/10",
			domain.MinHoldPercent, domain.MaxHoldPercent, domain.DefaultHoldPercent)
	}
}

func TestBatch(t *testing.T) {
	const expected = int64(1_000_000)
	tests := []struct {
		name        string
		b           domain.Batch
		wantStatus  domain.BatchStatus
		wantOpen    bool
		wantOnOrder int
	}{
		{"ordered, nothing received", domain.Batch{Ordered: 10, QA: domain.QAPending}, domain.BatchOrdered, true, 10},
		{"partly received, no hold", domain.Batch{Ordered: 10, Received: 4, QA: domain.QAPending}, domain.BatchOrdered, true, 6},
		{"partly received, held", domain.Batch{Ordered: 10, Received: 4, Held: 1, QA: domain.QAPending}, domain.BatchHeld, true, 6},
		{"fully received, held", domain.Batch{Ordered: 10, Received: 10, Held: 1, QA: domain.QAPending}, domain.BatchHeld, false, 0},
		{"fully received, no hold", domain.Batch{Ordered: 10, Received: 10, QA: domain.QAPending}, domain.BatchReceived, false, 0},
		{"received more than ordered", domain.Batch{Ordered: 10, Received: 12, QA: domain.QAPending}, domain.BatchReceived, false, 0},
		{"QA passed", domain.Batch{Ordered: 10, Received: 10, Held: 1, QA: domain.QAPassed}, domain.BatchPassed, false, 0},
		{"QA passed, rest still to come", domain.Batch{Ordered: 10, Received: 4, Held: 1, QA: domain.QAPassed}, domain.BatchPassed, true, 6},
		{"QA failed", domain.Batch{Ordered: 10, Received: 10, Held: 1, QA: domain.QAFailed}, domain.BatchFailed, false, 0},
		// A failed QA rejects the held units; the rest may still come.
		{"QA failed, rest still on order", domain.Batch{Ordered: 10, Received: 4, Held: 1, QA: domain.QAFailed}, domain.BatchFailed, true, 6},
		{"QA failed, rest cancelled", domain.Batch{Ordered: 10, Received: 4, Held: 1, QA: domain.QAFailed, CancelledAt: 7}, domain.BatchFailed, false, 0},
		{"cancelled, nothing received", domain.Batch{Ordered: 10, QA: domain.QAPending, CancelledAt: 7}, domain.BatchCancelled, false, 0},
		{"cancelled, partly received", domain.Batch{Ordered: 10, Received: 4, QA: domain.QAPending, CancelledAt: 7}, domain.BatchCancelled, false, 0},
		{"cancelled, held units wait for QA", domain.Batch{Ordered: 10, Received: 4, Held: 1, QA: domain.QAPending, CancelledAt: 7}, domain.BatchCancelled, false, 0},
		{"cancelled after passing QA", domain.Batch{Ordered: 10, Received: 4, Held: 1, QA: domain.QAPassed, CancelledAt: 7}, domain.BatchCancelled, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.b.ExpectedAt = expected
			if got := tt.b.Status(); got != tt.wantStatus {
				t.Errorf("Status() = %q, want %q", got, tt.wantStatus)
			}
			if got := tt.b.Open(); got != tt.wantOpen {
				t.Errorf("Open() = %v, want %v", got, tt.wantOpen)
			}
			if got := tt.b.OnOrder(); got != tt.wantOnOrder {
				t.Errorf("OnOrder() = %d, want %d", got, tt.wantOnOrder)
			}
			// Only an open batch can be overdue.
			if got := tt.b.Overdue(expected + 1); got != tt.wantOpen {
				t.Errorf("Overdue(just after expected) = %v, want %v", got, tt.wantOpen)
			}
		})
	}
}

func TestBatchOverdue(t *testing.T) {
	open := domain.Batch{Ordered: 10, Received: 2, QA: domain.QAPending, ExpectedAt: 5000}
	tests := []struct {
		name string
		b    domain.Batch
		at   int64
		want bool
	}{
		{"before expected", open, 4999, false},
		{"at expected", open, 5000, false},
		{"just past expected", open, 5001, true},
		{"long past expected", open, 5_000_000, true},
		{"no expected date", domain.Batch{Ordered: 10, QA: domain.QAPending}, 5_000_000, false},
		{"fully received", domain.Batch{Ordered: 10, Received: 10, QA: domain.QAPending, ExpectedAt: 5000}, 9000, false},
		{"failed QA, rest still on order", domain.Batch{Ordered: 10, Received: 2, QA: domain.QAFailed, ExpectedAt: 5000}, 9000, true},
		{"failed QA, rest cancelled", domain.Batch{Ordered: 10, Received: 2, QA: domain.QAFailed, ExpectedAt: 5000, CancelledAt: 6000}, 9000, false},
		{"cancelled", domain.Batch{Ordered: 10, Received: 2, QA: domain.QAPending, ExpectedAt: 5000, CancelledAt: 6000}, 9000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.b.Overdue(tt.at); got != tt.want {
				t.Errorf("Overdue(%d) with expected %d = %v, want %v", tt.at, tt.b.ExpectedAt, got, tt.want)
			}
		})
	}
}
