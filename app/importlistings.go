package app

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"

	"microshop/domain"
)

// listingRow is one variant SKU of a listing or product file.
type listingRow struct {
	line    int
	code    string
	name    string
	price   domain.Money
	cost    *domain.Money
	qty     *int   // the file's stock; nil when it has none
	handle  string // the product's handle on the channel; Shopify's only
	options string // its options as a variant there, stored form
	// shared: the quantity is its listing's, for all the listing's SKUs
	// (an Etsy listing with variations), so no one SKU's stock.
	shared bool
	// unnamed: its Etsy listing has variations the file does not pair
	// with its SKUs, so it is added without its variant.
	unnamed bool
}

// listingColumns names a listing format's columns: Etsy's listings, and
// Shopify's products in its classic and its current headers.
type listingColumns struct{ handle, title, sku, price, qty, cost, currency string }

func listingColumnsOf(t *csvTable, format string) listingColumns {
	switch {
	case format == FormatEtsyListings:
		return listingColumns{title: "TITLE", sku: "SKU", price: "PRICE", qty: "QUANTITY", currency: "CURRENCY_CODE"}
	case t.has("Variant SKU"):
		return listingColumns{handle: "Handle", title: "Title", sku: "Variant SKU", price: "Variant Price", qty: "Variant Inventory Qty", cost: "Cost per item"}
	}
	return listingColumns{handle: "URL handle", title: "Title", sku: "SKU", price: "Price", qty: "Inventory quantity", cost: "Cost per item"}
}

// listingRows reads a listing file's variant SKUs. A Shopify variant row
// leaves the title blank: it is its product's, by handle. An Etsy listing
// with variations may list several SKUs, comma separated. A listing or
// variant without a SKU is left out, its title in withoutSKU: the shop
// knows a SKU by its code. A Shopify row with neither SKU nor price is one
// of a product's further images, and is no variant at all.
func listingRows(t *csvTable, format, currency string) (rows []listingRow, withoutSKU []string, errs []ImportError) {
	cols := listingColumnsOf(t, format)
	titles := map[string]string{}
	names := map[string][]string{} // each product's option names, by handle
	for i := range t.rows {
		title := t.col(i, cols.title)
		h := t.col(i, cols.handle)
		if h != "" {
			if title == "" {
				title = titles[h]
			} else {
				titles[h] = title
			}
		}
		if t.col(i, cols.sku) == "" {
			if t.col(i, cols.price) != "" {
				withoutSKU = append(withoutSKU, fmt.Sprintf("%s (line %d)", cmp.Or(title, "a listing"), t.lines[i]))
			}
			continue
		}
		price, cost, qty, bad := listingValues(t, i, cols)
		// Etsy's listings say their currency; Shopify's products are in
		// the store's, which has no column.
		bad = inCurrency(t.col(i, cols.currency), currency, bad)
		options, err := variantOptions(t, i, h, names)
		if err != nil {
			bad = append(bad, domain.ErrorMessage(err))
		}
		if err := domain.ValidateHandle(t.col(i, cols.handle)); err != nil {
			bad = append(bad, domain.ErrorMessage(err))
		}
		if err := domain.ValidateName("title", title); err != nil {
			bad = append(bad, domain.ErrorMessage(err)) // why, as a name typed here is told
		}
		codes, codeOptions, unnamed := listingCodes(t, i, format, options, &bad)
		for j, code := range codes {
			if err := domain.ValidateCode(code); err != nil && len(bad) == 0 {
				bad = append(bad, domain.ErrorMessage(err))
			}
			if len(bad) == 0 {
				rows = append(rows, listingRow{line: t.lines[i], code: code, name: title, price: price, cost: cost, qty: qty, handle: h,
					options: codeOptions[j], shared: len(codes) > 1 && qty != nil, unnamed: unnamed})
			}
		}
		if len(bad) > 0 {
			errs = append(errs, ImportError{t.lines[i], strings.Join(bad, "; ")})
		}
	}
	return rows, withoutSKU, errs
}

// repeatedListings refuses a SKU listed twice with another name or price:
// which the shop should take is unclear, and the first row's was taken
// while the second was counted as there already. A row repeated the same
// is harmless. An Etsy listing's SKUs share its title and price, so a
// listing's own SKUs never clash here.
func repeatedListings(rows []listingRow) []ImportError {
	first := map[string]listingRow{}
	var errs []ImportError
	for _, r := range rows {
		key := strings.ToUpper(r.code)
		f, ok := first[key]
		if !ok {
			first[key] = r
			continue
		}
		if f.name != r.name || f.price != r.price {
			errs = append(errs, ImportError{r.line, fmt.Sprintf("the SKU %s is on line %d already, with another name or price; give each listing its own SKU", r.code, f.line)})
		}
	}
	return errs
}

