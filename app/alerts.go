package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"microshop/domain"
)

// Alert kinds, as listed in CLI.md.
const (
	AlertStockout         = "stockout"
	AlertOversold         = "oversold"
	AlertReorder          = "reorder"
	AlertLow              = "low"
	AlertQAHold           = "qa_hold"
	AlertBatchOverdue     = "batch_overdue"
	AlertFactoryPaused    = "factory_paused"
	AlertQualityReturns   = "quality_returns"
	AlertPackagingReturns = "packaging_returns"
	AlertSyncConflict     = "sync_conflict"
	// AlertDuplicateCode: devices added SKUs with the same code while apart.
	AlertDuplicateCode = "duplicate_code"
	// AlertQuarantined: a change from another device was set aside, not
	// applied, because it breaks the shop's rules.
	AlertQuarantined = "quarantined"
	// AlertClockAhead: another device's clock runs ahead of this one's.
	AlertClockAhead = "clock_ahead"
	// AlertDelayedOrder: an imported order not shipped holds an oversold
	// SKU; its buyer should hear when it ships.
	AlertDelayedOrder = "delayed_order"
	// AlertCancelledOrder: an imported order the channel cancelled or
	// refunded since its lines were imported, not shipped, its lines not
	// voided: its units still count as sold.
	AlertCancelledOrder = "cancelled_order"
	// AlertRetiredStock: a removed location holds units, which another
	// device brought there while apart.
	AlertRetiredStock = "retired_location_stock"
	// AlertLocationRemoved: the location this device sells from was
	// removed on another device; its sales go to main meanwhile.
	AlertLocationRemoved = "device_location_removed"
)

// Alert is one thing that needs action today. Subject names what it is
// about: a SKU code, a batch id, a factory name or a conflicted field.
type Alert struct {
	Kind    string
	Subject string
	Message string
	// ToBuyer is the sentence to send the buyer of a delayed order.
	ToBuyer string
	// Day is the start of the day of a cancelled order's lines, the day
	// whose sales list voids them.
	Day time.Time
}

// Alerts lists what needs action as of asOf, most urgent kinds first.
func (s *Shop) Alerts(ctx context.Context, asOf AsOf) ([]Alert, error) {
	_, alerts, err := s.Overview(ctx, asOf)
	return alerts, err
}

// Overview is the stock of every SKU on sale and the alerts, from one read
// of the ledger: what the home screen shows.
func (s *Shop) Overview(ctx context.Context, asOf AsOf) ([]StockRow, []Alert, error) {
	snap, err := s.snapshot(ctx, asOf, "")
	if err != nil {
		return nil, nil, err
	}
	alerts, err := s.alertsFrom(ctx, snap)
	return snap.rows, alerts, err
}

