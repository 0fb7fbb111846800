package app

import (
	"context"
	"fmt"
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

// ImportResult says what an import did, or would do.
type ImportResult struct {
	Format      string
	Rows        int
	Sales       int // order lines recorded (or to record)
	SKUsAdded   int
	SKUsUpdated int
	Duplicates  int // lines imported before, here or on another device
	Skipped     int // cancelled, voided or refunded orders' lines; unknown SKUs skipped
	Shipped     int // orders the file newly shows as shipped
	Errors      []ImportError
	DryRun      bool
}

// MaxReportedErrors bounds the bad rows an error message lists; the
// result holds them all.
const MaxReportedErrors = 20

// orderLine is one line of a channel's order, read and checked.
type orderLine struct {
	line    int
	key     string // the channel's own key for the line
	order   string
	code    string
	qty     int
	price   domain.Money
	at      time.Time
	shipped time.Time // when its order shipped; zero while open
	skipped bool
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
	lines, errs, err := s.readOrderLines(t, res.Format)
	if err != nil {
		return res, err
	}
	res.Errors = errs
	if len(res.Errors) == 0 && len(t.rows) == 0 {
		return res, domain.Errorf(domain.EInvalid, "%s has a header but no rows; nothing to import", t.file)
	}
	channel := "etsy"
	if res.Format == FormatShopifyOrders {
		channel = "shopify"
	}
	err = s.write(ctx, func(tx *txn) error {
		if err := s.resolveOrderLines(ctx, tx, lines, req, &res); err != nil {
			return err
		}
		if len(res.Errors) > 0 {
			return importRefused(t.file, res.Errors)
		}
		if err := s.recordOrderLines(ctx, tx, channel, lines, &res, req.Progress); err != nil {
			return err
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

// importFormat is the format asked for, or the one the header tells.
func importFormat(t *csvTable, asked string) (string, error) {
	if asked == "" || asked == "auto" {
		return detectFormat(t)
	}
	return asked, nil
}

// readOrderLines reads an order file's lines in its format.
func (s *Shop) readOrderLines(t *csvTable, format string) ([]orderLine, []ImportError, error) {
	switch format {
	case FormatEtsyOrders:
		lines, errs := s.etsyOrderLines(t)
		return lines, errs, nil
	case FormatShopifyOrders:
		lines, errs := s.shopifyOrderLines(t)
		return lines, errs, nil
	}
	return nil, nil, domain.Errorf(domain.EInvalid, "%s is not an import format; use %s", domain.QuoteShort(format), strings.Join(ImportFormats, ", "))
}

// importListingFile adds (and with Update updates) the SKUs of a
// listing or product file, all or nothing.
func (s *Shop) importListingFile(ctx context.Context, t *csvTable, req ImportRequest, res ImportResult) (ImportResult, error) {
	rows, errs := listingRows(t, res.Format)
	res.Errors = errs
	if len(errs) > 0 {
		return res, importRefused(t.file, errs)
	}
	if len(rows) == 0 {
		return res, domain.Errorf(domain.EInvalid, "%s has a header but no rows; nothing to import", t.file)
	}
	err := s.write(ctx, func(tx *txn) error {
		if err := s.importListings(ctx, tx, rows, req, &res); err != nil {
			return domain.Errorf(domain.ErrorCode(err), "%s was not imported, nothing was written: %s", t.file, domain.ErrorMessage(err))
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

// errDryRun rolls a dry run's transaction back after it has counted.
var errDryRun = fmt.Errorf("dry run")

func importRefused(file string, errs []ImportError) error {
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

// etsyOrderLines reads Etsy's sold order items: one row per item, keyed by
// its Transaction ID; the Sale Date has no time of day, so noon local.
func (s *Shop) etsyOrderLines(t *csvTable) ([]orderLine, []ImportError) {
	var lines []orderLine
	var errs []ImportError
	for i := range t.rows {
		l := orderLine{line: t.lines[i], key: t.col(i, "Transaction ID"), order: t.col(i, "Order ID"), code: t.col(i, "SKU")}
		var bad []string
		if l.key == "" {
			bad = append(bad, "the Transaction ID is empty")
		}
		day, err := time.ParseInLocation("01/02/06", t.col(i, "Sale Date"), s.loc)
		if err != nil {
			bad = append(bad, fmt.Sprintf("the Sale Date %s is not a date like 03/14/26", domain.QuoteShort(t.col(i, "Sale Date"))))
		}
		l.at = day.Add(12 * time.Hour)
		if shipped := t.col(i, "Date Shipped"); shipped != "" {
			day, err := time.ParseInLocation("01/02/06", shipped, s.loc)
			if err != nil {
				bad = append(bad, fmt.Sprintf("the Date Shipped %s is not a date like 03/16/26", domain.QuoteShort(shipped)))
			}
			l.shipped = day.Add(12 * time.Hour)
		}
		l.qty, l.price, bad = qtyAndPrice(t.col(i, "Quantity"), t.col(i, "Price"), bad)
		status := strings.ToLower(t.col(i, "Status") + t.col(i, "Order Status"))
		l.skipped = strings.Contains(status, "cancel") || strings.Contains(status, "refund")
		if len(bad) > 0 {
			errs = append(errs, ImportError{l.line, strings.Join(bad, "; ")})
			continue
		}
		lines = append(lines, l)
	}
	return lines, errs
}

// shopifyOrderLines reads Shopify's orders export: one row per line item,
// the order's fields often only on its first row; a line's key is the
// order's Name and its position in the order, from 1.
func (s *Shop) shopifyOrderLines(t *csvTable) ([]orderLine, []ImportError) {
	var lines []orderLine
	var errs []ImportError
	pos := map[string]int{}
	first := map[string]int{} // an order's first row
	for i := range t.rows {
		name := t.col(i, "Name")
		if _, ok := first[name]; !ok {
			first[name] = i
		}
		f := first[name]
		pos[name]++
		l := orderLine{line: t.lines[i], key: name + "/" + strconv.Itoa(pos[name]), order: name, code: t.col(i, "Lineitem sku")}
		var bad []string
		if name == "" {
			bad = append(bad, "the order Name is empty")
		}
		created := orFirst(t, i, f, "Created at")
		at, err := time.Parse("2006-01-02 15:04:05 -0700", created)
		if err != nil {
			bad = append(bad, fmt.Sprintf("Created at %s is not a time like 2026-03-14 10:23:45 -0500", domain.QuoteShort(created)))
		}
		l.at = at
		if strings.EqualFold(orFirst(t, i, f, "Fulfillment Status"), "fulfilled") {
			l.shipped = at
			if v := orFirst(t, i, f, "Fulfilled at"); v != "" {
				if l.shipped, err = time.Parse("2006-01-02 15:04:05 -0700", v); err != nil {
					bad = append(bad, fmt.Sprintf("Fulfilled at %s is not a time like 2026-03-16 09:00:00 -0500", domain.QuoteShort(v)))
				}
			}
		}
		l.qty, l.price, bad = qtyAndPrice(t.col(i, "Lineitem quantity"), t.col(i, "Lineitem price"), bad)
		financial := strings.ToLower(orFirst(t, i, f, "Financial Status"))
		l.skipped = orFirst(t, i, f, "Cancelled at") != "" || financial == "voided" || financial == "refunded"
		if len(bad) > 0 {
			errs = append(errs, ImportError{l.line, strings.Join(bad, "; ")})
			continue
		}
		lines = append(lines, l)
	}
	return lines, errs
}

// orFirst is a column of row i, or of its order's first row when blank.
func orFirst(t *csvTable, i, first int, name string) string {
	if v := t.col(i, name); v != "" {
		return v
	}
	return t.col(first, name)
}

func qtyAndPrice(q, p string, bad []string) (int, domain.Money, []string) {
	qty, err := strconv.Atoi(q)
	if err != nil || domain.ValidateQty(qty) != nil {
		bad = append(bad, fmt.Sprintf("the quantity %s is not a whole number of units from 1", domain.QuoteShort(q)))
	}
	price, err := domain.ParseMoney(p)
	if err != nil || domain.ValidateMoney("price", price) != nil {
		bad = append(bad, fmt.Sprintf("the price %s is not an amount like 24.00", domain.QuoteShort(p)))
	}
	return qty, price, bad
}

// resolveOrderLines maps each line's SKU to the shop's code, noting lines
// whose SKU the shop lacks as errors, or skipped when asked.
func (s *Shop) resolveOrderLines(ctx context.Context, tx *txn, lines []orderLine, req ImportRequest, res *ImportResult) error {
	skus, err := listSKUs(ctx, tx.tx)
	if err != nil {
		return storeError(s.path, err)
	}
	known := make(map[string]string, len(skus))
	for _, r := range skus {
		if !r.Archived {
			known[strings.ToLower(r.Code)] = r.Code
		}
	}
	for i := range lines {
		l := &lines[i]
		code := l.code
		if mapped, ok := req.Map[code]; ok {
			code = mapped
		}
		ours, ok := known[strings.ToLower(code)]
		switch {
		case ok:
			l.code = ours
		case l.skipped:
		case req.SkipUnknown:
			l.skipped = true
		case code == "":
			res.Errors = append(res.Errors, ImportError{l.line, "the line has no SKU; give the listing a SKU on the channel, or map it to a code"})
		default:
			res.Errors = append(res.Errors, ImportError{l.line, fmt.Sprintf("the shop has no SKU %s; add it, or map the channel's SKU to a code", domain.QuoteShort(code))})
		}
	}
	return nil
}

// heldEvents reports which of ids are events the shop holds, looked up
// a few hundred at a time.
func heldEvents(ctx context.Context, tx *txn, ids []string) (map[string]bool, error) {
	held := make(map[string]bool)
	const chunk = 500
	for i := 0; i < len(ids); i += chunk {
		part := ids[i:min(i+chunk, len(ids))]
		// Always chunk values, the last one repeated, so the statement is
		// one the writer prepares once, not one for every length.
		args := make([]any, chunk)
		for j := range args {
			args[j] = part[min(j, len(part)-1)]
		}
		rows, err := tx.tx.QueryContext(ctx, `SELECT entity_id FROM changes WHERE at IS NOT NULL AND entity_id IN (?`+strings.Repeat(", ?", chunk-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			held[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return held, nil
}

// importSpace makes an imported sale's id from the shop, the channel and
// the channel's key for the line, so the same line imported on two devices
// is one sale once they sync.
var importSpace = uuid.MustParse("3f6d2a8e-9c41-4b7a-8e25-7d0c5b1a6e93")

func importedSaleID(shopID, channel, key string) string {
	return uuid.NewSHA1(importSpace, []byte(shopID+"\x00"+channel+"\x00"+key)).String()
}

// recordOrderLines records each line as a sale on the channel, at the
// order's time, paid "other", even beyond stock: the channel sold it.
func (s *Shop) recordOrderLines(ctx context.Context, tx *txn, channel string, lines []orderLine, res *ImportResult, progress func(done, total int)) error {
	skus, err := listSKUs(ctx, tx.tx)
	if err != nil {
		return storeError(s.path, err)
	}
	byCode := make(map[string]skuRow, len(skus))
	for _, r := range skus {
		if !r.Archived {
			byCode[r.Code] = r
		}
	}
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = importedSaleID(s.shopID, channel, l.key)
	}
	held, err := heldEvents(ctx, tx, ids)
	if err != nil {
		return storeError(s.path, err)
	}
	var batch []event
	for i, l := range lines {
		if l.skipped {
			res.Skipped++
			continue
		}
		if held[ids[i]] {
			res.Duplicates++
			continue
		}
		held[ids[i]] = true // a line twice in the file counts once
		if err := tx.checkAt(l.at); err != nil {
			return domain.Errorf(domain.EInvalid, "line %d: %s", l.line, domain.ErrorMessage(err))
		}
		sku := byCode[l.code]
		res.Sales++
		batch = append(batch, event{Kind: kindSale, ID: ids[i], SKUID: sku.ID, At: l.at.UnixMilli(), Qty: l.qty, Price: int64(l.price),
			Channel: channel, FactoryID: sku.FactoryID, Order: l.order, Payment: string(domain.PaymentOther)})
	}
	if err := s.markShipped(ctx, tx, channel, lines, res); err != nil {
		return err
	}
	if res.DryRun {
		return nil // counted and checked; a dry run writes nothing
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

// orderRecordID is the id of an imported order's record: the same on
// every device that imports it.
func orderRecordID(shopID, channel, number string) string {
	return importedSaleID(shopID, channel, "order\x00"+number)
}

// markShipped records the orders the file shows as shipped that the shop
// has as open, once each; an order never goes back to open.
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
	for _, number := range numbers {
		id := orderRecordID(s.shopID, channel, number)
		var at int64
		err := tx.tx.QueryRowContext(ctx, `SELECT shipped_at FROM orders WHERE id = ?`, id).Scan(&at)
		if err != nil && !isNoRows(err) {
			return storeError(s.path, err)
		}
		if at != 0 {
			continue
		}
		res.Shipped++
		if res.DryRun {
			continue
		}
		if err := tx.setRecord("order", id, map[string]any{"channel": channel, "number": number, "shipped_at": shipped[number].UnixMilli()}); err != nil {
			return err
		}
	}
	return nil
}
