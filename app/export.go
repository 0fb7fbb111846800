package app

import (
	"context"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"microshop/domain"
)

// ExportKinds are the files Export writes.
var ExportKinds = []string{"stock", "reorder", "sales", "shopify-inventory"}

// ExportRequest is what to export.
type ExportRequest struct {
	Kind     string
	AsOf     AsOf      // for stock, reorder and shopify-inventory
	From, To time.Time // for sales: [From, To)
	// ShopifyLocation names the Shopify location the counts are for; its
	// inventory import matches rows by it.
	ShopifyLocation string
}

// DefaultShopifyLocation is the name Shopify gives a shop's first location.
const DefaultShopifyLocation = "Shop location"

// Export writes a CSV of req.Kind to path (see CreateOutput for which paths
// are refused) and returns how many rows it holds.
func (s *Shop) Export(ctx context.Context, path string, overwrite bool, req ExportRequest) (int, error) {
	var rows [][]string
	var err error
	switch req.Kind {
	case "stock":
		rows, err = s.stockCSV(ctx, req.AsOf)
	case "reorder":
		rows, err = s.reorderCSV(ctx, req.AsOf)
	case "sales":
		rows, err = s.salesCSV(ctx, req.From, req.To)
	case "shopify-inventory":
		rows, err = s.shopifyInventoryCSV(ctx, req.AsOf, req.ShopifyLocation)
	default:
		return 0, domain.Errorf(domain.EInvalid, "%s is not something to export; choose %s", domain.QuoteShort(req.Kind), strings.Join(ExportKinds, ", "))
	}
	if err != nil {
		return 0, err
	}
	err = s.WriteOutput(path, overwrite, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		for _, r := range rows {
			for i := range r {
				r[i] = csvSafe(r[i])
			}
		}
		cw.WriteAll(rows)
		return cw.Error()
	})
	return len(rows) - 1, err
}

func (s *Shop) stockCSV(ctx context.Context, asOf AsOf) ([][]string, error) {
	rows, err := s.Stock(ctx, asOf, "")
	if err != nil {
		return nil, err
	}
	out := [][]string{{"code", "name", "path", "factory", "on_hand", "held", "available", "on_order", "daily_rate", "cover_days", "status", "price", "cost"}}
	for _, r := range rows {
		cover := ""
		if !math.IsInf(r.CoverDays, 1) {
			cover = strconv.FormatFloat(r.CoverDays, 'f', 1, 64)
		}
		out = append(out, []string{r.SKU.Code, r.SKU.Name, string(r.SKU.Path), r.SKU.Factory, itoa(int64(r.OnHand)), itoa(int64(r.Held)),
			itoa(int64(r.Available)), itoa(int64(r.OnOrder)), strconv.FormatFloat(r.Rate.PerDay(), 'f', 2, 64), cover, string(r.Status),
			r.SKU.Price.String(), r.SKU.Cost.String()})
	}
	return out, nil
}

func (s *Shop) reorderCSV(ctx context.Context, asOf AsOf) ([][]string, error) {
	rows, err := s.Reorder(ctx, asOf)
	if err != nil {
		return nil, err
	}
	out := [][]string{{"code", "name", "factory", "position", "daily_rate", "lead_days", "min_cover", "max_cover", "reorder_point", "suggested_qty", "blocked"}}
	for _, r := range rows {
		out = append(out, []string{r.Code, r.Name, r.Factory, itoa(int64(r.Position)), strconv.FormatFloat(r.Rate.PerDay(), 'f', 2, 64),
			itoa(int64(r.LeadDays)), itoa(int64(r.MinCover)), itoa(int64(r.MaxCover)), strconv.FormatFloat(r.ReorderPoint, 'f', 1, 64),
			itoa(int64(r.SuggestedQty)), strconv.FormatBool(r.Blocked)})
	}
	return out, nil
}

func (s *Shop) salesCSV(ctx context.Context, from, to time.Time) ([][]string, error) {
	lines, err := s.Sales(ctx, from, to, "")
	if err != nil {
		return nil, err
	}
	out := [][]string{{"id", "order", "at", "code", "qty", "price", "total", "channel", "payment", "device", "voided"}}
	for i := len(lines) - 1; i >= 0; i-- { // oldest first, as a ledger reads
		l := lines[i]
		out = append(out, []string{l.ID, l.Order, l.At.Format(time.RFC3339), l.Code, itoa(int64(l.Qty)), l.Price.String(), l.Total().String(),
			string(l.Channel), string(l.Payment), l.Device, strconv.FormatBool(l.Voided)})
	}
	return out, nil
}

// shopifyInventoryCSV is Shopify's inventory CSV, which its inventory
// import takes back: one row per physical SKU at the location, with the
// shop's on hand as On hand (new). Shopify matches a row by its SKU and
// handle; the handle is the one Shopify makes from the product title.
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
	out := [][]string{{"Handle", "Title", "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name", "Option3 Value",
		"SKU", "HS Code", "COO", "Location", "Bin name", "Incoming (not editable)", "Unavailable (not editable)",
		"Committed (not editable)", "Available (not editable)", "On hand (current)", "On hand (new)"}}
	for _, r := range rows {
		if r.SKU.Path == domain.PathDigital {
			continue
		}
		v := variants[r.SKU.ID]
		if v.handle == "" {
			v.handle = ShopifyHandle(r.SKU.Name)
		}
		// Shopify finds the variant by its product's handle and options; a
		// product without variants has the one option Title.
		opts := []string{"Title", "Default Title", "", "", "", ""}
		for i, o := range v.options {
			opts[2*i], opts[2*i+1] = o.Name, o.Value
		}
		row := append([]string{v.handle, r.SKU.Name}, opts...)
		out = append(out, append(row, r.SKU.Code, "", "", location, "", "", "", "", "", "", itoa(int64(r.OnHand))))
	}
	return out, nil
}

// variant is a SKU as its product file named it on the channel.
type variant struct {
	handle  string
	options []domain.VariantOption
}

// variants are the handles and options the SKUs' product files gave, by
// SKU id; options another device wrote badly are left out.
func (s *Shop) variants(ctx context.Context) (map[string]variant, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, handle, options FROM skus WHERE handle <> ''`)
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