func (s *Shop) alertsFrom(ctx context.Context, snap *snapshot) ([]Alert, error) {
	asOf := snap.asOf
	var out []Alert
	add := func(kind, subject, format string, args ...any) {
		out = append(out, Alert{Kind: kind, Subject: subject, Message: fmt.Sprintf(format, args...)})
	}
	for _, r := range snap.rows {
		switch {
		case r.SKU.Path == domain.PathKit:
			// A kit's stock is its parts', and each part short has its
			// own alert to count or reorder it: the kit says what stock
			// says of it, and which part, asking nothing a kit refuses.
			switch r.Status {
			case domain.StatusOversold:
				why, err := oversoldParts(ctx, s.db, r.SKU.ID, snap.rows)
				if err != nil {
					return nil, storeError(s.path, err)
				}
				add(AlertOversold, r.SKU.Code, "%s (%s) is oversold: %s", r.SKU.Code, r.SKU.Shown(), why)
			case domain.StatusStockout:
				add(AlertStockout, r.SKU.Code, "%s (%s) is out of stock: a part it takes is short", r.SKU.Code, r.SKU.Shown())
			}
		case r.Status == domain.StatusOversold:
			add(AlertOversold, r.SKU.Code, "%s (%s) is oversold: %d more sold than available; count it and reorder", r.SKU.Code, r.SKU.Shown(), -r.Available)
		case r.Status == domain.StatusStockout:
			add(AlertStockout, r.SKU.Code, "%s (%s) is out of stock", r.SKU.Code, r.SKU.Shown())
		}
	}
	for _, r := range reorderRows(snap.rows) {
		if r.Blocked {
			add(AlertReorder, r.Code, "%s needs %d more but %s is paused (%s)", r.Code, r.NeedQty, r.Factory, r.BlockReason)
			continue
		}
		// The position (on hand + on order) is said in those words: a
		// maker reading "position 3" had no way to know what it counted.
		add(AlertReorder, r.Code, "Order %d of %s from %s: %d on hand and on order, below the reorder point of %.1f",
			r.SuggestedQty, r.Code, r.Factory, r.Position, domain.Tenths(r.ReorderPoint))
	}
	for _, r := range snap.rows {
		if r.Status == domain.StatusLow && r.SKU.Path != domain.PathKit { // a kit's cover is its parts'
			add(AlertLow, r.SKU.Code, "%s has %.1f days of cover, below its minimum of %d; %d on order", r.SKU.Code, domain.Tenths(r.CoverDays), r.Plan.MinCover, r.OnOrder)
		}
	}
	for _, b := range snap.batches {
		if b.Held > 0 && b.QA == domain.QAPending {
			add(AlertQAHold, b.ID, "%s: %s held until QA passes; inspect them and pass or fail the batch", capitalized(b.Name(s.loc)), units(b.Held))
		}
	}
	for _, b := range snap.batches {
		if b.Overdue(asOf.Day.UnixMilli()) { // overdue from the day after it was due
			add(AlertBatchOverdue, b.ID, "%s was expected on %s; %d of %d units still to come", capitalized(b.Name(s.loc)),
				time.UnixMilli(b.ExpectedAt).In(s.loc).Format(time.DateOnly), b.OnOrder(), b.Ordered)
		}
	}
	for _, f := range sortedFactories(snap.factories) {
		if f.Blocked() {
			add(AlertFactoryPaused, f.Name, "Factory %s is paused: %s", f.Name, f.Reason())
		}
		if f.QualityPaused {
			add(AlertQualityReturns, f.Name, "%s: %s; inspect its stock, then %s before ordering again",
				f.Name, f.qualityState(), f.LiftQualityPause("the factory"))
		}
	}
	pkg, err := s.packagingAdvice(ctx, snap)
	if err != nil {
		return nil, err
	}
	out = append(out, pkg...)
	delayed, err := s.delayedOrderAlerts(ctx, snap)
	if err != nil {
		return nil, err
	}
	out = append(out, delayed...)
	cancelled, err := s.cancelledOrderAlerts(ctx, asOf)
	if err != nil {
		return nil, err
	}
	out = append(out, cancelled...)
	retired, err := s.retiredStockAlerts(ctx, snap.rows)
	if err != nil {
		return nil, err
	}
	out = append(out, retired...)
	removed, err := s.deviceLocationAlert(ctx)
	if err != nil {
		return nil, err
	}
	out = append(out, removed...)
	conflicts, err := s.Conflicts(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range conflicts {
		// In words and times as a maker reads them, not as stored:
		// "changed cancelled_at …, kept 2026-06-01T12:00:01Z".
		const moment, day = "2 Jan 2006 15:04", "2 Jan 2006"
		add(AlertSyncConflict, c.Entity+" "+c.Subject+" "+c.Field, "Two devices changed %s of %s at once: kept %s, the other value %s is in conflicts",
			c.FieldName(), c.What(), c.Quoted(c.Kept, moment, day), c.Quoted(c.Lost, moment, day))
	}
	dups, err := duplicateCodes(ctx, s.db)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	for _, d := range dups {
		others := ""
		for i, k := range d[1:] {
			if i > 0 {
				others += "; "
			}
			others += fmt.Sprintf("%q (id %s)", k.Name, k.ID)
		}
		add(AlertDuplicateCode, d[0].Code, "%d SKUs have the code %s, added on devices while apart: %q, and %s; the code sells, counts and shows none of them until %s",
			len(d), d[0].Code, d[0].Name, others, map[bool]string{true: "the other has a code of its own", false: "the others have codes of their own"}[len(d) == 2])
	}
	fromSync, err := s.syncAlerts(ctx)
	if err != nil {
		return nil, err
	}
	return append(out, fromSync...), nil
}

// oversoldParts says which parts of an oversold kit are oversold, and by
// how much: "a part it takes, PEN, has 2 more sold than available".
func oversoldParts(ctx context.Context, q queryer, kitID string, rows []StockRow) (string, error) {
	parts, err := storedParts(ctx, q, kitID)
	if err != nil {
		return "", err
	}
	var short []StockRow
	for _, p := range parts {
		i := slices.IndexFunc(rows, func(r StockRow) bool { return r.SKU.ID == p.SKUID })
		if i >= 0 && rows[i].Status == domain.StatusOversold {
			short = append(short, rows[i])
		}
	}
	switch len(short) {
	case 0: // none among the rows read, which hold every part on sale
		return "a part it takes has more sold than available", nil
	case 1:
		return fmt.Sprintf("a part it takes, %s, has %d more sold than available", short[0].SKU.Code, -short[0].Available), nil
	}
	each := make([]string, len(short))
	for i, r := range short {
		each[i] = fmt.Sprintf("%d of %s", -r.Available, r.SKU.Code)
	}
	return "parts it takes have more sold than available: " + strings.Join(each, ", "), nil
}

// duplicateCodes finds SKUs on sale that share a code, which happens when
// two devices add the same code while apart: each group by id, the same
// on every device. findSKU refuses such a code until one is renamed.
func duplicateCodes(ctx context.Context, q queryer) ([][]domain.SKU, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.code, s.name FROM skus s
		WHERE NOT s.archived AND s.code COLLATE NOCASE IN (
			SELECT code FROM skus WHERE NOT archived GROUP BY code COLLATE NOCASE HAVING count(*) > 1)
		ORDER BY s.code COLLATE NOCASE, s.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]domain.SKU
	for rows.Next() {
		var k domain.SKU
		if err := rows.Scan(&k.ID, &k.Code, &k.Name); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && strings.EqualFold(out[n-1][0].Code, k.Code) {
			out[n-1] = append(out[n-1], k)
		} else {
			out = append(out, []domain.SKU{k})
		}
	}
	return out, rows.Err()
}

