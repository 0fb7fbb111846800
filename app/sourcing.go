package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"microshop/domain"
)

// quoteSpace makes a quote's id from its factory and SKU, so the same pair
// quoted on two devices offline is one record.
var quoteSpace = uuid.MustParse("6f1c2d3e-9a4b-4c5d-8e7f-0a1b2c3d4e5f")

func quoteID(factoryID, skuID string) string {
	return uuid.NewSHA1(quoteSpace, []byte(factoryID+"/"+skuID)).String()
}

// costFrom is what a unit of the SKU costs from the factory: its live
// quote's unit cost, or the SKU's cost when it has not quoted the SKU (or
// withdrew its quote). Orders and purchase orders price by it, as
// sourcing compares by it.
func costFrom(ctx context.Context, q queryer, factoryID string, sku domain.SKU) (domain.Money, error) {
	var quoted int64
	err := q.QueryRowContext(ctx, `SELECT unit_cost FROM quotes WHERE id = ? AND withdrawn = 0`, quoteID(factoryID, sku.ID)).Scan(&quoted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return sku.Cost, nil
	case err != nil:
		return 0, err
	}
	return domain.Money(quoted), nil
}

// QuoteFields are what `factory quote` sets. Nil Shipping, MOQ, Multiple
// and LeadDays keep the quote's; a new quote's follow the factory's own
// (no shipping).
type QuoteFields struct {
	Factory  string
	Code     string
	UnitCost domain.Money
	// KeepUnitCost quotes again at the quote's unit cost, UnitCost
	// aside: a quote's lead time changed without its price typed again.
	// A first quote needs its unit cost.
	KeepUnitCost bool
	Shipping     *domain.Money
	MOQ          *int
	Multiple     *int
	LeadDays     *int
}

// QuoteResult is a quote as recorded, with what is odd about it.
type QuoteResult struct {
	domain.Quote
	Code string // the SKU's code as the shop holds it, whatever case it was typed in
	// Warnings are sentences about a quote that is possible but odd: one
	// of nothing a unit, which wins every comparison.
	Warnings []string
}

// QuoteFactory records what a factory asks to make a SKU. Quoting the same
// factory and SKU again changes the terms given and keeps the others.
func (s *Shop) QuoteFactory(ctx context.Context, in QuoteFields) (QuoteResult, error) {
	var q domain.Quote
	var currency string // for the warning of a quote of nothing
	err := s.write(ctx, func(t *txn) error {
		if err := t.checkMoney(&in.UnitCost, in.Shipping); err != nil {
			return err
		}
		var err error
		if currency, err = shopCurrency(ctx, t.tx, s.shopID); err != nil {
			return storeError(s.path, err)
		}
		f, err := findFactory(ctx, t.tx, in.Factory)
		if err != nil {
			return err
		}
		sku, err := quotableSKU(ctx, t, in.Code)
		if err != nil {
			return err
		}
		in.Code = sku.Code // as the shop holds it, for what is said of it
		if q, err = quoteOf(ctx, t, f, sku.ID, in); err != nil {
			return err
		}
		if err := q.Validate(); err != nil {
			return err
		}
		fields, withdrawn, err := quoteChanges(ctx, t, q)
		if err != nil {
			return err
		}
		if withdrawn {
			// A change of its own: a device of a build from before
			// withdrawing sets aside only this one, not the quote.
			if err := t.setRecord("quote", q.ID, map[string]any{"withdrawn": false}); err != nil {
				return err
			}
		}
		if len(fields) == 0 {
			return nil
		}
		return t.setRecord("quote", q.ID, fields)
	})
	res := QuoteResult{Quote: q, Code: in.Code}
	if err == nil && q.UnitCost == 0 {
		res.Warnings = append(res.Warnings, FreeQuoteWarning(q.Factory, in.Code, currency))
	}
	return res, err
}

