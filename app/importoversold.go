package app

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"microshop/domain"
)

// ImportOversell is a SKU an order file's sales would take below zero. The
// import still records them (the channel sold them), and its open orders
// that the shelf cannot fill wait for stock, as delayed orders: a dry run
// says so before, not Today after.
type ImportOversell struct {
	Code string
	// Want is the units the file's new lines sell that come off the stock:
	// lines imported before, and sales dated before the SKU's last
	// stocktake (already inside that count), are left out.
	Want      int
	Available int // available now, before the import
	// Waiting is how many of the file's open orders would wait for stock:
	// the shelf goes to the oldest first, as the orders list gives it.
	// Shipped orders take their units but wait for nothing.
	Waiting int
}

// String says it to the maker in one sentence.
func (o ImportOversell) String() string {
	have := fmt.Sprintf("%d are available", o.Available)
	switch {
	case o.Available == 1:
		have = "1 is available"
	case o.Available < 0:
		have = fmt.Sprintf("none are available (it is oversold by %d already)", -o.Available)
	}
	if o.Waiting == 0 {
		return fmt.Sprintf("%s: the file's orders want %d and %s; they have shipped, so none waits, but %s will show as oversold until you count it.",
			o.Code, o.Want, have, o.Code)
	}
	return fmt.Sprintf("%s: the file's orders want %d and %s, so %s will wait for stock.", o.Code, o.Want, have, plural(o.Waiting, "order"))
}

// OversoldNote is the sentence before the SKUs a dry run would take below
// zero; "" when there are none.
func (r ImportResult) OversoldNote() string {
	if len(r.Oversold) == 0 {
		return ""
	}
	return fmt.Sprintf("Importing would take %s below zero; the sales are still recorded, and the orders that cannot ship wait for stock:",
		plural(len(r.Oversold), "SKU"))
}

// OversoldLines are the sentences of up to n of the SKUs a dry run would
// take below zero, the furthest below first, then how many more there are.
func (r ImportResult) OversoldLines(n int) []string {
	var out []string
	for i, o := range r.Oversold {
		if i == n {
			more := "SKUs"
			if len(r.Oversold)-n == 1 {
				more = "SKU"
			}
			out = append(out, fmt.Sprintf("and %d more %s", len(r.Oversold)-n, more))
			break
		}
		out = append(out, o.String())
	}
	return out
}

// fileSales is what an order file's new lines would sell, and the orders
// it shows shipped, kept from a dry run's transaction.
type fileSales struct {
	batch   []event
	shipped map[string]bool
}

// shippedOrders are the orders the lines show shipped, as markShipped
// records them.
func shippedOrders(lines []orderLine) map[string]bool {
	shipped := map[string]bool{}
	for _, l := range lines {
		if !l.skipped && !l.shipped.IsZero() {
			shipped[l.order] = true
		}
	}
	return shipped
}

// stockAhead is the whole-shop stock report, read on a goroutine of its
// own while a dry run checks the file: the first report after a sync
// replays the ledger, as long as checking a big file takes.
type stockAhead struct {
	cancel context.CancelFunc
	done   chan struct{}
	snap   *snapshot
	err    error
}

func (s *Shop) readStockAhead(ctx context.Context) *stockAhead {
	ctx, cancel := context.WithCancel(ctx)
	a := &stockAhead{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(a.done)
		a.snap, a.err = s.snapshot(ctx, s.AsOfNow(), "")
	}()
	return a
}

// wait is the report, once read.
func (a *stockAhead) wait() (*snapshot, error) {
	<-a.done
	return a.snap, a.err
}

// stop ends the reading, if it is still under way, and waits for it.
func (a *stockAhead) stop() {
	a.cancel()
	<-a.done
}

