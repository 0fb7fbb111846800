package app

import (
	"context"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

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
	out := [][]string{{"code", "name", "path", "factory", "on_hand", "held", "available", "on_order", "daily_rate", "cover_days", "status", "price", "cost", "variant"}}
	for _, r := range rows {
		cover := ""
		if !math.IsInf(r.CoverDays, 1) {
			cover = strconv.FormatFloat(domain.Tenths(r.CoverDays), 'f', 1, 64)
		}
		// A kit's parts sell and cost; it has no rate or cost of its own.
		rate, cost := strconv.FormatFloat(r.Rate.Hundredths(), 'f', 2, 64), r.SKU.Cost.String()
		if r.SKU.Path == domain.PathKit {
			rate, cost = "", ""
		}
		out = append(out, []string{r.SKU.Code, r.SKU.Name, string(r.SKU.Path), r.SKU.Factory, itoa(int64(r.OnHand)), itoa(int64(r.Held)),
			itoa(int64(r.Available)), itoa(int64(r.OnOrder)), rate, cover, string(r.Status), r.SKU.Price.String(), cost, r.SKU.Variant})
	}
	return out, nil
}

func (s *Shop) reorderCSV(ctx context.Context, asOf AsOf) ([][]string, error) {
	rows, err := s.Reorder(ctx, asOf)
	if err != nil {
		return nil, err
	}
	out := [][]string{{"code", "name", "factory", "position", "daily_rate", "lead_days", "min_cover", "max_cover", "reorder_point", "suggested_qty", "blocked", "variant"}}
	for _, r := range rows {
		out = append(out, []string{r.Code, r.Name, r.Factory, itoa(int64(r.Position)), strconv.FormatFloat(r.Rate.Hundredths(), 'f', 2, 64),
			itoa(int64(r.LeadDays)), itoa(int64(r.MinCover)), itoa(int64(r.MaxCover)), strconv.FormatFloat(domain.Tenths(r.ReorderPoint), 'f', 1, 64),
			itoa(int64(r.SuggestedQty)), strconv.FormatBool(r.Blocked), r.Variant})
	}
	return out, nil
}

func (s *Shop) salesCSV(ctx context.Context, from, to time.Time) ([][]string, error) {
	lines, err := s.Sales(ctx, from, to, "")
	if err != nil {
		return nil, err
	}
	out := [][]string{{"id", "order", "at", "code", "qty", "price", "total", "channel", "payment", "device", "voided", "location"}}
	for i := len(lines) - 1; i >= 0; i-- { // oldest first, as a ledger reads
		l := lines[i]
		out = append(out, []string{l.ID, l.Order, l.At.Format(time.RFC3339), l.Code, itoa(int64(l.Qty)), l.Price.String(), l.Total().String(),
			string(l.Channel), string(l.Payment), l.Device, strconv.FormatBool(l.Voided), l.Location})
	}
	return out, nil
}
