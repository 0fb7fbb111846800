package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"microshop/app"
	"microshop/domain"
)

// saleJSON is what `sell` prints. Available is null for a digital SKU,
// which has no stock.
type saleJSON struct {
	ID        string `json:"id"`
	Code      string `json:"code"`
	Qty       int    `json:"qty"`
	Price     string `json:"price"`
	Available *int   `json:"available"`
	Channel   string `json:"channel"`
	At        string `json:"at"`
}

// movementJSON is what `return`, `count` and `adjust` print.
type movementJSON struct {
	ID      string `json:"id,omitempty"`
	Kind    string `json:"kind"`
	Code    string `json:"code"`
	Qty     int    `json:"qty"`
	Reason  string `json:"reason,omitempty"`
	Class   string `json:"class,omitempty"`
	Restock *bool  `json:"restock,omitempty"`
	Note    string `json:"note,omitempty"`
	At      string `json:"at"`
}

// eventTime is when an event is recorded: --at, or now.
func eventTime(s *app.Shop, at time.Time) time.Time {
	if at.IsZero() {
		return s.Now()
	}
	return at.In(s.Location())
}

const minuteLayout = "2006-01-02 15:04"

func runReturn(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	qty := f.Int("qty", 0, "`N` units returned")
	reason := parsed(f, "reason", "why, `REASON`: defect, broke, not-as-described, damaged-in-transit, packaging, lost, changed-mind, wrong-size or other",
		domain.ReadReturnReason)
	batch := f.String("batch", "", "the `BATCH_ID` the units came from, for a kit its faulty part's (default the SKU's primary factory)")
	restock := f.Bool("restock", false, "the units go back in stock")
	refund := f.moneyFlag("refund", "the `AMOUNT` paid back, in all, like 9.00, or 0 for nothing (an exchange); without it the margins count the sale price as paid back, and the day's close takes nothing off")
	payment := parsed(f, "payment", "how the refund was paid, `METHOD`: cash, card or other (default cash)", domain.ParsePayment)
	at := f.atFlag()
	location := f.locationFlag()
	force := f.Bool("force", false, "record it even if it looks mistyped: more units back than were ever sold, a SKU never sold, or a refund above what was paid for it (its price, when never sold)")
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	if err := f.require("qty", "reason"); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		when := eventTime(s, *at)
		in := app.Return{Code: pos[0], Qty: *qty, Reason: *reason, BatchID: *batch, Restock: *restock, At: when,
			Refund: *refund, NoRefund: f.isSet("refund") && *refund == 0, Payment: *payment, Location: *location}
		if !*force {
			// What the desktop asks about first is refused here unless
			// forced: a return has no undo, and a restocked slip of the
			// keyboard adds stock that was never there.
			in.DryRun = true
			check, err := s.RecordReturn(ctx, in)
			if err == nil && len(check.Warnings) > 0 {
				return domain.Errorf(domain.EConflict, "not recorded: %s; if it is right, record it with --force", strings.Join(check.Warnings, "; "))
			}
			in.DryRun = false
		}
		res, err := s.RecordReturn(ctx, in)
		if err != nil && *batch != "" {
			return aboutBatch(*batch, err)
		}
		if err != nil {
			return err
		}
		c.warn(res.Warnings)
		sku, err := s.SKU(ctx, pos[0])
		if err != nil {
			return err
		}
		restocked := *restock && sku.Path != domain.PathDigital
		class := reason.Class()
		if c.json {
			return c.printJSON(movementJSON{ID: res.ID, Kind: "return", Code: sku.Code, Qty: *qty, Reason: string(*reason),
				Class: string(class), Restock: &restocked, At: when.Format(time.RFC3339)})
		}
		where := "not restocked"
		if restocked {
			where = "back in stock"
		}
		c.say("Recorded the return of %d × %s (%s, a %s reason); %s%s.", *qty, sku.Code, *reason, class, where, c.refunded(in))
		for _, n := range res.PausedNotes {
			c.say("%s.", n)
		}
		return nil
	})
}

