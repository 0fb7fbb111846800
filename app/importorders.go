package app

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"microshop/domain"
)

// ImportRequest is what `import` asks for.
type ImportRequest struct {
	Path        string
	Format      string            // auto when empty
	DryRun      bool              // say what would happen, write nothing
	Map         map[string]string // a channel's SKU to the shop's code
	SkipUnknown bool              // skip order lines whose SKU the shop lacks
	// SupplyPath and Factory are the supply path and factory of the SKUs a
	// listing file adds; Update also changes name and price of those the
	// shop has.
	SupplyPath domain.SupplyPath
	Factory    string
	Update     bool
	// Progress, when set, hears how many of an order file's sales are
	// recorded, of how many, as a long import goes on.
	Progress func(done, total int)
}

// orderLine is one line of a channel's order, read and checked.
type orderLine struct {
	line    int
	key     string // the channel's own key for the line
	order   string
	code    string // the channel's SKU; the shop's code once resolved
	name    string // the item's name on the channel, which maps a line without a SKU
	sku     skuRow // the shop's SKU, once resolved
	qty     int
	price   domain.Money
	off     domain.Money // taken off the whole line, as the channel discounted it
	at      time.Time
	shipped time.Time // when its order shipped; zero while open
	skipped bool
	// cancelled is when a skipped line's order was cancelled, as the file
	// says; zero when it does not say.
	cancelled time.Time
	// pos is a Shopify line's place in its order, from 1, which its key
	// ends in; 0 for Etsy's.
	pos int
	// partRefunded tells a line of an order partially refunded: counted
	// whole, as the file does not say which line was refunded.
	partRefunded bool
	heldID       string // imported before as this sale, under a map this import lacks: there already

	// currency is the shop's, which the line's prices are in: its
	// discount is shared among its units in the currency's smallest unit.
	currency string
}

// Import reads a channel's file and records what it holds, all or
// nothing: a file with any bad row changes nothing, and the result lists
// every bad row by its line.
func (s *Shop) Import(ctx context.Context, req ImportRequest) (ImportResult, error) {
	res := ImportResult{DryRun: req.DryRun}
	t, err := readCSVFile(req.Path)
	if err != nil {
		return res, err
	}
	if res.Format, err = importFormat(t, req.Format); err != nil {
		return res, err
	}
	res.Rows = len(t.rows)
	if res.Format == FormatEtsyListings || res.Format == FormatShopifyProducts {
		return s.importListingFile(ctx, t, req, res)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return res, err
	}
	var stock *stockAhead
	if req.DryRun {
		// What is available now, read while the file is checked.
		stock = s.readStockAhead(ctx)
		defer stock.stop()
	}
	res.currency = info.Currency
	lines, errs, err := s.readOrderLines(t, res.Format, info.Currency)
	if err != nil {
		return res, err
	}
	res.Errors, res.noShipColumn = errs, !t.has(shipColumn(res.Format))
	if len(res.Errors) == 0 && len(t.rows) == 0 {
		return res, domain.Errorf(domain.EInvalid, "%s has a header but no rows; nothing to import", t.file)
	}
	// The lines hold what the import needs of the rows; let the rows go,
	// so the collector does not trace a hundred thousand of them again
	// and again while the sales are written.
	t.rows, t.lines = nil, nil
	channel := "etsy"
	if res.Format == FormatShopifyOrders {
		channel = "shopify"
	}
	var sold fileSales
	err = s.write(ctx, func(tx *txn) error { return s.importOrderLines(ctx, tx, t.file, channel, lines, req, &res, &sold) })
	if err == errDryRun {
		sold.shipped = shippedOrders(lines)
		res.Oversold, err = s.importOversold(ctx, stock, sold)
	}
	return res, err
}

// importOrderLines maps the lines to the shop's SKUs and records their
// sales; a line refused refuses the file, and a dry run ends in errDryRun,
// leaving in sold the sales it would record.
func (s *Shop) importOrderLines(ctx context.Context, tx *txn, file, channel string, lines []orderLine, req ImportRequest, res *ImportResult, sold *fileSales) error {
	err := s.resolveOrderLines(ctx, tx, channel, lines, req, res)
	if err == errNoSKUsYet {
		return domain.Errorf(domain.EInvalid, "%s was not imported, nothing was written: the shop has no SKUs yet, so none of its orders can be recorded; import the Etsy listings or Shopify products file first, which adds them", file)
	}
	if err == nil && len(res.Errors) == 0 {
		err = s.recordOrderLines(ctx, tx, channel, lines, res, req.Progress, sold)
	}
	switch {
	case err != nil:
		return err
	case len(res.Errors) > 0:
		return importRefused(file, res.Errors)
	case req.DryRun:
		return errDryRun
	}
	return nil
}

