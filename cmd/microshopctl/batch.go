package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"microshop/app"
	"microshop/domain"
)

// batchJSON is a batch in `batch order`, `batch list` and the batch commands.
type batchJSON struct {
	ID        string `json:"id"`
	SKU       string `json:"sku"`
	Factory   string `json:"factory"`
	Ordered   int    `json:"ordered"`
	Received  int    `json:"received"`
	Held      int    `json:"held"`
	Status    string `json:"status"`
	OnOrder   int    `json:"on_order"`
	UnitCost  string `json:"unit_cost"`
	OrderedAt string `json:"ordered_at"`
	Expected  string `json:"expected"`
	QANote    string `json:"qa_note"`
	Cancelled string `json:"cancelled"` // the date the units still to come were cancelled, "" if they were not
}

func newBatchJSON(b domain.Batch, loc *time.Location) batchJSON {
	return batchJSON{ID: b.ID, SKU: b.SKU, Factory: b.Factory, Ordered: b.Ordered, Received: b.Received, Held: b.Held,
		Status: string(b.Status()), OnOrder: b.OnOrder(), UnitCost: b.UnitCost.String(),
		OrderedAt: dateOf(b.OrderedAt, loc), Expected: dateOf(b.ExpectedAt, loc), QANote: b.QANote, Cancelled: dateOf(b.CancelledAt, loc)}
}

func runBatchOrder(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	qty := f.Int("qty", 0, "`N` units to order")
	factory := f.String("factory", "", "order from the factory `NAME` (default the SKU's primary factory)")
	cost := f.moneyFlag("unit-cost", "unit `COST` of this batch, like 9.50 (default the factory's quote, else the SKU's cost)")
	expected := parsed(f, "expected", "`DATE` it should arrive, YYYY-MM-DD (default the order date plus the lead time)",
		func(s string) (time.Time, error) { return domain.ParseDate(s, c.loc) })
	at := f.atFlag()
	force := f.Bool("force", false, "order even from a paused factory")
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	if err := f.require("qty"); err != nil {
		return err
	}
	o := app.Order{Code: pos[0], Qty: *qty, Factory: *factory, At: *at, Force: *force}
	if f.isSet("unit-cost") {
		o.UnitCost = cost
	}
	if !expected.IsZero() {
		o.Expected = midday(*expected)
	}
	return c.withShop(func(s *app.Shop) error {
		res, err := s.OrderBatch(ctx, o)
		if err != nil {
			return pausedHint(err)
		}
		c.warn(res.Warnings)
		b := res.Batch
		if c.json {
			return c.printJSON(newBatchJSON(b, c.loc))
		}
		c.say("Ordered %d × %s from %s as batch %s; expected %s.", b.Ordered, b.SKU, b.Factory, b.ID, dateOf(b.ExpectedAt, c.loc))
		return nil
	})
}

// midday is noon of day d, as the default expected time is, so a batch is
// not overdue before its day has begun.
func midday(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, d.Location())
}

func runBatchReceive(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	qty := f.Int("qty", 0, "`N` units received")
	at := f.atFlag()
	force := f.Bool("force", false, "take more units than are still to come: factory overs, or units of a cancelled batch")
	location := f.locationFlag()
	pos, err := f.parse(args, "BATCH_ID")
	if err != nil {
		return err
	}
	if err := f.require("qty"); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		rc, err := s.Receive(ctx, app.Delivery{Batch: pos[0], Qty: *qty, At: *at, Force: *force, Location: *location})
		var overs *app.OversError
		if errors.As(err, &overs) {
			return aboutBatch(pos[0], domain.Errorf(domain.ErrorCode(err), "%s; if they really arrived, receive them with --force", domain.ErrorMessage(err)))
		}
		err = aboutBatch(pos[0], err)
		if err != nil {
			return err
		}
		b := rc.Batch
		if c.json {
			return c.printJSON(newBatchJSON(b, c.loc))
		}
		if over := b.Received - b.Ordered; over > 0 && *qty > 0 {
			c.say("That is %d more than ordered (factory overs).", min(over, *qty))
		}
		if held := rc.HeldUnits; held > 0 {
			c.say("Received %d of batch %s (%d of %d ordered): %d held for QA (new factory %s); pass or fail it with `microshopctl batch qa`.",
				*qty, b.ID, b.Received, b.Ordered, held, b.Factory)
		} else {
			c.say("Received %d of batch %s (%d of %d ordered); all %d available.", *qty, b.ID, b.Received, b.Ordered, *qty)
		}
		return nil
	})
}