// quotableSKU is the SKU code names when a factory can quote it: one it
// makes, so not a download nor a kit (made of other SKUs), and on sale.
func quotableSKU(ctx context.Context, t *txn, code string) (skuRow, error) {
	sku, err := findSKU(ctx, t.tx, code)
	switch {
	case err != nil:
		return sku, err
	case sku.Path == domain.PathDigital:
		return sku, domain.Errorf(domain.EInvalid, "SKU %s is digital: no factory makes it, so it takes no quote", sku.Code)
	case sku.Path == domain.PathKit:
		return sku, kitNotMade(ctx, t.tx, sku.SKU, "takes no quote; quote")
	case sku.Archived:
		return sku, domain.Errorf(domain.EConflict, "SKU %s is archived and no longer made; unarchive it to record a quote for it", sku.Code)
	}
	return sku, nil
}

// FreeQuoteWarning is what QuoteFactory warns of a quote of nothing a
// unit, for a form to ask before recording one; nothing is written as the
// currency writes it (0.00 in euros, 0 in yen).
func FreeQuoteWarning(factory, code, currency string) string {
	return fmt.Sprintf("%s quotes %s at %s a unit, which wins every comparison of sources; check the unit cost", factory, code,
		domain.Money(0).Format(currency))
}

// quoteOf is f's quote for a SKU as in gives it: the terms given, and for
// the others the live quote's, or the factory's own for a new quote.
func quoteOf(ctx context.Context, t *txn, f FactoryView, skuID string, in QuoteFields) (domain.Quote, error) {
	q := domain.Quote{ID: quoteID(f.ID, skuID), FactoryID: f.ID, Factory: f.Name, Location: f.Location, SKUID: skuID,
		MOQ: f.MOQ, Multiple: f.Multiple, LeadDays: f.LeadDays}
	var quoted domain.Money
	err := t.tx.QueryRowContext(ctx, `SELECT unit_cost, shipping, moq, multiple, lead_days FROM quotes WHERE id = ? AND withdrawn = 0`, q.ID).
		Scan(&quoted, &q.Shipping, &q.MOQ, &q.Multiple, &q.LeadDays)
	switch {
	case in.KeepUnitCost && isNoRows(err):
		return q, domain.Errorf(domain.EInvalid, "%s has no quote for %s yet, so there is no unit cost to keep; give the unit cost it asks", f.Name, in.Code)
	case err != nil && !isNoRows(err):
		return q, err
	}
	q.UnitCost = in.UnitCost
	if in.KeepUnitCost {
		q.UnitCost = quoted
	}
	if in.Shipping != nil {
		q.Shipping = *in.Shipping
	}
	for _, o := range []struct {
		dst *int
		src *int
	}{{&q.MOQ, in.MOQ}, {&q.Multiple, in.Multiple}, {&q.LeadDays, in.LeadDays}} {
		if o.src != nil {
			*o.dst = *o.src
		}
	}
	return q, nil
}

// WithdrawQuote takes a factory's quote for a SKU out of the comparison:
// the factory no longer offers it, or it was recorded by mistake. Quoting
// again brings it back.
func (s *Shop) WithdrawQuote(ctx context.Context, factory, code string) error {
	return s.write(ctx, func(t *txn) error {
		f, err := findFactory(ctx, t.tx, factory)
		if err != nil {
			return err
		}
		sku, err := findSKU(ctx, t.tx, code)
		if err != nil {
			return err
		}
		var withdrawn bool
		err = t.tx.QueryRowContext(ctx, `SELECT withdrawn FROM quotes WHERE id = ?`, quoteID(f.ID, sku.ID)).Scan(&withdrawn)
		if isNoRows(err) || err == nil && withdrawn {
			return domain.Errorf(domain.ENotFound, "%s has no quote for %s to withdraw", f.Name, sku.Code)
		} else if err != nil {
			return err
		}
		return t.setRecord("quote", quoteID(f.ID, sku.ID), map[string]any{"withdrawn": true})
	})
}