func runCount(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	qty := f.Int("qty", 0, "`N` units on hand, held units included (0 is a count too)")
	at := f.atFlag()
	location := f.locationFlag()
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	if err := f.require("qty"); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		when := eventTime(s, *at)
		place := placeName(ctx, s, *location)
		// What the ledger held there before, for a count of now: a unit
		// lost at the close of a fair showed nowhere.
		before, held, known := 0, 0, false
		if !f.isSet("at") {
			if rows, err := s.StockAt(ctx, s.AsOfNow(), pos[0], place); err == nil && len(rows) == 1 {
				before, held, known = rows[0].OnHand, rows[0].Held, true
			}
		}
		id, err := s.CountStock(ctx, app.Stocktake{Code: pos[0], Qty: *qty, At: when, Location: *location})
		if err != nil {
			return err
		}
		sku, err := s.SKU(ctx, pos[0])
		if err != nil {
			return err
		}
		if known && *qty < held {
			c.warn([]string{app.CountBelowHeld(sku.Code, place, *qty, held, heldBatchIDs(ctx, s, sku.Code, place))})
		}
		if c.json {
			return c.printJSON(movementJSON{ID: id, Kind: "count", Code: sku.Code, Qty: *qty, At: when.Format(time.RFC3339)})
		}
		c.say("Counted %d × %s on hand at %s on %s%s.", *qty, sku.Code, place, when.Format(minuteLayout), countChange(before, *qty, known))
		return nil
	})
}

// heldBatchIDs names the batches holding units of code at place for QA
// as `batch qa` takes them: "batch ID".
func heldBatchIDs(ctx context.Context, s *app.Shop, code, place string) []string {
	batches, err := s.HeldBatches(ctx, code, place)
	if err != nil {
		return nil // the warning says "their batch"
	}
	ids := make([]string, len(batches))
	for i, b := range batches {
		ids[i] = "batch " + b.ID
	}
	return ids
}

// countChange says how a count differs from what the ledger held.
func countChange(before, counted int, known bool) string {
	switch {
	case !known || before == counted:
		return ""
	case counted < before:
		return fmt.Sprintf(": the ledger had %d, so %d fewer", before, before-counted)
	}
	return fmt.Sprintf(": the ledger had %d, so %d more", before, counted-before)
}

func runAdjust(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	qty := f.Int("qty", 0, "signed correction `N`, like -2 or 3")
	note := f.String("note", "", "why, in a few words of `TEXT`")
	at := f.atFlag()
	force := f.Bool("force", false, "take units out even beyond available stock: they really left")
	location := f.locationFlag()
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	if err := f.require("qty", "note"); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		when := eventTime(s, *at)
		id, err := s.AdjustStock(ctx, app.Adjustment{Code: pos[0], Qty: *qty, Note: *note, At: when, Force: *force, Location: *location})
		if err != nil {
			return withForceHint(err, "if the units really left, record it with --force")
		}
		sku, err := s.SKU(ctx, pos[0])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(movementJSON{ID: id, Kind: "adjustment", Code: sku.Code, Qty: *qty, Note: *note, At: when.Format(time.RFC3339)})
		}
		c.say("Adjusted %s by %+d at %s (%s).", sku.Code, *qty, when.Format(minuteLayout), *note)
		return nil
	})
}

// warn prints each warning of a command that went through on stderr, so
// that with --json stdout still holds one JSON document.
func (c *cli) warn(warnings []string) {
	for _, w := range warnings {
		fmt.Fprintf(c.stderr, "warning: %s\n", oneLine(w))
	}
}

// withForceHint adds how to record it anyway to the refusal of a sale or
// correction beyond stock; other errors pass unchanged.
func withForceHint(err error, hint string) error {
	var short *app.ShortError
	if !errors.As(err, &short) {
		return err
	}
	return domain.Errorf(domain.ErrorCode(err), "%s; %s", domain.ErrorMessage(err), hint)
}

// refunded says what a return paid back and how, after what became of
// its units; "" when it names no refund.
func (c *cli) refunded(in app.Return) string {
	switch {
	case in.NoRefund:
		return "; nothing paid back"
	case in.Refund <= 0:
		return ""
	}
	paid := in.Payment
	if paid == "" {
		paid = domain.PaymentCash
	}
	return fmt.Sprintf("; refunded %s %s in %s", c.amount(in.Refund), c.currency, paid)
}