// importFormat is the format asked for, or the one the header tells. A
// format asked for must fit the header: every row of a file read as
// another format was refused, field by field.
func importFormat(t *csvTable, asked string) (string, error) {
	if asked == "" || asked == "auto" {
		return detectFormat(t)
	}
	if !slices.Contains(ImportFormats, asked) || t.fits(asked) {
		return asked, nil // an unknown format is refused where it is read
	}
	if detected, err := detectFormat(t); err == nil {
		return "", domain.Errorf(domain.EInvalid, "%s is not %s (%s): its header (line 1) lacks that format's columns, and reads as %s (%s)",
			t.file, FormatText(asked), asked, FormatText(detected), detected)
	}
	return "", domain.Errorf(domain.EInvalid, "%s is not %s (%s): its header (line 1) lacks that format's columns", t.file, FormatText(asked), asked)
}

// readOrderLines reads an order file's lines in its format, each in the
// shop's currency.
func (s *Shop) readOrderLines(t *csvTable, format, currency string) ([]orderLine, []ImportError, error) {
	switch format {
	case FormatEtsyOrders:
		lines, errs := s.etsyOrderLines(t, currency)
		return lines, errs, nil
	case FormatShopifyOrders:
		lines, errs := s.shopifyOrderLines(t, currency)
		return lines, errs, nil
	}
	return nil, nil, domain.Errorf(domain.EInvalid, "%s is not an import format; use %s", domain.QuoteShort(format), strings.Join(ImportFormats, ", "))
}

// importListingFile adds (and with Update updates) the SKUs of a
// listing or product file, all or nothing.
func (s *Shop) importListingFile(ctx context.Context, t *csvTable, req ImportRequest, res ImportResult) (ImportResult, error) {
	info, err := s.Info(ctx)
	if err != nil {
		return res, err
	}
	rows, withoutSKU, errs := listingRows(t, res.Format, info.Currency)
	errs = append(errs, repeatedListings(rows)...)
	res.Errors, res.WithoutSKU, res.UnnamedVariants = errs, withoutSKU, unnamedListings(rows)
	if len(errs) > 0 {
		return res, importRefused(t.file, errs)
	}
	if len(rows) == 0 && len(withoutSKU) > 0 {
		return res, domain.Errorf(domain.EInvalid, "%s has no listing with a SKU, and the shop knows a SKU by its code; give the listings SKUs on the channel, then export the file again", t.file)
	}
	if len(rows) == 0 {
		return res, domain.Errorf(domain.EInvalid, "%s has a header but no rows; nothing to import", t.file)
	}
	err = s.write(ctx, func(tx *txn) error {
		if err := s.importListings(ctx, tx, rows, req, &res); err != nil {
			return domain.Errorf(domain.ErrorCode(err), "%s was not imported, nothing was written: %s", t.file, domain.ErrorMessage(err)).With(domain.RemedyOf(err))
		}
		if req.DryRun {
			return errDryRun
		}
		return nil
	})
	if err == errDryRun {
		err = nil
	}
	return res, err
}

// errNoSKUsYet refuses an orders file in a shop without SKUs.
var errNoSKUsYet = fmt.Errorf("the shop has no SKUs yet")

// errDryRun rolls a dry run's transaction back after it has counted.
var errDryRun = fmt.Errorf("dry run")