func runBatchQA(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pass := f.Bool("pass", false, "the held units are good: release them for sale")
	fail := f.Bool("fail", false, "the held units are bad: reject them and pause the factory")
	cancelRest := f.Bool("cancel-rest", false, "with --fail: cancel the units still to come (by default they stay on order)")
	note := f.String("note", "", "what QA found, in a few words of `TEXT`")
	at := f.atFlag()
	pos, err := f.parse(args, "BATCH_ID")
	if err != nil {
		return err
	}
	if *pass == *fail {
		return usagef("microshopctl batch qa needs exactly one of --pass or --fail; see `microshopctl help batch qa`")
	}
	if *cancelRest && *pass {
		return usagef("--cancel-rest goes with --fail: a pass cancels nothing (to stop the units still to come, use `microshopctl batch cancel`)")
	}
	return c.withShop(func(s *app.Shop) error {
		b, err := s.Decide(ctx, app.QADecision{Batch: pos[0], Pass: *pass, Note: *note, At: *at, CancelRest: *cancelRest})
		if err != nil {
			return aboutBatch(pos[0], err)
		}
		if c.json {
			return c.printJSON(newBatchJSON(b, c.loc))
		}
		if *pass {
			c.say("The batch of %s ordered on %s passed QA: %s released for sale.",
				b.SKU, time.UnixMilli(b.OrderedAt).In(c.loc).Format(time.DateOnly), count(b.Held, "held unit"))
			if f, err := s.Factory(ctx, b.Factory, s.AsOfNow()); err == nil && f.LiftedBy(b) {
				c.say(liftedWords, b.Factory)
			}
			return nil
		}
		// The batch as its factory's pause names it (factory show, alerts):
		// by its SKU and order date; the JSON has its id.
		c.say("The batch of %s ordered on %s failed QA: %s rejected; factory %s is paused until the rest of the batch is inspected.",
			b.SKU, time.UnixMilli(b.OrderedAt).In(c.loc).Format(time.DateOnly), count(b.Held, "held unit"), b.Factory)
		switch rest := b.Ordered - b.Received; {
		case rest <= 0:
		case b.Cancelled():
			c.say("The %s still to come %s cancelled.", count(rest, "unit"), isAre(rest))
		default:
			c.say("The %s still to come stay on order; cancel them with `microshopctl batch cancel %s`.", count(rest, "unit"), shellArg(b.ID))
		}
		return nil
	})
}

// liftedWords tell that a QA pass lifted a factory's pause for quality
// returns, %s its name.
const liftedWords = "%s takes orders again: the pass lifted its pause for quality returns, which count afresh from now."

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func runBatchEdit(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	qty := f.Int("qty", 0, "`N` units ordered; not below the units already received")
	expected := parsed(f, "expected", "`DATE` it should arrive, YYYY-MM-DD",
		func(s string) (time.Time, error) { return domain.ParseDate(s, c.loc) })
	pos, err := f.parse(args, "BATCH_ID")
	if err != nil {
		return err
	}
	var in app.BatchFields
	if f.isSet("qty") {
		in.Qty = qty
	}
	if f.isSet("expected") {
		e := midday(*expected)
		in.Expected = &e
	}
	if in.Qty == nil && in.Expected == nil {
		return usagef("microshopctl batch edit needs --qty or --expected; see `microshopctl help batch edit`")
	}
	return c.withShop(func(s *app.Shop) error {
		res, err := s.EditBatch(ctx, pos[0], in)
		if err != nil {
			return aboutBatch(pos[0], err)
		}
		c.warn(res.Warnings)
		b := res.Batch
		if c.json {
			return c.printJSON(newBatchJSON(b, c.loc))
		}
		c.say("Batch %s: %d × %s from %s, %d received, expected %s.", b.ID, b.Ordered, b.SKU, b.Factory, b.Received, dateOf(b.ExpectedAt, c.loc))
		return nil
	})
}

