package app

import (
	"context"
	"strings"
	"unicode"

	"microshop/domain"
)

// shopifyInventoryCSV is Shopify's inventory CSV, which its inventory
// import takes back: one row per physical SKU at the location, with its
// units on the shelf as On hand (new). Shopify matches a row by its SKU and
// handle; the handle is the one Shopify makes from the product title.
//
// Shopify's on hand counts the units of its unshipped orders, which it
// holds as committed and takes off what it sells; the shop took them off
// when it imported those orders. So the units of open Shopify orders go
// back on: writing the shop's on hand alone had Shopify take them off
// twice. A kit is written only when a Shopify products file named it, as
// what its parts make and its open Shopify orders' units: the parts of
// those orders stay taken off, since Shopify committed the kit, not them.
func (s *Shop) shopifyInventoryCSV(ctx context.Context, asOf AsOf, location string) ([][]string, error) {
	if location == "" {
		location = DefaultShopifyLocation
	}
	if err := domain.ValidateName("Shopify location", location); err != nil {
		return nil, err
	}
	rows, err := s.Stock(ctx, asOf, "")
	if err != nil {
		return nil, err
	}
	variants, err := s.variants(ctx)
	if err != nil {
		return nil, err
	}
	open, err := s.openShopifyUnits(ctx, asOf, rows, variants)
	if err != nil {
		return nil, err
	}
	out := [][]string{{"Handle", "Title", "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name", "Option3 Value",
		"SKU", "HS Code", "COO", "Location", "Bin name", "Incoming (not editable)", "Unavailable (not editable)",
		"Committed (not editable)", "Available (not editable)", "On hand (current)", "On hand (new)"}}
	for _, r := range rows {
		v := variants[r.SKU.ID]
		if r.SKU.Path == domain.PathDigital || r.SKU.Path == domain.PathKit && v.handle == "" {
			continue
		}
		if v.handle == "" {
			// Not from Shopify's file: any options are another channel's.
			v.handle, v.options = ShopifyHandle(r.SKU.Name), nil
		}
		// Shopify finds the variant by its product's handle and options; a
		// product without variants has the one option Title.
		opts := []string{"Title", "Default Title", "", "", "", ""}
		for i, o := range v.options {
			opts[2*i], opts[2*i+1] = o.Name, o.Value
		}
		row := append([]string{v.handle, r.SKU.Name}, opts...)
		out = append(out, append(row, r.SKU.Code, "", "", location, "", "", "", "", "", "", itoa(int64(r.OnHand+open[r.SKU.ID]))))
	}
	return out, nil
}

// openShopifyUnits are the units of the Shopify orders open at the end of
// asOf's day, by the SKU Shopify sold: a SKU's own lines, and a kit's,
// told from its parts' lines (which name the first as their Ref) for the
// kits the inventory export writes.
func (s *Shop) openShopifyUnits(ctx context.Context, asOf AsOf, rows []StockRow, variants map[string]variant) (map[string]int, error) {
	end := domain.AddDays(asOf.Day, 1).UnixMilli()
	q, err := s.db.QueryContext(ctx, `SELECT e.id, e.sku_id, e.qty, e.ref FROM events e
		WHERE e.kind = 'sale' AND e.channel = 'shopify' AND e.order_id <> '' AND e.at < ?
			AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id)
			AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.channel = 'shopify' AND o.number = e.order_id AND o.shipped_at > 0 AND o.shipped_at < ?)`,
		end, end)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer q.Close()
	open := map[string]int{}
	kitLines := map[string]map[string]int{} // a kit's sale, by its first part's line: units by part
	for q.Next() {
		var id, sku, ref string
		var qty int
		if err := q.Scan(&id, &sku, &qty, &ref); err != nil {
			return nil, storeError(s.path, err)
		}
		if ref == "" {
			open[sku] += qty
			continue
		}
		if kitLines[ref] == nil {
			kitLines[ref] = map[string]int{}
		}
		kitLines[ref][sku] += qty
	}
	if err := q.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	if len(kitLines) == 0 {
		return open, nil
	}
	for _, r := range rows {
		if r.SKU.Path != domain.PathKit || variants[r.SKU.ID].handle == "" {
			continue
		}
		parts, err := storedParts(ctx, s.db, r.SKU.ID)
		if err != nil {
			return nil, storeError(s.path, err)
		}
		for _, units := range kitLines {
			open[r.SKU.ID] += kitUnits(parts, units)
		}
	}
	return open, nil
}

// kitUnits is how many of a kit a sale's part lines are, or 0 when they
// are another kit's.
func kitUnits(parts []domain.KitPart, units map[string]int) int {
	if len(parts) == 0 || len(units) != len(parts) || parts[0].Qty <= 0 {
		return 0
	}
	n := units[parts[0].SKUID] / parts[0].Qty
	for _, p := range parts {
		if units[p.SKUID] != n*p.Qty {
			return 0
		}
	}
	return n
}

// variant is a SKU as its product file named it on the channel.
type variant struct {
	handle  string
	options []domain.VariantOption
}

// variants are the handles and options the SKUs' product and listing
// files gave, by SKU id; options another device wrote badly are left out.
func (s *Shop) variants(ctx context.Context) (map[string]variant, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, handle, options FROM skus WHERE handle <> '' OR options <> ''`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	out := map[string]variant{}
	for rows.Next() {
		var id, h, opts string
		if err := rows.Scan(&id, &h, &opts); err != nil {
			return nil, storeError(s.path, err)
		}
		v := variant{handle: h}
		v.options, _ = domain.DecodeVariantOptions(opts)
		out[id] = v
	}
	return out, storeError(s.path, rows.Err())
}

// ShopifyHandle is the handle Shopify makes from a title: lower case,
// letters and digits, the rest one hyphen.
func ShopifyHandle(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}
