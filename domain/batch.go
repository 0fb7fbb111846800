package domain

import (
	"fmt"
	"time"
)

// QA is a batch's quality decision.
type QA string

const (
	QAPending QA = "pending"
	QAPassed  QA = "passed"
	QAFailed  QA = "failed"
)

// BatchStatus is what a batch list shows.
type BatchStatus string

const (
	BatchOrdered   BatchStatus = "ordered"   // not yet fully received, nothing held
	BatchHeld      BatchStatus = "held"      // units held back until QA decides
	BatchPassed    BatchStatus = "passed"    // QA passed: held units released
	BatchFailed    BatchStatus = "failed"    // QA failed: held units rejected
	BatchReceived  BatchStatus = "received"  // fully received with no hold
	BatchCancelled BatchStatus = "cancelled" // units not yet received will not come
)

// Hold percentages a shop may choose for new factories; the default is 10 %.
const (
	MinHoldPercent     = 5
	MaxHoldPercent     = 10
	DefaultHoldPercent = 10
)

// ParseQA accepts pending, passed or failed.
func ParseQA(s string) (QA, error) {
	switch q := QA(s); q {
	case QAPending, QAPassed, QAFailed:
		return q, nil
	}
	return "", Errorf(EInvalid, "%s is not a QA decision; use pending, passed or failed", QuoteShort(s))
}

// ValidateHoldPercent checks the share of a new factory's deliveries held
// for QA.
func ValidateHoldPercent(n int) error {
	if n < MinHoldPercent || n > MaxHoldPercent {
		return Errorf(EInvalid, "%d %% is not a QA hold; use a whole percentage of each delivery from %d to %d", n, MinHoldPercent, MaxHoldPercent)
	}
	return nil
}

// HoldQty is how many units of a receipt from a new factory are held back
// until QA passes: ⌈percent % of units⌉.
func HoldQty(units, percent int) int {
	if units <= 0 || percent <= 0 {
		return 0
	}
	return (units*percent + 99) / 100
}

// Batch is one production order for a SKU from a factory.
type Batch struct {
	ID          string
	SKUID       string
	SKU         string // code, for display
	FactoryID   string
	Factory     string // name, for display
	Ordered     int
	Received    int
	Held        int // units held back by receipts, whatever QA decided
	QA          QA
	UnitCost    Money
	OrderedAt   int64 // unix milliseconds
	ExpectedAt  int64 // unix milliseconds: when the batch should arrive
	QAAt        int64 // unix milliseconds, 0 while pending
	QANote      string
	CancelledAt int64 // unix milliseconds: when the units still to come were cancelled; 0 if they were not
}

// Name is the batch as people call it, for messages: ids are for
// programs, and a maker knows a batch by what it is, who makes it and when
// it was ordered.
func (b Batch) Name(loc *time.Location) string {
	return fmt.Sprintf("the batch of %s from %s ordered on %s", b.SKU, b.Factory, time.UnixMilli(b.OrderedAt).In(loc).Format(time.DateOnly))
}

// Cancelled reports whether the units of the batch not yet received were
// cancelled: by hand, or with a failed QA.
func (b Batch) Cancelled() bool { return b.CancelledAt != 0 }

// Status is the batch's state as a person sees it. A failed QA says more
// than a cancellation, and a cancellation more than the rest: a cancelled
// batch's held units still show in Held, and still wait for QA.
func (b Batch) Status() BatchStatus {
	switch {
	case b.QA == QAFailed:
		return BatchFailed
	case b.Cancelled():
		return BatchCancelled
	case b.QA == QAPassed:
		return BatchPassed
	case b.Held > 0:
		return BatchHeld
	case b.Received >= b.Ordered:
		return BatchReceived
	}
	return BatchOrdered
}

// Open reports whether units of the batch are still to come: it is not fully
// received and they were not cancelled. A failed QA rejects the held units,
// not those still to come: they stay on order until cancelled.
func (b Batch) Open() bool { return b.Received < b.Ordered && !b.Cancelled() }

// OnOrder is how many units of the batch are still to come.
func (b Batch) OnOrder() int {
	if !b.Open() {
		return 0
	}
	return b.Ordered - b.Received
}

// Overdue reports whether an open batch is past its expected arrival at t.
func (b Batch) Overdue(t int64) bool { return b.Open() && b.ExpectedAt > 0 && b.ExpectedAt < t }
