package app

import (
	"encoding/json"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// Event kinds: insert-only facts, merged by set union.
const (
	kindSale    = "sale"
	kindVoid    = "void" // cancels a sale recorded by mistake; Ref names it
	kindReceipt = "receipt"
	kindReturn  = "return"
	kindCount   = "count"
	kindAdjust  = "adjustment"
)

func isEvent(entity string) bool {
	switch entity {
	case kindSale, kindVoid, kindReceipt, kindReturn, kindCount, kindAdjust:
		return true
	}
	return false
}

// event is the body of an event change and a row of the events view. Kind
// is the change's entity, ID its entity id and HLC its stamp, so none is in
// the body.
type event struct {
	Kind      string `json:"-"`
	ID        string `json:"-"`
	HLC       string `json:"-"` // the stamp of the change that made it
	SKUID     string `json:"sku_id"`
	At        int64  `json:"at"`
	Qty       int    `json:"qty"`
	Held      int    `json:"held,omitempty"`
	BatchID   string `json:"batch_id,omitempty"`
	FactoryID string `json:"factory_id,omitempty"`
	Price     int64  `json:"price,omitempty"`
	Channel   string `json:"channel,omitempty"`
	Reason    string `json:"reason,omitempty"`
	Restock   bool   `json:"restock,omitempty"`
	Note      string `json:"note,omitempty"`
	Ref       string `json:"ref,omitempty"`
}

// decodeEvent reads an event change's body. An unreadable one (a newer or
// broken writer) stays in the log only, to be forwarded, and is the same
// non-event on every replica.
func decodeEvent(c changes.Change) (*event, bool) {
	e := &event{Kind: c.Entity, ID: c.EntityID, HLC: c.HLC}
	if decodeEventFast(c.Body, e) {
		return e, true
	}
	*e = event{Kind: c.Entity, ID: c.EntityID, HLC: c.HLC}
	if err := json.Unmarshal(c.Body, e); err != nil {
		return nil, false
	}
	return e, true
}

// eventLogged notes what a newly logged event means for the caches
// derived from the ledger.
func eventLogged(e *event, dv *derived) {
	dv.events = true
	switch e.Kind {
	case kindReceipt:
		dv.batch(e.BatchID, "")
	case kindSale:
		dv.sale(e.FactoryID, e.At, e.Qty)
	case kindVoid:
		dv.sale(e.FactoryID, e.At, -e.Qty)
	}
}

// checkAt refuses a time no event recorded on this device can have: more
// than a day ahead of now (a mistyped year would otherwise become a future
// stocktake that hides every sale until then), or before 2000. Changes
// from other devices are checked where they are applied.
func (t *txn) checkAt(at time.Time) error {
	return domain.CheckEventTime(at.In(t.shop.loc), t.now)
}
