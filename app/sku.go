package app

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"microshop/domain"
)

// SKUFields are the fields `sku add` and `sku edit` set; nil leaves a field
// as it is (or at its default for a new SKU).
type SKUFields struct {
	Code     *string // a new code; EditSKU only
	Name     *string
	Path     *domain.SupplyPath
	Factory  *string // the factory's name; "" clears it (digital)
	Price    *domain.Money
	Cost     *domain.Money
	LeadDays *int
	MinCover *int
	MaxCover *int
	// Unset drops an override: the SKU follows its factory's lead time, or
	// its supply path's cover, again.
	UnsetLeadDays, UnsetMinCover, UnsetMaxCover bool
}

// skuRow is a SKU as stored, with its overrides.
type skuRow struct {
	domain.SKU
	over            domain.Overrides
	factoryLeadDays int
	factoryMOQ      int
	factoryMultiple int
}

const skuColumns = `s.id, s.code, s.name, s.path, s.factory_id, coalesce(f.name, ''), s.price, s.cost, s.archived,
	s.lead_days, s.min_cover, s.max_cover, coalesce(f.lead_days, 0), coalesce(f.moq, 0), coalesce(f.multiple, 1), s.options`

const skuFrom = ` FROM skus s LEFT JOIN factories f ON f.id = s.factory_id`