// quoteChanges are the fields of q that differ from the quote as stored:
// a quote typed again unchanged writes nothing, so two devices agreeing on
// a field never show a conflict over it. withdrawn tells a stored quote
// that was withdrawn, which quoting again brings back.
func quoteChanges(ctx context.Context, t *txn, q domain.Quote) (fields map[string]any, withdrawn bool, err error) {
	fields = map[string]any{"factory_id": q.FactoryID, "sku_id": q.SKUID,
		"unit_cost": int64(q.UnitCost), "shipping": int64(q.Shipping), "moq": q.MOQ, "multiple": q.Multiple, "lead_days": q.LeadDays}
	var old domain.Quote
	err = t.tx.QueryRowContext(ctx, `SELECT unit_cost, shipping, moq, multiple, lead_days, withdrawn FROM quotes WHERE id = ?`, q.ID).
		Scan(&old.UnitCost, &old.Shipping, &old.MOQ, &old.Multiple, &old.LeadDays, &withdrawn)
	if isNoRows(err) {
		return fields, false, nil
	} else if err != nil {
		return nil, false, err
	}
	delete(fields, "factory_id")
	delete(fields, "sku_id")
	for name, same := range map[string]bool{"unit_cost": old.UnitCost == q.UnitCost, "shipping": old.Shipping == q.Shipping,
		"moq": old.MOQ == q.MOQ, "multiple": old.Multiple == q.Multiple, "lead_days": old.LeadDays == q.LeadDays} {
		if same {
			delete(fields, name)
		}
	}
	return fields, withdrawn, nil
}

// ShopSettings are what `shop set` changes; nil leaves a setting as it is.
type ShopSettings struct {
	Name        *string
	HoldingRate *int // whole percent a year
	// QAHold is the share of a new factory's deliveries held for QA, in
	// whole percent (DESIGN.md: a setting, 5 to 10 %): stored and synced,
	// but nothing set it.
	QAHold *int
}

// SetShop changes the given shop settings.
func (s *Shop) SetShop(ctx context.Context, in ShopSettings) error {
	fields := map[string]any{}
	if in.Name != nil {
		name, err := domain.CleanName("shop name", *in.Name)
		if err != nil {
			return err
		}
		fields["name"] = name
	}
	if in.HoldingRate != nil {
		if err := domain.ValidateHoldingRate(*in.HoldingRate); err != nil {
			return err
		}
		fields["holding_rate"] = *in.HoldingRate
	}
	if in.QAHold != nil {
		if err := domain.ValidateHoldPercent(*in.QAHold); err != nil {
			return err
		}
		fields["hold_percent"] = *in.QAHold
	}
	if len(fields) == 0 {
		return domain.Errorf(domain.EInvalid, "nothing to change: give a shop name, a holding rate or a QA hold")
	}
	return s.write(ctx, func(t *txn) error { return t.setRecord("shop", s.shopID, fields) })
}

// QAHold is the share of a new factory's deliveries held until QA
// passes, in whole percent.
func (s *Shop) QAHold(ctx context.Context) (int, error) {
	st, err := loadSettings(ctx, s.db, s.shopID)
	return st.holdPercent, err
}

// HoldingRate is the shop's yearly holding rate, in whole percent.
func (s *Shop) HoldingRate(ctx context.Context) (int, error) {
	return holdingRate(ctx, s.db, s.shopID)
}

func holdingRate(ctx context.Context, q queryer, shopID string) (int, error) {
	pct := domain.DefaultHoldingRate
	err := q.QueryRowContext(ctx, `SELECT holding_rate FROM shop WHERE id = ?`, shopID).Scan(&pct)
	if err != nil && !isNoRows(err) {
		return pct, err
	}
	if domain.ValidateHoldingRate(pct) != nil {
		pct = domain.DefaultHoldingRate
	}
	return pct, nil
}