func runBatchCancel(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "BATCH_ID")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		b, err := s.CancelBatch(ctx, pos[0])
		if err != nil {
			return aboutBatch(pos[0], err)
		}
		if c.json {
			return c.printJSON(newBatchJSON(b, c.loc))
		}
		rest := b.Ordered - b.Received
		c.say("Cancelled batch %s of %s: the %s still to come %s no longer on order; the %d received stay.", b.ID, b.SKU, count(rest, "unit"), isAre(rest), b.Received)
		return nil
	})
}

func runBatchList(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	open := f.Bool("open", false, "only batches with units still to come")
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		list, err := s.Batches(ctx, *open)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]batchJSON, 0, len(list))
			for _, b := range list {
				out = append(out, newBatchJSON(b, c.loc))
			}
			return c.printJSON(out)
		}
		if len(list) == 0 {
			c.say("No batches; order one with `microshopctl batch order`.")
			return nil
		}
		tw := c.table("ID", "SKU", "FACTORY", "ORDERED", "RECEIVED", "HELD", "STATUS", "ORDERED ON", "EXPECTED")
		for _, b := range list {
			row(tw, b.ID, b.SKU, b.Factory, b.Ordered, b.Received, heldText(b), b.Status(), dateOf(b.OrderedAt, c.loc), dateOf(b.ExpectedAt, c.loc))
		}
		return tw.Flush()
	})
}

// heldText is what the HELD column says of a batch's units held for QA:
// held still, or released or rejected once QA decided. A passed batch
// read "5" held, where the desktop said the 5 were released.
func heldText(b domain.Batch) string {
	switch {
	case b.Held == 0 || b.QA == domain.QAPending:
		return strconv.Itoa(b.Held)
	case b.QA == domain.QAPassed:
		return fmt.Sprintf("%d released", b.Held)
	}
	return fmt.Sprintf("%d rejected", b.Held)
}

// pausedHint says how to resume a paused factory, or order anyway.
func pausedHint(err error) error {
	var p *app.PausedError
	if !errors.As(err, &p) {
		return err
	}
	if p.Quality {
		return domain.Errorf(domain.ErrorCode(err), "factory %q is paused for quality returns (%s); inspect its stock, then %s with `microshopctl factory resume %s`, or order anyway with --force",
			p.Factory, p.Reason, p.Lift, shellArg(p.Factory))
	}
	return domain.Errorf(domain.ErrorCode(err), "factory %q is paused (%s); resume it with `microshopctl factory resume %s` before ordering, or order anyway with --force",
		p.Factory, p.Reason, shellArg(p.Factory))
}

// aboutBatch names the batch by the id the maker typed when the shop's
// message names it only as people do (by SKU, factory and date), so the
// sentence on the command line names the value given.
func aboutBatch(ref string, err error) error {
	msg := domain.ErrorMessage(err)
	if err == nil || domain.ErrorCode(err) == domain.EInternal || strings.Contains(msg, strings.TrimSpace(ref)) {
		return err
	}
	return &domain.Error{Code: domain.ErrorCode(err), Message: "batch " + strings.TrimSpace(ref) + ": " + msg, Remedy: domain.RemedyOf(err), Err: err}
}
