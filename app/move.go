package app

import (
	"context"
	"strings"
	"time"

	"microshop/domain"
)

// Move is units of a SKU carried from one location to another: what
// `move` asks for.
type Move struct {
	Code     string
	Qty      int
	From, To string    // location names
	At       time.Time // zero for now
}

// MoveStock records moves, all or none, in one transaction: packing for a
// fair is one move per SKU and one click. A move takes no more than is
// available where it starts, and changes no total.
func (s *Shop) MoveStock(ctx context.Context, moves ...Move) ([]string, error) {
	if len(moves) == 0 {
		return nil, domain.Errorf(domain.EInvalid, "nothing to move; name a SKU and a quantity")
	}
	for _, m := range moves {
		if err := domain.ValidateQty(m.Qty); err != nil {
			return nil, err
		}
		for _, name := range []string{m.From, m.To} {
			if strings.TrimSpace(name) == "" {
				return nil, domain.Errorf(domain.EInvalid, "a move needs the location it starts from and the one it goes to")
			}
		}
	}
	ids := make([]string, len(moves))
	err := s.write(ctx, func(t *txn) error {
		for i, m := range moves {
			ids[i] = newID()
			if err := t.move(ctx, ids[i], m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// moveVerb names a move in checkRemoval's refusals, and tells it one apart.
const moveVerb = "move"

// sellVerb names a sale in checkRemoval's refusals, which then say where
// else the units are.
const sellVerb = "sell"

func (t *txn) move(ctx context.Context, id string, m Move) error {
	at := orNow(m.At, t.now)
	if err := t.checkAt(at); err != nil {
		return err
	}
	sku, err := findSKU(ctx, t.tx, m.Code)
	if err != nil {
		return err
	}
	if sku.Path == domain.PathDigital || sku.Path == domain.PathKit {
		return domain.Errorf(domain.EInvalid, "SKU %s is %s and has no stock of its own to move", sku.Code, pathWords(sku.Path))
	}
	from, err := findLocation(ctx, t.tx, m.From)
	if err != nil {
		return err
	}
	to, err := findLocation(ctx, t.tx, m.To)
	if err != nil {
		return err
	}
	if to.Retired { // units may leave a removed location, never go to one
		return retiredError(to)
	}
	if from.ID == to.ID {
		return domain.Errorf(domain.EInvalid, "%s and %s are the same location; move units to another one", strings.TrimSpace(m.From), strings.TrimSpace(m.To))
	}
	r, err := checkRemoval(ctx, t, sku, from.ID, at, m.Qty, moveVerb)
	if err != nil {
		return err
	}
	if r.short != nil {
		return r.short
	}
	return t.addEvent(event{Kind: kindMove, ID: id, SKUID: sku.ID, At: at.UnixMilli(), Qty: m.Qty, Location: from.ID, To: to.ID})
}

// pathWords names a SKU path without stock of its own.
func pathWords(p domain.SupplyPath) string {
	if p == domain.PathKit {
		return "a kit"
	}
	return "digital"
}