func scanSKU(sc interface{ Scan(...any) error }) (skuRow, error) {
	var r skuRow
	var lead, minC, maxC sql.NullInt64
	var options string
	err := sc.Scan(&r.ID, &r.Code, &r.Name, &r.Path, &r.FactoryID, &r.Factory, &r.Price, &r.Cost, &r.Archived,
		&lead, &minC, &maxC, &r.factoryLeadDays, &r.factoryMOQ, &r.factoryMultiple, &options)
	if err != nil {
		return r, err
	}
	if options != "" {
		// Read with the row, not a query per SKU; options another device
		// wrote badly show no variant, as they export none.
		if opts, err := domain.DecodeVariantOptions(options); err == nil {
			r.Variant = domain.VariantText(opts)
		}
	}
	r.over = domain.Overrides{LeadDays: intPtr(lead), MinCover: intPtr(minC), MaxCover: intPtr(maxC)}
	r.Settle(r.over, r.factoryLeadDays)
	return r, nil
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// findSKU looks a SKU up by code, ignoring case, or by its id. A code
// names one SKU: an archived one keeps its code, and the one on sale is
// meant. Two devices that added a code apart leave it on two SKUs on
// sale (see duplicateCodes); it then names neither, and is refused with
// both SKUs' names until one has a code of its own, so a sale or a count
// never lands on the other one unsaid. Each is still found by its id.
func findSKU(ctx context.Context, q queryer, code string) (skuRow, error) {
	rows, err := skusOfCode(ctx, q, code)
	if err != nil {
		return skuRow{}, err
	}
	switch {
	case len(rows) > 1 && !rows[1].Archived:
		return skuRow{}, sameCodeError(rows)
	case len(rows) > 0:
		return rows[0], nil
	}
	// Two lookups, not one with OR: bound to a parameter, the OR of two
	// columns made SQLite scan every SKU, a millisecond on a big shop.
	r, err := scanSKU(q.QueryRowContext(ctx, `SELECT `+skuColumns+skuFrom+` WHERE s.id = ?`, code))
	if err == sql.ErrNoRows {
		return r, notFound("SKU", code, domain.RemedyListSKUs)
	}
	return r, err
}

// skusOfCode are the SKUs with code, ignoring case: those on sale first,
// then by id.
func skusOfCode(ctx context.Context, q queryer, code string) ([]skuRow, error) {
	return querySKUs(ctx, q, ` WHERE s.code = ? COLLATE NOCASE ORDER BY s.archived, s.id`, code)
}

// sameCodeError refuses a code that the SKUs on sale among rows share,
// naming them as the duplicate_code alert does.
func sameCodeError(rows []skuRow) error {
	var names []string
	for _, r := range rows {
		if !r.Archived {
			names = append(names, fmt.Sprintf("%q", r.Name))
		}
	}
	list := domain.JoinAnd(names)
	return domain.Errorf(domain.EConflict, "the code %s is on %d SKUs on sale, %s, added on devices while apart, so it does not say which; give one of them a code of its own first",
		rows[0].Code, len(names), list).With(domain.RemedySameCode)
}

// codeTaken is a SKU other than self (an id, or "") that has code, one on
// sale first.
func codeTaken(ctx context.Context, q queryer, code, self string) (skuRow, bool, error) {
	rows, err := skusOfCode(ctx, q, code)
	if err != nil {
		return skuRow{}, false, err
	}
	for _, r := range rows {
		if r.ID != self {
			return r, true, nil
		}
	}
	return skuRow{}, false, nil
}

// AddSKU records a new SKU. Path and Name are required; a factory is
// required for every path but digital.
func (s *Shop) AddSKU(ctx context.Context, code string, in SKUFields) (domain.SKU, error) {
	if err := domain.ValidateCode(code); err != nil {
		return domain.SKU{}, err
	}
	if in.Path == nil {
		return domain.SKU{}, domain.Errorf(domain.EInvalid, "SKU %s needs a supply path: digital, print, microfactory or handmade", code)
	}
	if in.Name == nil {
		return domain.SKU{}, domain.Errorf(domain.EInvalid, "SKU %s needs a name", code)
	}
	var out domain.SKU
	err := s.write(ctx, func(t *txn) error {
		if other, taken, err := codeTaken(ctx, t.tx, code, ""); err != nil {
			return err
		} else if taken && other.Archived {
			// An archived SKU keeps its code: its history and labels still
			// name it, and unarchiving brings it back under that code.
			return domain.Errorf(domain.EConflict, "the code %q belongs to the archived SKU %s %q; unarchive it to sell it again, or choose another code", code, other.Code, other.Name)
		} else if taken {
			return domain.Errorf(domain.EConflict, "the code %q is taken by SKU %s %q; choose another", code, other.Code, other.Name).With(domain.RemedyEditSKU)
		}
		r := skuRow{SKU: domain.SKU{ID: newID(), Code: code}}
		fields, err := applySKUFields(ctx, t, &r, in)
		if err != nil {
			return err
		}
		fields["code"] = code
		fields["archived"] = false
		out = r.SKU
		return t.setRecord("sku", r.ID, fields)
	})
	return out, err
}

// EditSKU changes the given fields of a SKU.
func (s *Shop) EditSKU(ctx context.Context, code string, in SKUFields) (domain.SKU, error) {
	var out domain.SKU
	err := s.write(ctx, func(t *txn) error {
		r, err := findSKU(ctx, t.tx, code)
		if err != nil {
			return err
		}
		fields, err := applySKUFields(ctx, t, &r, in)
		if err != nil {
			return err
		}
		out = r.SKU
		if len(fields) == 0 {
			return nil
		}
		return t.setRecord("sku", r.ID, fields)
	})
	return out, err
}

// checkNoStock refuses to make a SKU with units on hand digital: a
// download holds no stock, so those units would vanish from every report
// and sales would no longer be checked against them.
func checkNoStock(ctx context.Context, t *txn, r skuRow) error {
	_, c, err := levelAt(ctx, t, r.ID, "", t.now)
	if err != nil {
		return err
	}
	switch n := c.level.OnHand; {
	case n > 0:
		return domain.Errorf(domain.EConflict, "SKU %s has %d units on hand, and a download holds no stock; count it to 0 first, or keep its path", r.Code, n)
	case n < 0:
		return domain.Errorf(domain.EConflict, "SKU %s is oversold by %d units, and a download holds no stock; count it first, or keep its path", r.Code, -n)
	}
	return nil
}

// applySKUFields merges in into r, validates the result and returns the
// fields that changed.
func applySKUFields(ctx context.Context, t *txn, r *skuRow, in SKUFields) (map[string]any, error) {
	fields := map[string]any{}
	if r.Path == domain.PathKit {
		if what := kitFixedField(in); what != "" {
			return nil, domain.Errorf(domain.EInvalid, "kit %s has no %s of its own: its parts %s have theirs; a kit's code, name and price can be changed",
				r.Code, what, kitPartNames(ctx, t.tx, r.ID))
		}
		in.Path, in.Factory, in.Cost = nil, nil, nil // what it holds already
	}
	if in.Code != nil && *in.Code != r.Code {
		if err := domain.ValidateCode(*in.Code); err != nil {
			return nil, err
		}
		if other, taken, err := codeTaken(ctx, t.tx, *in.Code, r.ID); err != nil {
			return nil, err
		} else if taken && other.Archived {
			return nil, domain.Errorf(domain.EConflict, "the code %q belongs to the archived SKU %s %q; choose another", *in.Code, other.Code, other.Name)
		} else if taken {
			return nil, domain.Errorf(domain.EConflict, "the code %q is taken by SKU %s %q; choose another", *in.Code, other.Code, other.Name)
		}
		r.Code, fields["code"] = *in.Code, *in.Code
	}
	if in.Name != nil {
		name, err := domain.CleanName("SKU name", *in.Name)
		if err != nil {
			return nil, err
		}
		r.Name, fields["name"] = name, name
	}
	if in.Path != nil {
		if _, err := domain.ParseSupplyPath(string(*in.Path)); err != nil {
			return nil, err
		}
		if *in.Path == domain.PathDigital && r.Path != domain.PathDigital {
			if err := checkNoStock(ctx, t, *r); err != nil {
				return nil, err
			}
		}
		r.Path, fields["path"] = *in.Path, *in.Path
		if *in.Path == domain.PathDigital && in.Factory == nil && r.FactoryID != "" {
			r.FactoryID, r.Factory, fields["factory_id"] = "", "", ""
		}
	}
	if in.Factory != nil {
		if *in.Factory == "" {
			r.FactoryID, r.Factory, r.factoryLeadDays = "", "", 0
		} else {
			f, err := findFactory(ctx, t.tx, *in.Factory)
			if err != nil {
				return nil, err
			}
			r.FactoryID, r.Factory, r.factoryLeadDays = f.ID, f.Name, f.LeadDays
		}
		fields["factory_id"] = r.FactoryID
	}
	if err := t.checkMoney(in.Price, in.Cost); err != nil {
		return nil, err
	}
	if in.Price != nil {
		r.Price, fields["price"] = *in.Price, int64(*in.Price)
	}
	if in.Cost != nil {
		r.Cost, fields["cost"] = *in.Cost, int64(*in.Cost)
	}
	for _, o := range []struct {
		field, what string
		days        *int
		unset       bool
		over        **int
	}{
		{"lead_days", "lead time", in.LeadDays, in.UnsetLeadDays, &r.over.LeadDays},
		{"min_cover", "minimum cover", in.MinCover, in.UnsetMinCover, &r.over.MinCover},
		{"max_cover", "maximum cover", in.MaxCover, in.UnsetMaxCover, &r.over.MaxCover},
	} {
		switch {
		case o.days != nil && o.unset:
			return nil, domain.Errorf(domain.EInvalid, "the %s is given as %d and as the default; give one of them", o.what, *o.days)
		case o.unset:
			*o.over, fields[o.field] = nil, nil
		case o.days != nil:
			if err := domain.ValidateDays(o.what, *o.days); err != nil {
				return nil, err
			}
			*o.over, fields[o.field] = o.days, *o.days
		}
	}
	r.Settle(r.over, r.factoryLeadDays)
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return fields, nil
}

// ArchiveSKU hides a SKU from selling and reorders; its history stays.
func (s *Shop) ArchiveSKU(ctx context.Context, code string) error {
	return s.write(ctx, func(t *txn) error {
		r, err := findSKU(ctx, t.tx, code)
		if err != nil {
			return err
		}
		if r.Archived {
			return domain.Errorf(domain.EConflict, "SKU %s is already archived", r.Code)
		}
		return t.setRecord("sku", r.ID, map[string]any{"archived": true})
	})
}

// UnarchiveSKU puts an archived SKU back on sale under its code, unless
// another SKU on sale has taken that code meanwhile. code may name it by
// its id, which tells it from a SKU on sale with the same code.
func (s *Shop) UnarchiveSKU(ctx context.Context, code string) (domain.SKU, error) {
	var out domain.SKU
	err := s.write(ctx, func(t *txn) error {
		// An archived SKU first: the code may also name one on sale now.
		r, err := scanSKU(t.tx.QueryRowContext(ctx, `SELECT `+skuColumns+skuFrom+` WHERE s.code = ?1 COLLATE NOCASE OR s.id = ?1
			ORDER BY s.id = ?1 DESC, s.archived DESC, s.id LIMIT 1`, code))
		if isNoRows(err) {
			return notFound("archived SKU", code, domain.RemedyListArchived)
		} else if err != nil {
			return err
		}
		if !r.Archived {
			return domain.Errorf(domain.EConflict, "SKU %s is not archived; it is on sale already", r.Code)
		}
		other, err := scanSKU(t.tx.QueryRowContext(ctx, `SELECT `+skuColumns+skuFrom+` WHERE s.code = ? COLLATE NOCASE
			AND s.id <> ? AND NOT s.archived ORDER BY s.id LIMIT 1`, r.Code, r.ID))
		if err == nil {
			return domain.Errorf(domain.EConflict, "SKU %s %q cannot come back under its code: the SKU on sale %s %q has that code now; give that one another code first",
				r.Code, r.Name, other.Code, other.Name)
		} else if !isNoRows(err) {
			return err
		}
		r.Archived = false
		out = r.SKU
		return t.setRecord("sku", r.ID, map[string]any{"archived": false})
	})
	return out, err
}

// SKU is one SKU by code.
func (s *Shop) SKU(ctx context.Context, code string) (domain.SKU, error) {
	r, err := findSKU(ctx, s.db, code)
	return r.SKU, err
}

// SKUs lists every SKU by code, archived ones included (Archived tells).
func (s *Shop) SKUs(ctx context.Context) ([]domain.SKU, error) {
	rows, err := listSKUs(ctx, s.db)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	out := make([]domain.SKU, len(rows))
	for i, r := range rows {
		out[i] = r.SKU
	}
	return out, nil
}

func listSKUs(ctx context.Context, q queryer) ([]skuRow, error) {
	return querySKUs(ctx, q, ` ORDER BY s.code COLLATE NOCASE, s.id`)
}

// querySKUs reads the SKUs the query's tail (its WHERE and ORDER BY) picks.
func querySKUs(ctx context.Context, q queryer, tail string, args ...any) ([]skuRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+skuColumns+skuFrom+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []skuRow
	for rows.Next() {
		r, err := scanSKU(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// skuCache keeps the whole SKU list, with its factories' terms, between
// whole-shop reports: reading 5,000 SKUs was a tenth of a report. It is
// good while records_gen, bumped by every record change on any device or
// process, is unchanged.
type skuCache struct {
	mu   sync.Mutex
	gen  int64
	rows []skuRow // shared: callers must not change it
	// byCode indexes rows by code folded as SQLite's NOCASE folds it,
	// the one findSKU would pick first, or -1 for a code two SKUs on sale
	// share; made on first need.
	byCode map[string]int
}

// lookup is the SKU findSKU finds by code, from the list while it is of
// records generation gen; false when the list is not, or has no such code
// (findSKU then looks, by id too, and says what is wrong).
func (c *skuCache) lookup(gen int64, code string) (skuRow, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rows == nil || c.gen != gen {
		return skuRow{}, false
	}
	if c.byCode == nil {
		c.byCode = make(map[string]int, len(c.rows))
		for i, r := range c.rows {
			k := foldASCII(r.Code)
			switch j, ok := c.byCode[k]; {
			case !ok:
				c.byCode[k] = i
			case j >= 0 && !r.Archived && !c.rows[j].Archived:
				c.byCode[k] = -1 // on two SKUs on sale: findSKU refuses it
			case j >= 0 && firstFound(r, c.rows[j]):
				c.byCode[k] = i
			}
		}
	}
	i, ok := c.byCode[foldASCII(code)]
	if !ok || i < 0 {
		return skuRow{}, false
	}
	return c.rows[i], true
}

// firstFound reports whether findSKU would pick a before b among SKUs of
// one code: not archived first, then by id.
func firstFound(a, b skuRow) bool {
	if a.Archived != b.Archived {
		return !a.Archived
	}
	return a.ID < b.ID
}

// foldASCII lowers ASCII letters only, as SQLite's NOCASE does.
func foldASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// findSKUCached is findSKU through the whole-shop reports' SKU list when
// it is current, which a sale at the stall finds in memory after one
// meta read instead of a join.
func (s *Shop) findSKUCached(ctx context.Context, q queryer, code string) (skuRow, error) {
	gen, err := getMetaInt(ctx, q, "records_gen")
	if err != nil {
		return skuRow{}, err
	}
	if r, ok := s.skuList.lookup(gen, code); ok {
		return r, nil
	}
	return findSKU(ctx, q, code)
}

func (c *skuCache) get(ctx context.Context, q queryer) ([]skuRow, error) {
	gen, err := getMetaInt(ctx, q, "records_gen")
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rows != nil && c.gen == gen {
		return c.rows, nil
	}
	rows, err := listSKUs(ctx, q)
	if err != nil {
		return nil, err
	}
	if rows == nil {
		rows = []skuRow{}
	}
	c.gen, c.rows, c.byCode = gen, rows, nil
	return rows, nil
}
