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
	kindMove    = "move" // units carried from Location to To
)

func isEvent(entity string) bool {
	switch entity {
	case kindSale, kindVoid, kindReceipt, kindReturn, kindCount, kindAdjust, kindMove:
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
	Order     string `json:"order,omitempty"`    // a sale line's basket
	Payment   string `json:"payment,omitempty"`  // how a basket was paid, or a refund given
	Discount  int64  `json:"discount,omitempty"` // taken off each unit of a sale line; Price is after it
	Refund    int64  `json:"refund,omitempty"`   // paid back for a return, in all
	Location  string `json:"location,omitempty"` // where it happened, by location id; empty for main
	To        string `json:"to,omitempty"`       // where a move took the units
	Kit       string `json:"kit,omitempty"`      // the kit a sale line's part was sold in, by SKU id
	KitQty    int    `json:"kit_qty,omitempty"`  // how many of the kit the line's units were sold in

	// NoRefund marks a return that paid nothing back (an exchange), as
	// against one naming no refund, which the margins value at the sale
	// price; checkNoRefund holds it to returns naming no refund. Builds
	// before it read a body with this key as one naming no refund: their
	// fast reader (decodeEventFast) refuses a key it does not know, and
	// decodeEvent falls back to encoding/json, which skips it. Such a
	// return is then counted at the sale price there, not refused.
	NoRefund bool `json:"no_refund,omitempty"`
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

// checkEvent decides whether an event another device sent may take effect:
// its fields meet the same domain rules the local write path applies.
// Stock is not checked: two devices selling the last unit while apart is
// a fact to merge, not a fault. Nor is whether the SKU or batch it names
// has arrived yet: the event waits in the ledger for it.
func checkEvent(e *event) error {
	if err := domain.ValidateID("SKU id", e.SKUID); err != nil {
		return err
	}
	if err := domain.ValidateMoment("time", e.At); err != nil {
		return err
	}
	for _, id := range [...]struct{ what, id string }{{"batch id", e.BatchID}, {"factory id", e.FactoryID}, {"sale it undoes", e.Ref}} {
		if err := idOrEmpty(id.what, id.id); err != nil {
			return err
		}
	}
	if err := domain.ValidateMoney("price", domain.Money(e.Price)); err != nil {
		return err
	}
	if e.Channel != "" || e.Kind == kindSale {
		if _, err := domain.ParseEventChannel(e.Channel); err != nil {
			return err
		}
	}
	if err := domain.ValidateNote("note", e.Note); err != nil {
		return err
	}
	if e.Kind != kindReturn {
		if err := domain.ValidateNote("reason", e.Reason); err != nil {
			return err
		}
	}
	if err := checkTill(e); err != nil {
		return err
	}
	if err := checkPlaces(e); err != nil {
		return err
	}
	if err := checkKit(e); err != nil {
		return err
	}
	switch e.Kind {
	case kindSale:
		return checkLine(e)
	case kindVoid:
		if e.Ref == "" {
			return domain.Errorf(domain.EInvalid, "it names no sale to undo")
		}
		return checkLine(e)
	case kindReceipt:
		if e.BatchID == "" {
			return domain.Errorf(domain.EInvalid, "it names no batch")
		}
		if err := domain.ValidateQty(e.Qty); err != nil {
			return err
		}
		return domain.ValidateHeld(e.Held, e.Qty)
	case kindReturn:
		if _, err := domain.ParseReturnReason(e.Reason); err != nil {
			return err
		}
		return domain.ValidateQty(e.Qty)
	case kindCount:
		return domain.ValidateCount(e.Qty)
	case kindAdjust:
		return domain.ValidateAdjustment(e.Qty, e.Note)
	case kindMove:
		return domain.ValidateQty(e.Qty)
	}
	return nil
}

// checkPlaces checks where an event happened: location ids, and a move
// between two different locations. Whether the locations' records have
// arrived is not checked: the move waits in the ledger for them.
func checkPlaces(e *event) error {
	if err := idOrEmpty("location id", e.Location); err != nil {
		return err
	}
	if err := idOrEmpty("location id", e.To); err != nil {
		return err
	}
	switch {
	case e.Kind == kindMove && e.To == e.Location:
		return domain.Errorf(domain.EInvalid, "it moves units from a location to itself")
	case e.Kind != kindMove && e.To != "":
		return domain.Errorf(domain.EInvalid, "only a move has a location to take units to")
	}
	return nil
}

// checkTill checks the till's fields of an event: a known payment method,
// an order id, and a discount or refund that is a possible amount.
func checkTill(e *event) error {
	if e.Payment != "" {
		if _, err := domain.ParsePayment(e.Payment); err != nil {
			return err
		}
	}
	if err := idOrEmpty("order id", e.Order); err != nil {
		return err
	}
	if err := domain.ValidateMoney("discount", domain.Money(e.Discount)); err != nil {
		return err
	}
	if err := domain.ValidateMoney("refund", domain.Money(e.Refund)); err != nil {
		return err
	}
	return checkNoRefund(e)
}

// checkNoRefund checks a return that says it paid nothing back: only a
// return can, and not while it names a refund paid.
func checkNoRefund(e *event) error {
	switch {
	case !e.NoRefund:
		return nil
	case e.Kind != kindReturn:
		return domain.Errorf(domain.EInvalid, "it says nothing was paid back, which only a return can say")
	case e.Refund > 0:
		return domain.Errorf(domain.EInvalid, "it says nothing was paid back and a refund of %s at once; a return has a refund or nothing paid back, not both", domain.Money(e.Refund))
	}
	return nil
}

// checkKit checks the kit a sale line's or a return's part was sold or
// returned in: only those name one, and each line names the kit's first
// line, as sellKit and returnKit write.
func checkKit(e *event) error {
	if e.Kit == "" {
		if e.KitQty != 0 {
			return domain.Errorf(domain.EInvalid, "it gives a number of kits but names no kit")
		}
		return nil
	}
	if err := domain.ValidateID("kit id", e.Kit); err != nil {
		return err
	}
	switch {
	case e.Kind != kindSale && e.Kind != kindReturn:
		return domain.Errorf(domain.EInvalid, "only a sale line or a return names a kit")
	case e.Ref == "":
		return domain.Errorf(domain.EInvalid, "it names a kit but not the kit's first line")
	case e.KitQty < 1 || e.Qty%e.KitQty != 0:
		return domain.Errorf(domain.EInvalid, "its %d units cannot have been sold in %d kits", e.Qty, e.KitQty)
	}
	return nil
}

// checkLine checks a sale line's quantity and what it comes to, as a sale
// made here is checked: each within bounds, a million at the largest
// price made takings that no sum of them could hold.
func checkLine(e *event) error {
	if err := domain.ValidateQty(e.Qty); err != nil {
		return err
	}
	_, err := domain.LineTotal(domain.Money(e.Price), e.Qty)
	return err
}