func importRefused(file string, errs []ImportError) error {
	if len(errs) > 1 && oneReason(errs) {
		lines := make([]string, len(errs))
		for i, e := range errs {
			lines[i] = strconv.Itoa(e.Line)
		}
		return domain.Errorf(domain.EInvalid, "%s was not imported, nothing was written: %d rows cannot be imported, all for one reason (lines %s): %s",
			file, len(errs), firstFew(lines), errs[0].Message)
	}
	var b strings.Builder
	for i, e := range errs {
		if i == MaxReportedErrors {
			fmt.Fprintf(&b, "; and %d more", len(errs)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.String())
	}
	rows := fmt.Sprintf("%d rows cannot", len(errs))
	if len(errs) == 1 {
		rows = "1 row cannot"
	}
	return domain.Errorf(domain.EInvalid, "%s was not imported, nothing was written: %s be imported: %s", file, rows, b.String())
}

// oneReason reports whether every row was refused for the same reason, as
// each row of a file in another currency is: the reason is then said once,
// not twenty times over.
func oneReason(errs []ImportError) bool {
	for _, e := range errs[1:] {
		if e.Message != errs[0].Message {
			return false
		}
	}
	return true
}

// sellsAny tells whether any line would record a sale, not skipped nor
// left out as asked.
func sellsAny(lines []orderLine, req ImportRequest) bool {
	return !req.SkipUnknown && slices.ContainsFunc(lines, func(l orderLine) bool { return !l.skipped })
}

// skuCodes are the SKUs on sale by code as the shop has it, which is how
// the channel nearly always has it too, and in lower case for the rest;
// the archived ones' codes, in lower case; and, by code in lower case,
// the refusal of each code two SKUs on sale share (added on devices
// apart), which names neither.
func skuCodes(skus []skuRow) (known map[string]skuRow, archived map[string]bool, shared map[string]error) {
	known = make(map[string]skuRow, 2*len(skus))
	archived = map[string]bool{}
	same := map[string][]skuRow{}
	for _, r := range skus {
		if !r.Archived {
			known[r.Code] = r
			known[strings.ToLower(r.Code)] = r
			same[strings.ToLower(r.Code)] = append(same[strings.ToLower(r.Code)], r)
		} else {
			archived[strings.ToLower(r.Code)] = true
		}
	}
	shared = map[string]error{}
	for code, rows := range same {
		if len(rows) > 1 {
			shared[code] = sameCodeError(rows)
		}
	}
	return known, archived, shared
}

// resolveOrderLines maps each line's SKU to the shop's code, noting lines
// whose SKU the shop lacks as errors, or skipped when asked.
func (s *Shop) resolveOrderLines(ctx context.Context, tx *txn, channel string, lines []orderLine, req ImportRequest, res *ImportResult) error {
	skus, err := listSKUs(ctx, tx.tx)
	if err != nil {
		return storeError(s.path, err)
	}
	if len(skus) == 0 && sellsAny(lines, req) {
		// A new shop's first import: every line was refused on its own,
		// with advice to map SKUs the shop could not have.
		return errNoSKUsYet
	}
	known, archived, shared := skuCodes(skus)
	if err := checkMap(req.Map, known, archived, shared); err != nil {
		return err
	}
	heldUnknown, err := s.heldUnknownLines(ctx, tx, channel, lines, req.Map, known)
	if err != nil {
		return storeError(s.path, err)
	}
	unmapped := map[string]bool{}
	for i := range lines {
		l := &lines[i]
		code := mappedCode(*l, req.Map)
		ours, ok := known[code]
		if !ok {
			ours, ok = known[strings.ToLower(code)]
		}
		switch {
		case ok:
			l.code, l.sku = ours.Code, ours
			// A code two SKUs share, or a date in the future or before
			// 2000, checked with the rest so that a refusal lists every
			// bad line at once.
			if err := cmp.Or(shared[strings.ToLower(ours.Code)], tx.checkAt(l.at)); err != nil && !l.skipped {
				res.Errors = append(res.Errors, ImportError{l.line, domain.ErrorMessage(err)})
			}
		case l.skipped:
		case heldUnknown[i] != "":
			l.heldID = heldUnknown[i]
		case req.SkipUnknown:
			l.skipped = true
			res.leaveOut(code, l.name, unmapped)
		case code == "":
			res.Errors = append(res.Errors, ImportError{l.line, fmt.Sprintf("the item %s has no SKU; give the listing a SKU on the channel, or map the item's name to a code", domain.QuoteShort(l.name))})
			res.Unmapped = appendOnce(res.Unmapped, unmapped, l.name)
		default:
			res.Errors = append(res.Errors, ImportError{l.line, fmt.Sprintf("the shop has no SKU %s; add it, or map the channel's SKU to a code", domain.QuoteShort(code))})
			res.Unmapped = appendOnce(res.Unmapped, unmapped, code)
		}
	}
	checkRepeatedKeys(lines, res)
	slices.SortStableFunc(res.Errors, func(a, b ImportError) int { return cmp.Compare(a.Line, b.Line) })
	return nil
}

// heldUnknownLines are the lines whose SKU the shop lacks (by code or
// map) that it holds already, imported before under a map: as a line, or
// as a kit's first part's, by that sale's id. They are there already, not
// unknown.
func (s *Shop) heldUnknownLines(ctx context.Context, tx *txn, channel string, lines []orderLine, m map[string]string, known map[string]skuRow) (map[int]string, error) {
	var ids []string
	at := map[string]int{}
	for i, l := range lines {
		code := mappedCode(l, m)
		if _, ok := known[code]; ok || l.skipped {
			continue
		}
		if _, ok := known[strings.ToLower(code)]; ok {
			continue
		}
		for _, id := range []string{importedSaleID(s.shopID, channel, l.key), kitPartSaleID(s.shopID, channel, l.key, 0)} {
			ids = append(ids, id)
			at[id] = i
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	held, err := heldEvents(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	out := map[int]string{}
	for id := range held {
		if held[id] {
			out[at[id]] = id
		}
	}
	return out, nil
}

// appendOnce appends s to list unless seen holds it, and marks it seen.
func appendOnce(list []string, seen map[string]bool, s string) []string {
	if seen[s] {
		return list
	}
	seen[s] = true
	return append(list, s)
}

// mappedCode is the code the map gives a line's SKU, or, for a line
// without one, its item's name; else the line's SKU.
func mappedCode(l orderLine, m map[string]string) string {
	if mapped, ok := m[l.code]; ok {
		return mapped
	}
	if mapped, ok := m[l.name]; ok && l.code == "" {
		return mapped
	}
	return l.code
}

// checkRepeatedKeys refuses a line whose key (Etsy's Transaction ID) an
// earlier line of the file has with another SKU, quantity or price. The
// same line twice (an export saved over itself) is recorded once by its
// key, so the second would be lost without a word.
func checkRepeatedKeys(lines []orderLine, res *ImportResult) {
	first := map[string]int{}
	for i, l := range lines {
		j, seen := first[l.key]
		if !seen {
			first[l.key] = i
			continue
		}
		if f := lines[j]; f.code != l.code || f.qty != l.qty || f.price != l.price || f.off != l.off {
			res.Errors = append(res.Errors, ImportError{l.line, fmt.Sprintf("it has the key %s of line %d with another SKU, quantity or price; the channel gives each line a key of its own, so correct the file",
				domain.QuoteShort(l.key), f.line)})
		}
	}
}

// checkMap refuses a map that sends a channel's SKU to a code the shop
// does not sell: skipping its lines as unknown would hide the typo.
func checkMap(m map[string]string, known map[string]skuRow, archived map[string]bool, shared map[string]error) error {
	theirs := slices.Sorted(maps.Keys(m))
	for _, t := range theirs {
		code := m[t]
		switch lower := strings.ToLower(code); {
		case shared[lower] != nil:
			return shared[lower]
		case known[code].ID != "" || known[lower].ID != "":
		case archived[lower]:
			return domain.Errorf(domain.EConflict, "the map sends %s to %s, which is archived and no longer sold; unarchive it, or map to another code",
				domain.QuoteShort(t), domain.QuoteShort(code))
		default:
			return domain.Errorf(domain.ENotFound, "the map sends %s to %s, and the shop has no SKU %s; map to one of the shop's codes",
				domain.QuoteShort(t), domain.QuoteShort(code), domain.QuoteShort(code)).With(domain.RemedyListSKUs)
		}
	}
	return nil
}

// heldEvents reports which of ids are events the shop holds.
func heldEvents(ctx context.Context, tx *txn, ids []string) (map[string]bool, error) {
	held := make(map[string]bool)
	err := eachRowIn(ctx, tx.tx, `SELECT entity_id FROM changes WHERE at IS NOT NULL AND entity_id IN %s`, ids, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		held[id] = true
		return err
	})
	return held, err
}

// eachRowIn runs query, whose %s is the list of an IN condition, for keys
// a few hundred at a time, and gives each row it reads to row.
func eachRowIn(ctx context.Context, q queryer, query string, keys []string, row func(*sql.Rows) error) error {
	const chunk = 500
	// Always chunk values, the last one repeated, so the statement is
	// one the writer prepares once, not one for every length.
	query = fmt.Sprintf(query, "(?"+strings.Repeat(", ?", chunk-1)+")")
	args := make([]any, chunk)
	for i := 0; i < len(keys); i += chunk {
		part := keys[i:min(i+chunk, len(keys))]
		for j := range args {
			args[j] = part[min(j, len(part)-1)]
		}
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := row(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// importSpace makes an imported sale's id from the shop, the channel and
// the channel's key for the line, so the same line imported on two devices
// is one sale once they sync.
var importSpace = uuid.MustParse("3f6d2a8e-9c41-4b7a-8e25-7d0c5b1a6e93")

func importedSaleID(shopID, channel, key string) string {
	return uuid.NewSHA1(importSpace, []byte(shopID+"\x00"+channel+"\x00"+key)).String()
}

// recordOrderLines records each line as a sale on the channel, at the
// order's time, paid "other", even beyond stock: the channel sold it. A
// line whose sales are refused is added to the result's Errors, and
// nothing is recorded. A dry run records nothing and leaves its sales in
// sold.
func (s *Shop) recordOrderLines(ctx context.Context, tx *txn, channel string, lines []orderLine, res *ImportResult, progress func(done, total int), sold *fileSales) error {
	batch, err := s.orderSales(ctx, tx, channel, lines, res)
	if err != nil || len(res.Errors) > 0 {
		return err
	}
	if res.Withdrawn, err = s.withdrawnOrders(ctx, tx, channel, lines); err != nil {
		return err
	}
	res.PartlyRefunded = partlyRefundedOrders(lines)
	if res.ShippingUnknown, err = s.ordersLeftOpen(ctx, tx, channel, lines, res); err != nil {
		return err
	}
	if !res.DryRun {
		if err := tx.bulkWrite(); err != nil {
			return err
		}
	}
	if err := s.markShipped(ctx, tx, channel, lines, res); err != nil {
		return err
	}
	if err := s.markWithdrawn(ctx, tx, channel, lines, res); err != nil {
		return err
	}
	res.FirstSale, res.LastSale = s.salesSpan(batch)
	if res.CountedOpen, err = s.countedOpen(ctx, tx.tx, batch, shippedOrders(lines)); err != nil {
		return err
	}
	if res.DryRun {
		sold.batch = batch
		return nil // counted and checked; a dry run writes nothing
	}
	if err := s.ledgerOrder(ctx, tx, batch); err != nil {
		return err
	}
	if progress == nil {
		return tx.addEvents(batch)
	}
	const step = 2000
	for i := 0; i < len(batch); i += step {
		if err := tx.addEvents(batch[i:min(i+step, len(batch))]); err != nil {
			return err
		}
		progress(min(i+step, len(batch)), len(batch))
	}
	return nil
}

// withdrawnOrders are the orders, each once, that the file shows
// cancelled or refunded and whose lines were imported before, unvoided:
// skipped like any cancelled line, they still counted in stock and
// takings, and the import said only "skipped", as if it had seen to them.
func (s *Shop) withdrawnOrders(ctx context.Context, tx *txn, channel string, lines []orderLine) ([]string, error) {
	var skipped []orderLine
	for _, l := range lines {
		if l.skipped {
			skipped = append(skipped, l)
		}
	}
	if len(skipped) == 0 {
		return nil, nil
	}
	ids := s.lineIDs(channel, skipped)
	held, err := heldEvents(ctx, tx, ids)
	if err != nil || len(held) == 0 {
		return nil, err
	}
	voided := map[string]bool{}
	err = eachRowIn(ctx, tx.tx, `SELECT ref FROM changes WHERE entity = 'void' AND ref IN %s`, ids, func(rows *sql.Rows) error {
		var ref string
		err := rows.Scan(&ref)
		voided[ref] = true
		return err
	})
	var orders []string
	seen := map[string]bool{}
	for i, l := range skipped {
		if held[ids[i]] && !voided[ids[i]] && !seen[l.order] {
			seen[l.order] = true
			orders = append(orders, l.order)
		}
	}
	return orders, err
}

// salesSpan is when the earliest and the latest of batch's sales happened;
// zero times when there are none.
func (s *Shop) salesSpan(batch []event) (first, last time.Time) {
	if len(batch) == 0 {
		return first, last
	}
	lo, hi := batch[0].At, batch[0].At
	for _, e := range batch {
		lo, hi = min(lo, e.At), max(hi, e.At)
	}
	return time.UnixMilli(lo).In(s.loc), time.UnixMilli(hi).In(s.loc)
}

// SalesDated says when the new sales happened, for a summary: "dated
// 5 December 2026", or "dated 12 June 2026 to 5 December 2026"; "" when
// there are none.
func (r ImportResult) SalesDated() string {
	const day = "2 January 2006"
	switch {
	case r.FirstSale.IsZero():
		return ""
	case r.FirstSale.Format(day) == r.LastSale.Format(day):
		return "dated " + r.FirstSale.Format(day)
	}
	return "dated " + r.FirstSale.Format(day) + " to " + r.LastSale.Format(day)
}

// orderSales are the sales of the lines not skipped nor held already,
// each checked as a sale another device sent would be; the lines refused
// are added to the result's Errors.
func (s *Shop) orderSales(ctx context.Context, tx *txn, channel string, lines []orderLine, res *ImportResult) ([]event, error) {
	ids, other := s.lineIDs(channel, lines), s.otherLineIDs(channel, lines)
	held, err := heldEvents(ctx, tx, append(slices.Clone(ids), other...))
	if err != nil {
		return nil, storeError(s.path, err)
	}
	batch := make([]event, 0, len(lines))
	var again []int // the lines held already as sales of their own kind, to compare
	for i, l := range lines {
		if l.skipped {
			res.Skipped++
			continue
		}
		if held[ids[i]] || held[other[i]] {
			res.Duplicates++
			if held[ids[i]] && l.heldID == "" {
				again = append(again, i)
			}
			continue
		}
		held[ids[i]] = true // a line twice in the file counts once
		res.Sales++
		if off, ok := domain.AddMoney(res.Discounts, l.off); ok {
			res.Discounts = off
		}
		sales, err := s.lineSales(ctx, tx, channel, l, ids[i])
		for j := 0; err == nil && j < len(sales); j++ {
			err = checkEvent(&sales[j]) // here, where a dry run checks too
		}
		if err != nil {
			if domain.ErrorCode(err) != domain.EInvalid {
				return nil, err
			}
			res.Errors = append(res.Errors, ImportError{l.line, domain.ErrorMessage(err)})
		}
		batch = append(batch, sales...)
	}
	if res.Edited, err = s.editedLines(ctx, tx, channel, lines, ids, again); err != nil {
		return nil, storeError(s.path, err)
	}
	return batch, nil
}

// lineIDs are the ids of the sales imported lines record, the same on
// every device: a kit's line is known by its first part's.
func (s *Shop) lineIDs(channel string, lines []orderLine) []string {
	ids := make([]string, len(lines))
	for i, l := range lines {
		switch {
		case l.heldID != "":
			ids[i] = l.heldID
		case l.sku.Path == domain.PathKit:
			ids[i] = kitPartSaleID(s.shopID, channel, l.key, 0)
		default:
			ids[i] = importedSaleID(s.shopID, channel, l.key)
		}
	}
	return ids
}

// otherLineIDs are the ids the lines' sales would have had as the other
// kind, a kit's where the line is a SKU's now and a SKU's where it is a
// kit's; "" for a line held already. A line imported under a map to a SKU
// and imported again mapped to a kit, or the other way round, was
// recorded again, the order sold twice.
func (s *Shop) otherLineIDs(channel string, lines []orderLine) []string {
	ids := make([]string, len(lines))
	for i, l := range lines {
		switch {
		case l.heldID != "":
		case l.sku.Path == domain.PathKit:
			ids[i] = importedSaleID(s.shopID, channel, l.key)
		default:
			ids[i] = kitPartSaleID(s.shopID, channel, l.key, 0)
		}
	}
	return ids
}

// lineSales is the sale an imported line records, under id; a kit's, its
// parts' (kitPartSales). A line whose discount its units do not share
// evenly is two sales (domain.LineRuns), the second one smallest unit of
// the currency cheaper a unit, under an id made from the line's key as the
// first's is, so the line comes to exactly what the buyer paid and counts
// once however often it is imported.
func (s *Shop) lineSales(ctx context.Context, tx *txn, channel string, l orderLine, id string) ([]event, error) {
	var out []event
	for i, run := range domain.LineRuns(l.price, l.qty, l.off, l.currency) {
		key := l.key
		if i > 0 {
			key = oddUnitsKey(l.key)
			id = importedSaleID(s.shopID, channel, key)
			if l.sku.Path == domain.PathKit {
				id = kitPartSaleID(s.shopID, channel, key, 0)
			}
		}
		sale := event{Kind: kindSale, ID: id, SKUID: l.sku.ID, At: l.at.UnixMilli(), Qty: run.Qty, Price: int64(run.Price), Discount: int64(run.Off),
			Channel: channel, FactoryID: l.sku.FactoryID, Order: l.order, Payment: string(domain.PaymentOther)}
		if l.sku.Path != domain.PathKit {
			out = append(out, sale)
			continue
		}
		parts, err := s.kitPartSales(ctx, tx, sale, l.sku, channel, key, l.currency)
		if err != nil {
			return nil, err
		}
		out = append(out, parts...)
	}
	return out, nil
}

// oddUnitsKey is the key of the units of a line that its discount's odd
// smallest units make one cheaper (lineSales).
func oddUnitsKey(key string) string { return key + "\x00odd units" }

// kitPartSales is an imported line selling a kit as its parts' lines, as
// the till sells one (sellKit): each part's units at its share of the
// line's price in currency (domain.KitRuns), every line naming the first
// as its Ref, with ids made from the line's key and the part's place in
// the kit, the same on every device.
func (s *Shop) kitPartSales(ctx context.Context, tx *txn, sale event, kit skuRow, channel, key, currency string) ([]event, error) {
	parts, rows, err := kitPartRows(ctx, tx, kit)
	if err != nil {
		return nil, err
	}
	runs := domain.KitRuns(domain.Money(sale.Price), domain.Money(sale.Discount), listPrices(rows), partQty(parts), currency)
	out := make([]event, len(runs))
	for i, run := range runs {
		e, r := sale, rows[run.Part]
		e.ID, e.SKUID, e.FactoryID, e.Ref = kitRunSaleID(s.shopID, channel, key, runs, i), r.ID, r.FactoryID, sale.ID
		e.Kit, e.KitQty = kit.ID, sale.Qty
		e.Qty, e.Price, e.Discount = sale.Qty*run.Qty, int64(run.Price), int64(run.Off)
		if err := domain.ValidateQty(e.Qty); err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// kitRunSaleID is the id of runs[i]'s sale: its part's first run is
// known by the part's place in the kit, as when every part was one line,
// and the runs after it by their place too.
func kitRunSaleID(shopID, channel, key string, runs []domain.KitRun, i int) string {
	run := runs[i]
	if i == 0 || runs[i-1].Part != run.Part {
		return kitPartSaleID(shopID, channel, key, run.Part)
	}
	return kitPartSaleID(shopID, channel, key+"\x00odd cents "+strconv.Itoa(i), run.Part)
}

func kitPartSaleID(shopID, channel, key string, part int) string {
	return importedSaleID(shopID, channel, key+"\x00part "+strconv.Itoa(part))
}

// ledgerOrder sorts sales by time and SKU, the order of the ledger's
// indexes by day and by time: logged so, each sale goes in next to the one
// before, where an export's own order (by order, newest first, or none)
// sent every sale to a page of its own. Etsy dates all of a day's sales at
// noon, so without the SKU a day's thousands would still go in anywhere
// among each other.
func (s *Shop) ledgerOrder(ctx context.Context, tx *txn, batch []event) error {
	type place struct{ at, sku, i int64 }
	places := make([]place, len(batch))
	for i, e := range batch {
		n, err := s.skuKey(ctx, tx.tx, e.SKUID)
		if err != nil {
			return storeError(s.path, err)
		}
		places[i] = place{e.At, n, int64(i)}
	}
	slices.SortFunc(places, func(a, b place) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.sku, b.sku), cmp.Compare(a.i, b.i))
	})
	sorted := make([]event, len(batch))
	for i, p := range places {
		sorted[i] = batch[p.i]
	}
	copy(batch, sorted)
	return nil
}

// orderRecordID is the id of an imported order's record: the same on
// every device that imports it.
func orderRecordID(shopID, channel, number string) string {
	return importedSaleID(shopID, channel, "order\x00"+number)
}

// orderFields are the fields of an imported order's record.
var orderFields = []string{"channel", "number", "shipped_at"}

// markShipped records the orders the file shows as shipped that the shop
// has as open, once each; an order never goes back to open. The orders
// the shop has no record of, nearly all, are written together.
func (s *Shop) markShipped(ctx context.Context, tx *txn, channel string, lines []orderLine, res *ImportResult) error {
	shipped := map[string]time.Time{}
	for _, l := range lines {
		if !l.skipped && !l.shipped.IsZero() && l.shipped.After(shipped[l.order]) {
			shipped[l.order] = l.shipped
		}
	}
	numbers := make([]string, 0, len(shipped))
	for n := range shipped {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	ids := make([]string, len(numbers))
	for i, number := range numbers {
		ids[i] = orderRecordID(s.shopID, channel, number)
	}
	held, err := orderRecords(ctx, tx, ids)
	if err != nil {
		return storeError(s.path, err)
	}
	var fresh []newRecord
	for i, number := range numbers {
		rec, ok := held[ids[i]]
		if rec.shippedAt != 0 {
			continue
		}
		res.Shipped++
		if res.DryRun {
			continue
		}
		values := []any{channel, number, shipped[number].UnixMilli()}
		if !ok {
			fresh = append(fresh, newRecord{id: ids[i], values: values})
			continue
		}
		// The shop holds a version of the order already: the change
		// names it as the one it replaces.
		fields := map[string]any{}
		for j, f := range orderFields {
			fields[f] = values[j]
		}
		if err := tx.setRecord("order", ids[i], fields); err != nil {
			return err
		}
	}
	// In the order of their ids, the keys of the rows they make: each
	// page of those tables is then written once, not once a record.
	slices.SortFunc(fresh, func(a, b newRecord) int { return strings.Compare(a.id, b.id) })
	return tx.addNewRecords("order", orderFields, fresh)
}

// markWithdrawn records, once each, the orders of res.Withdrawn that the
// file shows cancelled or refunded whole, at the time it gives or else
// now: not shipped, they are no longer open, and Today asks for their
// lines to be voided. An order the file still has a line of to send (one
// item of it refunded) is still open.
func (s *Shop) markWithdrawn(ctx context.Context, tx *txn, channel string, lines []orderLine, res *ImportResult) error {
	if res.DryRun || len(res.Withdrawn) == 0 {
		return nil
	}
	numbers, at := withdrawnWhole(lines, res.Withdrawn)
	ids := make([]string, len(numbers))
	for i, n := range numbers {
		ids[i] = orderRecordID(s.shopID, channel, n)
	}
	held, err := orderRecords(ctx, tx, ids)
	if err != nil {
		return storeError(s.path, err)
	}
	for i, number := range numbers {
		if held[ids[i]].withdrawnAt != 0 {
			continue
		}
		when := at[number]
		if when.IsZero() || tx.checkAt(when) != nil {
			when = tx.now
		}
		if err := tx.setRecord("order", ids[i], map[string]any{"channel": channel, "number": number, "withdrawn_at": when.UnixMilli()}); err != nil {
			return err
		}
	}
	return nil
}

// withdrawnWhole are the orders of withdrawn every line of which the
// file skips, and the latest time it gives for their cancelling, if any.
func withdrawnWhole(lines []orderLine, withdrawn []string) ([]string, map[string]time.Time) {
	whole := map[string]bool{}
	at := map[string]time.Time{}
	for _, n := range withdrawn {
		whole[n] = true
	}
	for _, l := range lines {
		whole[l.order] = whole[l.order] && l.skipped
		if l.skipped && l.cancelled.After(at[l.order]) {
			at[l.order] = l.cancelled
		}
	}
	var numbers []string
	for _, n := range withdrawn {
		if whole[n] {
			numbers = append(numbers, n)
		}
	}
	return numbers, at
}

// orderRecord is what the shop holds of an imported order's record.
type orderRecord struct {
	shippedAt   int64 // 0 while open
	withdrawnAt int64 // 0 unless the channel cancelled it since its import
}

// orderRecords are the records the shop holds, or holds a version of, of
// the orders of ids.
func orderRecords(ctx context.Context, tx *txn, ids []string) (map[string]orderRecord, error) {
	held := map[string]orderRecord{}
	err := eachRowIn(ctx, tx.tx, `SELECT DISTINCT entity_id FROM field_versions WHERE entity = 'order' AND entity_id IN %s`, ids, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		held[id] = orderRecord{}
		return err
	})
	if err != nil {
		return nil, err
	}
	err = eachRowIn(ctx, tx.tx, `SELECT id, shipped_at, withdrawn_at FROM orders WHERE id IN %s`, ids, func(rows *sql.Rows) error {
		var id string
		var rec orderRecord
		err := rows.Scan(&id, &rec.shippedAt, &rec.withdrawnAt)
		held[id] = rec
		return err
	})
	return held, err
}
