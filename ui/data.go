package ui

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"

	"fyne.io/fyne/v2"

	"microshop/app"
	"microshop/domain"
)

// data shares the expensive reports between screens: the stock of every
// SKU and the alerts are read once per change of the shop, whichever
// screen asks first, and reused until the shop changes again. It also
// watches the stock for SKUs getting worse, for desktop notifications.
type data struct {
	shop *app.Shop
	post func(func())               // runs a function on the UI goroutine
	note func([]*fyne.Notification) // sends notifications, on the UI goroutine

	mu        sync.Mutex // held while a report is read, so it is read once
	stockKey  cacheKey
	rows      []app.StockRow
	alertsKey cacheKey
	alerts    []app.Alert
	statuses  map[string]domain.Status // nil until the first stock read
	// batches is every batch, for the Batches and Factories screens: one
	// list of the benchmark shop's 17,800 batches is 7 MB, kept once. It
	// has a lock of its own, so the list never waits for a report.
	batchesMu  sync.Mutex
	batchesKey cacheKey
	batches    []domain.Batch
}

// cacheKey says which state of the shop a report describes.
type cacheKey struct {
	total int64 // changes held: any write, here or synced, moves it
	slot  int64 // five-minute slot of the clock: reports depend on now
	valid bool
}

func newData(shop *app.Shop, note func([]*fyne.Notification)) *data {
	return &data{shop: shop, note: note, post: fyne.Do}
}

func (d *data) key(ctx context.Context) (cacheKey, error) {
	v, err := d.shop.Vector(ctx)
	if err != nil {
		return cacheKey{}, err
	}
	return cacheKey{total: v.Total(), slot: timeSlot(d.shop.Now()), valid: true}, nil
}

// stock is every SKU on sale as of now, sorted by code. The rows are
// shared: callers must not change them.
func (d *data) stock(ctx context.Context) ([]app.StockRow, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k, err := d.key(ctx)
	if err != nil {
		return nil, err
	}
	if k == d.stockKey {
		return d.rows, nil
	}
	rows, err := d.shop.Stock(ctx, d.shop.AsOfNow(), "")
	if err != nil {
		return nil, err
	}
	next, notes := transitions(d.statuses, rows)
	d.rows, d.stockKey, d.statuses = rows, k, next
	if len(notes) > 0 && d.note != nil {
		d.post(func() { d.note(notes) })
	}
	return rows, nil
}

// alertList is what needs action today, as of now.
func (d *data) alertList(ctx context.Context) ([]app.Alert, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k, err := d.key(ctx)
	if err != nil {
		return nil, err
	}
	if k == d.alertsKey {
		return d.alerts, nil
	}
	if k == d.stockKey {
		alerts, err := d.shop.Alerts(ctx, d.shop.AsOfNow())
		if err != nil {
			return nil, err
		}
		d.alerts, d.alertsKey = alerts, k
		return alerts, nil
	}
	// Both are stale: one read of the ledger serves both.
	rows, alerts, err := d.shop.Overview(ctx, d.shop.AsOfNow())
	if err != nil {
		return nil, err
	}
	next, notes := transitions(d.statuses, rows)
	d.rows, d.stockKey, d.statuses = rows, k, next
	if len(notes) > 0 && d.note != nil {
		d.post(func() { d.note(notes) })
	}
	d.alerts, d.alertsKey = alerts, k
	return alerts, nil
}

// batchList is every batch as of now, newest first. The list is shared:
// callers must not change it.
func (d *data) batchList(ctx context.Context) ([]domain.Batch, error) {
	d.batchesMu.Lock()
	defer d.batchesMu.Unlock()
	k, err := d.key(ctx)
	if err != nil {
		return nil, err
	}
	if k == d.batchesKey {
		return d.batches, nil
	}
	bs, err := d.shop.Batches(ctx, false)
	if err != nil {
		return nil, err
	}
	d.batches, d.batchesKey = bs, k
	return bs, nil
}

// prime reads the stock in the background, so notifications go out even
// when no screen showing stock is open.
func (d *data) prime(u *UI) {
	u.run(func(ctx context.Context) (func(), error) {
		_, err := d.stock(ctx)
		return nil, err
	})
}

// severity orders statuses by how urgently they ask for action.
func severity(s domain.Status) int {
	switch s {
	case domain.StatusLow:
		return 1
	case domain.StatusReorder:
		return 2
	case domain.StatusStockout:
		return 3
	case domain.StatusOversold:
		return 4
	}
	return 0
}

// maxNotes is how many SKUs get a notification each; more at once get one
// notification together.
const maxNotes = 3

// transitions compares the statuses of the previous stock read with rows
// and writes a notification for each SKU that got worse: entering low,
// reorder, stockout or oversold. The first read (prev nil) and SKUs not
// seen before notify nothing.
func transitions(prev map[string]domain.Status, rows []app.StockRow) (map[string]domain.Status, []*fyne.Notification) {
	next := make(map[string]domain.Status, len(rows))
	var worse []app.StockRow
	for _, r := range rows {
		next[r.SKU.ID] = r.Status
		if prev == nil || r.SKU.Path == domain.PathKit {
			continue // a kit's status is its parts', and they notify
		}
		old, ok := prev[r.SKU.ID]
		if ok && severity(r.Status) > severity(old) {
			worse = append(worse, r)
		}
	}
	if len(worse) == 0 {
		return next, nil
	}
	if len(worse) > maxNotes {
		codes := make([]string, 0, maxNotes)
		for _, r := range worse[:maxNotes] {
			codes = append(codes, r.SKU.Code)
		}
		return next, []*fyne.Notification{fyne.NewNotification(
			fmt.Sprintf("%d SKUs need attention", len(worse)),
			fmt.Sprintf("%s and %d more are low, out of stock or need a reorder. Open Today in Microshop.", strings.Join(codes, ", "), len(worse)-maxNotes))}
	}
	notes := make([]*fyne.Notification, 0, len(worse))
	for _, r := range worse {
		notes = append(notes, stockNote(r))
	}
	return next, notes
}

func stockNote(r app.StockRow) *fyne.Notification {
	code, name := r.SKU.Code, r.SKU.Shown()
	switch r.Status {
	case domain.StatusOversold:
		return fyne.NewNotification("Oversold: "+code, fmt.Sprintf("%s: %d more sold than available. Count it and reorder.", name, -r.Available))
	case domain.StatusStockout:
		return fyne.NewNotification("Out of stock: "+code, fmt.Sprintf("%s has no units available.", name))
	case domain.StatusReorder:
		if r.Blocked {
			return fyne.NewNotification("Reorder "+code, fmt.Sprintf("%s needs a batch, but %s is paused.", name, r.SKU.Factory))
		}
		return fyne.NewNotification("Reorder "+code, fmt.Sprintf("%s: %d available; order %d from %s.", name, r.Available, r.SuggestedQty, r.SKU.Factory))
	}
	return fyne.NewNotification("Running low: "+code, fmt.Sprintf("%s has %s of cover left; more is on order.", name, coverText(r)))
}

// coverText is a row's days of cover for people: "4.5 days", "0 days"
// when nothing is available (oversold too: never below none), "∞" when
// units are there and nothing sells, and "—" for a digital SKU, which has
// no stock to cover.
func coverText(r app.StockRow) string {
	days := r.CoverDays
	switch {
	case r.Status == domain.StatusDigital:
		return "—"
	case math.IsInf(days, 1):
		return "∞"
	case days <= 0:
		return "0 days"
	case days == 1:
		return "1 day"
	}
	return fmt.Sprintf("%.1f days", domain.Tenths(days))
}