// SourceQuery is what `source` asks.
type SourceQuery struct {
	Code    string
	AsOf    AsOf
	Run     int          // a limited edition's units; 0 for none
	Assumed *domain.Rate // a daily rate to assume, for a SKU with no sales yet
}

// Sourcing compares every way to source a SKU side by side.
type Sourcing struct {
	Code        string
	Rate        domain.Rate
	Assumed     bool // the rate was given, not read from sales
	HoldingRate int
	Candidates  []domain.Candidate
	Best        int    // index of the recommended candidate
	Reason      string // one sentence why
	Currency    string // the shop's, in which the Reason writes amounts
}

// Source compares the SKU's current factory, at the SKU's cost, with every
// factory's quote for it (DESIGN.md section 9) and recommends one.
func (s *Shop) Source(ctx context.Context, in SourceQuery) (Sourcing, error) {
	var out Sourcing
	if in.Run < 0 || in.Run > domain.MaxQty {
		return out, domain.Errorf(domain.EInvalid, "%d is not a run; use a number of units from 1 to %d", in.Run, domain.MaxQty)
	}
	row, err := s.stockOfOne(ctx, in.AsOf, in.Code)
	if err != nil {
		return out, err
	}
	if row.SKU.Path == domain.PathDigital {
		return out, domain.Errorf(domain.EInvalid, "SKU %s is digital: nothing is made or held, so there is no source to choose", row.SKU.Code)
	}
	if row.SKU.Path == domain.PathKit {
		return out, storeError(s.path, kitNotMade(ctx, s.db, row.SKU, "has no source of its own; compare the sources of"))
	}
	out = Sourcing{Code: row.SKU.Code, Rate: row.Rate}
	if in.Assumed != nil {
		out.Rate, out.Assumed = *in.Assumed, true
	}
	if out.Rate.Sold <= 0 {
		return Sourcing{}, domain.Errorf(domain.EInvalid, "SKU %s has no sales in the 28 days ending %s, so there is no daily rate to compare sources by",
			row.SKU.Code, in.AsOf.Day.Format("2006-01-02")).With(domain.RemedyAssumeRate)
	}
	return s.compareSources(ctx, in, row.SKU, out)
}

// compareSources works out the candidates of sku, given its rate in out.
func (s *Shop) compareSources(ctx context.Context, in SourceQuery, sku domain.SKU, out Sourcing) (Sourcing, error) {
	var err error
	if out.HoldingRate, err = holdingRate(ctx, s.db, s.shopID); err != nil {
		return Sourcing{}, storeError(s.path, err)
	}
	quotes, err := s.candidates(ctx, sku)
	if err != nil {
		return Sourcing{}, storeError(s.path, err)
	}
	if len(quotes) == 0 {
		return Sourcing{}, domain.Errorf(domain.EInvalid, "SKU %s has no factory and no quote to compare", sku.Code)
	}
	factories, err := s.Factories(ctx, in.AsOf)
	if err != nil {
		return Sourcing{}, err
	}
	paused := map[string]bool{}
	for _, f := range factories {
		paused[f.ID] = f.Blocked()
	}
	compare := domain.SourcingInput{Path: sku.Path, Over: sku.Over, Rate: out.Rate, HoldingRate: out.HoldingRate, Run: in.Run, Paused: paused}
	if sku.Cost == 0 {
		compare.Uncosted = sku.FactoryID
	}
	out.Candidates, out.Best = domain.CompareSources(compare, quotes)
	if err := beyondRecords(out, sku.Code); err != nil {
		return Sourcing{}, err
	}
	if out.Best < 0 {
		return Sourcing{}, domain.Errorf(domain.EInvalid, "SKU %s has no cost and no factory has quoted it, so there is nothing to compare; set its cost, or record a quote",
			sku.Code)
	}
	currency, err := shopCurrency(ctx, s.db, s.shopID)
	if err != nil {
		return Sourcing{}, storeError(s.path, err)
	}
	out.Currency = currency
	out.Reason = domain.SourcingReason(out.Candidates, out.Best, currency)
	return out, nil
}

