package app

import (
	"context"
	"encoding/json"
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

// event is the body of an event change and a row of the events table. Kind
// is the change's entity and ID its entity id, so neither is in the body.
type event struct {
	Kind      string `json:"-"`
	ID        string `json:"-"`
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

// materializeEvent inserts an event row; an event already held is left as it
// is, which makes applying it twice harmless.
func materializeEvent(ctx context.Context, q queryer, kind, id, hlc string, body []byte, dv *derived) error {
	var e event
	if err := json.Unmarshal(body, &e); err != nil {
		// Unreadable here (a newer or broken writer): it stays in the log,
		// to be forwarded, and is the same non-event on every replica.
		return nil
	}
	res, err := q.ExecContext(ctx, `INSERT INTO events (id, kind, sku_id, at, hlc, qty, held, batch_id, factory_id, price, channel, reason, restock, note, ref)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		id, kind, e.SKUID, e.At, hlc, e.Qty, e.Held, e.BatchID, e.FactoryID, e.Price, e.Channel, e.Reason, e.Restock, e.Note, e.Ref)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		dv.movement(e.SKUID, e.At)
		switch kind {
		case kindReceipt:
			dv.batch(e.BatchID, "")
		case kindSale:
			dv.sale(e.FactoryID, e.At, e.Qty)
		case kindVoid:
			dv.sale(e.FactoryID, e.At, -e.Qty)
		}
	}
	return nil
}