// variantOptions reads a Shopify variant row's options, in stored form.
// A product's first row names its options and later rows of the same
// handle leave the names blank, so names keeps them by handle.
func variantOptions(t *csvTable, i int, handle string, names map[string][]string) (string, error) {
	if handle == "" {
		return "", nil
	}
	known := names[handle]
	var opts []domain.VariantOption
	for n := 1; n <= domain.MaxVariantOptions; n++ {
		name, value := t.col(i, fmt.Sprintf("Option%d Name", n)), t.col(i, fmt.Sprintf("Option%d Value", n))
		if name == "" && n <= len(known) {
			name = known[n-1]
		}
		if value == "" {
			break
		}
		if name == "" {
			return "", nil // a value no row named: the file says too little to name the variant by
		}
		opts = append(opts, domain.VariantOption{Name: name, Value: value})
	}
	if len(opts) > 0 && len(opts) >= len(known) {
		kept := make([]string, len(opts))
		for j, o := range opts {
			kept[j] = o.Name
		}
		names[handle] = kept
	}
	if err := domain.ValidateVariantOptions(opts); err != nil {
		return "", err
	}
	return domain.EncodeVariantOptions(opts), nil
}

// listingValues reads a listing row's price, cost and quantity.
func listingValues(t *csvTable, i int, cols listingColumns) (domain.Money, *domain.Money, *int, []string) {
	var bad []string
	price, err := domain.ParseMoney(t.col(i, cols.price))
	if err != nil || domain.ValidateMoney("price", price) != nil {
		bad = append(bad, fmt.Sprintf("the price %s is not an amount like 24.00", domain.QuoteShort(t.col(i, cols.price))))
	}
	var qty *int
	if q := t.col(i, cols.qty); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || domain.ValidateCount(n) != nil {
			bad = append(bad, fmt.Sprintf("the quantity %s is not a whole number of units from 0", domain.QuoteShort(q)))
		}
		qty = &n
	}
	var cost *domain.Money
	if c := t.col(i, cols.cost); c != "" {
		m, err := domain.ParseMoney(c)
		if err != nil || domain.ValidateMoney("cost", m) != nil {
			bad = append(bad, fmt.Sprintf("the cost %s is not an amount like 6.00", domain.QuoteShort(c)))
		}
		cost = &m
	}
	return price, cost, qty, bad
}