// beyondRecords refuses a comparison with a figure beyond the largest
// amount a shop records: it would mean nothing.
func beyondRecords(out Sourcing, code string) error {
	for _, c := range out.Candidates {
		if c.Beyond() {
			return domain.Errorf(domain.EInvalid, "at %.2f a day, the stock of %s from %s would tie up more than 9999999999999.99, the largest amount a shop records; check its cost (%s) and the rate",
				out.Rate.PerDay(), code, c.Factory, c.LandedCost)
		}
	}
	return nil
}

// candidates are the SKU's current factory at the SKU's cost (unless that
// factory has quoted it) and every quote for it.
func (s *Shop) candidates(ctx context.Context, sku domain.SKU) ([]domain.Quote, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT q.id, q.factory_id, f.name, f.location, q.unit_cost, q.shipping, q.moq, q.multiple, q.lead_days
		FROM quotes q JOIN factories f ON f.id = q.factory_id WHERE q.sku_id = ? AND q.withdrawn = 0 ORDER BY f.name COLLATE NOCASE, f.id`, sku.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var quotes []domain.Quote
	quoted := map[string]bool{}
	for rows.Next() {
		q := domain.Quote{SKUID: sku.ID}
		if err := rows.Scan(&q.ID, &q.FactoryID, &q.Factory, &q.Location, &q.UnitCost, &q.Shipping, &q.MOQ, &q.Multiple, &q.LeadDays); err != nil {
			return nil, err
		}
		q.Multiple = max(q.Multiple, 1)
		quotes = append(quotes, q)
		quoted[q.FactoryID] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if sku.FactoryID == "" || quoted[sku.FactoryID] {
		return quotes, nil
	}
	f, err := findFactoryByID(ctx, s.db, sku.FactoryID)
	if err == sql.ErrNoRows || domain.ErrorCode(err) == domain.ENotFound {
		return quotes, nil
	} else if err != nil {
		return nil, err
	}
	current := domain.Quote{FactoryID: f.ID, Factory: f.Name, Location: f.Location, SKUID: sku.ID, UnitCost: sku.Cost,
		MOQ: f.MOQ, Multiple: max(f.Multiple, 1), LeadDays: sku.LeadDays}
	return append([]domain.Quote{current}, quotes...), nil
}

// FactoryQuote is one of a factory's live quotes, with the code of the
// SKU it is for.
type FactoryQuote struct {
	domain.Quote
	Code string
}

// FactoryQuotes are the quotes a factory has given and not withdrawn, by
// SKU code: what a maker weighing it against another factory looks at.
func (s *Shop) FactoryQuotes(ctx context.Context, name string) ([]FactoryQuote, error) {
	f, err := findFactory(ctx, s.db, name)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT q.id, q.sku_id, k.code, q.unit_cost, q.shipping, q.moq, q.multiple, q.lead_days
		FROM quotes q JOIN skus k ON k.id = q.sku_id WHERE q.factory_id = ? AND q.withdrawn = 0 ORDER BY k.code COLLATE NOCASE, k.id`, f.ID)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	var out []FactoryQuote
	for rows.Next() {
		q := FactoryQuote{Quote: domain.Quote{FactoryID: f.ID, Factory: f.Name, Location: f.Location}}
		if err := rows.Scan(&q.ID, &q.SKUID, &q.Code, &q.UnitCost, &q.Shipping, &q.MOQ, &q.Multiple, &q.LeadDays); err != nil {
			return nil, storeError(s.path, err)
		}
		q.Multiple = max(q.Multiple, 1)
		out = append(out, q)
	}
	return out, storeError(s.path, rows.Err())
}