// packagingAdvice finds SKUs on sale whose logistics returns exceed 3 % of
// units sold in the trailing 90 days. The report's rows already hold each
// SKU's sales over the last 28 days; only SKUs with such returns that
// those do not clear need the 62 days before, which s.sold keeps.
func (s *Shop) packagingAdvice(ctx context.Context, snap *snapshot) ([]Alert, error) {
	asOf := snap.asOf
	from := domain.AddDays(asOf.Day, -domain.ReturnWindowDays+1).UnixMilli()
	recent := asOf.Window().Start() // the rows' days start here
	end := asOf.End.UnixMilli()
	rows, err := s.db.QueryContext(ctx, `SELECT sku_id, sum(qty) FROM events
		WHERE kind = 'return' AND at >= ? AND at < ? AND reason IN (`+reasonList(domain.ClassLogistics)+`)
		GROUP BY sku_id`, from, end)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	returned := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, storeError(s.path, err)
		}
		returned[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	type hit struct {
		row  *StockRow
		n    int
		sold int
	}
	var hits []hit
	var older []string // SKUs whose advice depends on the older days
	for i := range snap.rows {
		r := &snap.rows[i]
		n, ok := returned[r.SKU.ID]
		if !ok {
			continue
		}
		h := hit{row: r, n: n}
		for _, d := range r.Days {
			h.sold += d.Sold
		}
		if !domain.PackagingAdvice(h.sold, n) {
			continue // more sales in 28 days than the returns allow: no advice
		}
		hits = append(hits, h)
		older = append(older, r.SKU.ID)
	}
	if len(older) > 0 && from < recent {
		sold, err := s.sold.get(ctx, s.db, from, recent, older)
		if err != nil {
			return nil, storeError(s.path, err)
		}
		for i := range hits {
			hits[i].sold += sold[hits[i].row.SKU.ID]
		}
	}
	sortBy(hits, func(h hit) string { return h.row.SKU.Code })
	var out []Alert
	for _, h := range hits {
		if domain.PackagingAdvice(h.sold, h.n) {
			code := h.row.SKU.Code
			out = append(out, Alert{Kind: AlertPackagingReturns, Subject: code, Message: fmt.Sprintf(
				"%s: %s damaged, lost or badly packed against %d sold in the last %d days (over %d %%); improve its packaging",
				code, plural(h.n, "return"), h.sold, domain.ReturnWindowDays, domain.ReturnLimitPercent)})
		}
	}
	return out, nil
}

// reasonList is the return reasons of a class as an SQL list, built from
// the one table of reasons in domain so a query never misses one.
func reasonList(class domain.ReturnClass) string {
	var parts []string
	for _, r := range domain.ReasonsOf(class) {
		parts = append(parts, "'"+strings.ReplaceAll(string(r), "'", "''")+"'")
	}
	return strings.Join(parts, ", ")
}

func sortedFactories(m map[string]FactoryView) []FactoryView {
	out := make([]FactoryView, 0, len(m))
	for _, f := range m {
		out = append(out, f)
	}
	sortBy(out, func(f FactoryView) string { return f.Name })
	return out
}

// plural is "1 unit", "2 units".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func units(n int) string { return plural(n, "unit") }

// capitalized is s with its first letter upper-case, to start a sentence.
func capitalized(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// WithoutQualityPauses leaves out the factory_paused alert of a factory
// paused for quality returns: its quality_returns alert says the same, and
// a person reading both read of the one pause twice (Today counted it as
// "1 factory paused · 1 factory paused for quality returns"). For people
// only: `alerts --json` keeps both kinds, as CLI.md lists them, for a
// script that watches factory_paused for every pause.
func WithoutQualityPauses(alerts []Alert) []Alert {
	quality := map[string]bool{}
	for _, a := range alerts {
		if a.Kind == AlertQualityReturns {
			quality[a.Subject] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(alerts), func(a Alert) bool {
		return a.Kind == AlertFactoryPaused && quality[a.Subject]
	})
}