// importOversold are the SKUs sold's sales would take below zero, from
// each SKU's available now in the stock report; a digital SKU never runs
// out. The whole-shop report is one the app keeps (quick after the
// first), and the rest is a pass over the sales.
func (s *Shop) importOversold(ctx context.Context, stock *stockAhead, sold fileSales) ([]ImportOversell, error) {
	snap, err := stock.wait()
	if err != nil || len(sold.batch) == 0 {
		return nil, err
	}
	want := map[string]int{}
	for _, e := range sold.batch {
		want[e.SKUID] += e.Qty
	}
	short := map[string]*ImportOversell{}
	for _, r := range snap.rows {
		n, ok := want[r.SKU.ID]
		if ok && r.SKU.Path != domain.PathDigital && r.SKU.Path != domain.PathKit && r.Available < n {
			short[r.SKU.ID] = &ImportOversell{Code: r.SKU.Code, Available: r.Available}
		}
	}
	if len(short) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(short))
	for id := range short {
		ids = append(ids, id)
	}
	counted, err := lastCounts(ctx, s.db, ids)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	return oversells(short, counted, sold), nil
}

// lastCounts is the time of each SKU's last stocktake at main, where an
// imported sale happens: a sale dated before it is inside the count.
func lastCounts(ctx context.Context, q queryer, ids []string) (map[string]int64, error) {
	counted := map[string]int64{}
	err := eachRowIn(ctx, q, `SELECT k.id, max(c.at) FROM changes c JOIN sku_keys k ON k.n = c.sku_n
		WHERE k.id IN %s AND c.entity = 'count' AND c.location = '' AND `+marksWhere+` GROUP BY k.id`, ids, func(rows *sql.Rows) error {
		var id string
		var at int64
		err := rows.Scan(&id, &at)
		counted[id] = at
		return err
	})
	return counted, err
}

// orderUnits is one open order's units of a SKU, and when it was placed.
type orderUnits struct {
	number string
	at     int64
	qty    int
}

// oversells finishes short: each SKU's units that come off its stock, and
// the file's open orders that would wait, as judgeOrders will judge them
// once imported: the shelf holds the open orders' units less the
// shortfall, and goes to the oldest first; the first order it cannot fill
// in full, and every later one, waits. The SKUs still below zero are
// returned, the furthest below first.
func oversells(short map[string]*ImportOversell, counted map[string]int64, sold fileSales) []ImportOversell {
	open := map[string]map[string]*orderUnits{}
	openUnits := map[string]int{}
	for _, e := range sold.batch {
		o := short[e.SKUID]
		if o == nil {
			continue
		}
		if at, ok := counted[e.SKUID]; !ok || e.At >= at {
			o.Want += e.Qty
		}
		if e.Order == "" || sold.shipped[e.Order] {
			continue
		}
		openUnits[e.SKUID] += e.Qty
		addOrderUnits(open, e)
	}
	var out []ImportOversell
	for id, o := range short {
		if o.Available >= o.Want {
			continue
		}
		o.Waiting = waitingOrders(open[id], max(0, o.Available-o.Want+openUnits[id]))
		out = append(out, *o)
	}
	slices.SortFunc(out, func(a, b ImportOversell) int {
		return cmp.Or(cmp.Compare(a.Available-a.Want, b.Available-b.Want), strings.Compare(a.Code, b.Code))
	})
	return out
}

// addOrderUnits adds e's units to its order's, per SKU.
func addOrderUnits(open map[string]map[string]*orderUnits, e event) {
	orders := open[e.SKUID]
	if orders == nil {
		orders = map[string]*orderUnits{}
		open[e.SKUID] = orders
	}
	u := orders[e.Order]
	if u == nil {
		u = &orderUnits{number: e.Order, at: e.At}
		orders[e.Order] = u
	}
	u.qty += e.Qty
	u.at = min(u.at, e.At)
}

// waitingOrders is how many of orders the shelf cannot fill, oldest first.
func waitingOrders(orders map[string]*orderUnits, shelf int) int {
	list := make([]*orderUnits, 0, len(orders))
	for _, u := range orders {
		list = append(list, u)
	}
	slices.SortFunc(list, func(a, b *orderUnits) int {
		return cmp.Or(cmp.Compare(a.at, b.at), strings.Compare(a.number, b.number))
	})
	for i, u := range list {
		if shelf < u.qty {
			return len(list) - i
		}
		shelf -= u.qty
	}
	return 0
}