// importListings adds the SKUs the shop lacks, each with the file's
// quantity as its first stocktake, and with update changes the name and
// price of those it has.
func (s *Shop) importListings(ctx context.Context, tx *txn, rows []listingRow, req ImportRequest, res *ImportResult) error {
	if req.SupplyPath == "" {
		if err := lackingSupplyPath(ctx, tx, rows); err != nil {
			return err
		}
	}
	if req.Factory != "" {
		// The flag's value, not a line of the file: checked once, first.
		if _, err := findFactory(ctx, tx.tx, req.Factory); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, r := range rows {
		key := strings.ToLower(r.code)
		if seen[key] {
			res.Duplicates++
			continue
		}
		seen[key] = true
		have, err := findSKU(ctx, tx.tx, r.code)
		switch {
		case err == nil:
			if err := s.listedThere(ctx, tx, have, r, req.Update, res); err != nil {
				return lineError(r.line, err)
			}
			continue
		case domain.ErrorCode(err) != domain.ENotFound:
			return err
		}
		if err := s.addListed(ctx, tx, r, req); err != nil {
			return lineError(r.line, err)
		}
		res.SKUsAdded++
		if r.shared {
			res.Uncounted = append(res.Uncounted, r.code)
		}
	}
	return nil
}

// listedThere counts a SKU the shop has that the file lists: updated with
// update, else there already as the file has it, or listed otherwise.
func (s *Shop) listedThere(ctx context.Context, tx *txn, have skuRow, r listingRow, update bool, res *ImportResult) error {
	switch {
	case update:
		return s.updateListed(ctx, tx, have, r, res)
	case listedOtherwise(have, r):
		res.Differing = append(res.Differing, have.Code)
	default:
		res.Duplicates++
	}
	return nil
}

// listedOtherwise tells a SKU the shop has whose name or price the file
// gives otherwise: counted as "there already as the file has it", it told
// a maker the shop matched the channel when it did not.
func listedOtherwise(have skuRow, r listingRow) bool {
	name, err := domain.CleanName("SKU name", r.name)
	return err == nil && name != have.Name || r.price != have.Price
}

func lineError(line int, err error) error {
	return domain.Errorf(domain.ErrorCode(err), "line %d: %s", line, domain.ErrorMessage(err)).With(domain.RemedyOf(err))
}

// lackingSupplyPath refuses a file that adds SKUs when no supply path was
// given for them, naming them all: it named the first one alone, and a
// maker who added it by hand was refused the next.
func lackingSupplyPath(ctx context.Context, tx *txn, rows []listingRow) error {
	var lacking []string
	seen := map[string]bool{}
	for _, r := range rows {
		key := strings.ToLower(r.code)
		if seen[key] {
			continue
		}
		seen[key] = true
		_, err := findSKU(ctx, tx.tx, r.code)
		switch {
		case err == nil:
		case domain.ErrorCode(err) == domain.ENotFound:
			lacking = append(lacking, r.code)
		default:
			return err
		}
	}
	switch len(lacking) {
	case 0:
		return nil
	case 1:
		return domain.Errorf(domain.EInvalid, "the file adds the SKU %s, which the shop lacks, and a SKU is added with its supply path and factory", domain.QuoteShort(lacking[0])).
			With(domain.RemedySupplyPath)
	}
	return domain.Errorf(domain.EInvalid, "the file adds %d SKUs the shop lacks (%s), and a SKU is added with its supply path and factory",
		len(lacking), firstFew(lacking)).With(domain.RemedySupplyPath)
}

// updateListed gives a SKU the shop has the name, price, handle and
// options its line says, writing only what changed: the same file imported
// again each week writes nothing, and counts its SKUs as there already.
func (s *Shop) updateListed(ctx context.Context, tx *txn, have skuRow, r listingRow, res *ImportResult) error {
	was := have
	fields, err := applySKUFields(ctx, tx, &have, SKUFields{Name: &r.name, Price: &r.price})
	if err != nil {
		return err
	}
	if have.Name == was.Name {
		delete(fields, "name")
	}
	if have.Price == was.Price {
		delete(fields, "price")
	}
	if r.handle != "" || r.options != "" {
		var handle, options string
		if err := tx.tx.QueryRowContext(ctx, `SELECT handle, options FROM skus WHERE id = ?`, have.ID).Scan(&handle, &options); err != nil {
			return err
		}
		if r.handle != "" && handle != r.handle {
			fields["handle"] = r.handle
		}
		// Shopify finds a variant by its handle and options: an Etsy
		// file's options never replace those of a SKU Shopify's named.
		if options != r.options && (r.handle != "" || handle == "") {
			fields["options"] = r.options
		}
	}
	if len(fields) == 0 {
		res.Duplicates++ // there already as the file has it
		return nil
	}
	res.SKUsUpdated++
	return tx.setRecord("sku", have.ID, fields)
}

func (s *Shop) addListed(ctx context.Context, tx *txn, r listingRow, req ImportRequest) error {
	path := req.SupplyPath
	if path == "" {
		return domain.Errorf(domain.EInvalid, "the shop has no SKU %s; to add it, give the supply path (and factory) of the SKUs this file adds", domain.QuoteShort(r.code))
	}
	in := SKUFields{Name: &r.name, Path: &path, Price: &r.price, Cost: r.cost}
	if req.Factory != "" {
		in.Factory = &req.Factory
	}
	row := skuRow{SKU: domain.SKU{ID: newID(), Code: r.code}}
	fields, err := applySKUFields(ctx, tx, &row, in)
	if err != nil {
		return err
	}
	fields["code"] = r.code
	fields["archived"] = false
	if r.handle != "" {
		fields["handle"] = r.handle
	}
	if err := tx.setRecord("sku", row.ID, fields); err != nil {
		return err
	}
	if r.options != "" {
		// A change of its own: a device of an earlier build sets aside a
		// field it does not know, with the rest of its change.
		if err := tx.setRecord("sku", row.ID, map[string]any{"options": r.options}); err != nil {
			return err
		}
	}
	if r.qty == nil || r.shared || path == domain.PathDigital {
		return nil
	}
	return tx.addEvent(event{Kind: kindCount, ID: newID(), SKUID: row.ID, At: tx.now.UnixMilli(), Qty: *r.qty})
}
