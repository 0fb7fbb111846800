package app

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"microshop/domain"
)

// ChannelOrder is an order imported from a channel: its sale lines, and whether
// it shipped. An open order holding an oversold SKU is delayed: its buyer
// should hear when it ships before they ask.
type ChannelOrder struct {
	Number    string // the channel's own
	Channel   domain.Channel
	At        time.Time
	Items     []OrderItem
	ShippedAt time.Time // zero while open
	// WithdrawnAt is when the channel cancelled or refunded the order
	// after its lines were imported; zero if it did not. Not shipped,
	// such an order is not open.
	WithdrawnAt time.Time
	Delayed     bool
	ShipsBy     time.Time // for a delayed order; zero when it cannot ship at all
	Message     string    // for a delayed order: the sentence to send the buyer
	// Warnings are for the maker: a delayed order's date that waits on a
	// paused factory, with nothing on its way.
	Warnings []string
	waitsOn  [][2]string // the SKU and factory of each warning, for Today's shorter word
	toShip   bool        // holds an item that is not a download
}

func (o *ChannelOrder) key() orderKey { return orderKey{string(o.Channel), o.Number} }

// Shipped reports whether the order has gone.
func (o ChannelOrder) Shipped() bool { return !o.ShippedAt.IsZero() }

// Open reports whether the order is still to send: not shipped, and not
// cancelled or refunded on its channel.
func (o ChannelOrder) Open() bool { return !o.Shipped() && o.WithdrawnAt.IsZero() }

// OrderItem is one SKU of an order. The parts of a kit sold are items of
// their own, each naming the kit: the buyer bought the kit, and is told
// of it by name.
type OrderItem struct {
	Code string
	Qty  int
	// Kit and KitName are the kit the part was sold in ("" for a SKU
	// sold alone), and KitQty how many of it.
	Kit, KitName string
	KitQty       int
	kitID        string // Kit's SKU id: two kits may share a code
}

// Label is the item as the buyer bought it: the kit for a kit's part.
func (it OrderItem) Label() (code string, qty int) {
	if it.Kit != "" {
		return it.Kit, it.KitQty
	}
	return it.Code, it.Qty
}

// OrderLabels are the order's items as the buyer bought them, "CODE×N",
// a kit once for its parts.
func (o ChannelOrder) OrderLabels() []string {
	var out []string
	for _, it := range o.Items {
		code, qty := it.Label()
		label := fmt.Sprintf("%s×%d", code, qty)
		if !slices.Contains(out, label) {
			out = append(out, label)
		}
	}
	return out
}

// OrdersFilter narrows the list: Open keeps the orders not shipped nor
// cancelled, Delayed the open ones that cannot ship now.
type OrdersFilter struct {
	Open, Delayed bool
}

// Orders lists the imported orders, newest first, as of asOf.
func (s *Shop) Orders(ctx context.Context, asOf AsOf, f OrdersFilter) ([]ChannelOrder, error) {
	snap, err := s.snapshot(ctx, asOf, "")
	if err != nil {
		return nil, err
	}
	read := s.readOrders
	if f.Open || f.Delayed {
		read = s.readOpenOrders
	}
	orders, err := read(ctx, asOf)
	if err != nil {
		return nil, err
	}
	retired, err := s.retiredRows(ctx, asOf, snap, orders)
	if err != nil {
		return nil, err
	}
	judgeOrders(orders, snap, retired, s.loc)
	if f.Delayed {
		orders = slices.DeleteFunc(orders, func(o ChannelOrder) bool { return !o.Delayed })
	}
	return orders, nil
}

// readOrders reads every imported order as of asOf, voided lines left out
// (app/orderlines.go).
func (s *Shop) readOrders(ctx context.Context, asOf AsOf) ([]ChannelOrder, error) {
	r := s.newOrderReader(asOf)
	if err := readAllOrderLines(ctx, s.db, r); err != nil {
		return nil, storeError(s.path, err)
	}
	return settleOrders(r.out, false), nil
}

// readOpenOrders reads the orders not shipped as of asOf: those of the
// open-orders cache and of the rows logged since (app/openorders.go),
// each checked here, and keeps the ones found open as the cache.
func (s *Shop) readOpenOrders(ctx context.Context, asOf AsOf) ([]ChannelOrder, error) {
	if asOf.Day.Before(domain.StartOfDay(s.Now())) {
		// A day gone by: an order shipped since was open then, and the
		// cache holds the orders open now. (Today's report, however late
		// it runs after it was asked, reads the cache: comparing its end,
		// a millisecond after it was asked, with now sent Today to read
		// every imported line again.)
		all, err := s.readOrders(ctx, asOf)
		return slices.DeleteFunc(all, func(o ChannelOrder) bool { return !o.Open() }), err
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer tx.Rollback()
	c, err := s.openOrderCandidates(ctx, tx)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	numbers := make([]string, 0, len(c.keys))
	for k := range c.keys {
		numbers = append(numbers, k.number)
	}
	slices.Sort(numbers)
	r := s.newOrderReader(asOf)
	err = eachRowIn(ctx, tx, orderLinesQuery(r.cutoff, "AND e.order_id IN %s"), slices.Compact(numbers), func(rows *sql.Rows) error {
		return r.add(rows, c.keys)
	})
	if err != nil {
		return nil, storeError(s.path, err)
	}
	tx.Rollback()
	s.saveOpenOrders(ctx, c, r.open())
	return settleOrders(r.out, true), nil
}

// orderLinesQuery reads the imported sale lines by order, SKU and kit,
// voided lines left out, where narrows them; a kit's first line, its first
// part's, counts its kits (settleOrders gives each of its parts the count), and whether their order had
// shipped, or been cancelled on its channel, by cutoff. Lines of cutoff's day and after are grouped apart:
// they say the order is there and open, not what it held then. An order
// of asOf's day counts all day: Etsy dates its orders without a time, and
// they are recorded at noon.
func orderLinesQuery(cutoff int64, where string) string {
	return `SELECT e.channel, e.order_id, coalesce(k.code, ''), sum(e.qty), min(e.at),
			coalesce((SELECT min(o.shipped_at) FROM orders o WHERE o.channel = e.channel AND o.number = e.order_id AND o.shipped_at > 0
				AND o.shipped_at < ` + itoa(cutoff) + `), 0) AS shipped,
			coalesce((SELECT min(o.withdrawn_at) FROM orders o WHERE o.channel = e.channel AND o.number = e.order_id AND o.withdrawn_at > 0
				AND o.withdrawn_at < ` + itoa(cutoff) + `), 0) AS withdrawn,
			e.kit_id, coalesce(kit.code, ''), coalesce(kit.name, ''), sum(CASE WHEN e.id = e.ref THEN e.kit_qty ELSE 0 END), coalesce(k.path = 'digital', 0), e.at < ` + itoa(cutoff) + `
		FROM events e LEFT JOIN skus k ON k.id = e.sku_id LEFT JOIN skus kit ON e.kit_id <> '' AND kit.id = e.kit_id
		WHERE e.kind = 'sale' AND e.channel IN ('etsy', 'shopify') AND e.order_id <> '' ` + where + `
			AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id)
		GROUP BY e.channel, e.order_id, k.code, e.kit_id, e.at < ` + itoa(cutoff)
}

// orderReader gathers the orders of their lines.
type orderReader struct {
	loc    *time.Location
	cutoff int64
	byKey  map[orderKey]*ChannelOrder
	out    []*ChannelOrder
	last   *ChannelOrder // the order of the line before: an order's lines come together
	// live are the orders with a line not shipped nor cancelled, of any
	// day, and whether one of its items is to be sent (or of a SKU not
	// known).
	live map[orderKey]bool
}

func (s *Shop) newOrderReader(asOf AsOf) *orderReader {
	return &orderReader{loc: s.loc, cutoff: domain.AddDays(asOf.Day, 1).UnixMilli(), byKey: map[orderKey]*ChannelOrder{},
		live: map[orderKey]bool{}}
}

// listedLine is a SKU's lines in an order, of a kit or of none: its
// quantity and the kits the lines count, the moment of the first, and
// whether it is before the cutoff. Shipped and withdrawn are when its
// order shipped and was cancelled on its channel before the cutoff, 0 if
// it was not.
type listedLine struct {
	key                    orderKey
	code                   string
	qty, kitQty            int
	at, shipped, withdrawn int64
	kitID, kit, kitName    string
	download, before       bool
}

// add reads one row of orderLinesQuery; given only, it keeps the open
// orders of only.
func (r *orderReader) add(rows *sql.Rows, only ...map[orderKey]bool) error {
	var l listedLine
	if err := rows.Scan(&l.key.channel, &l.key.number, &l.code, &l.qty, &l.at, &l.shipped, &l.withdrawn,
		&l.kitID, &l.kit, &l.kitName, &l.kitQty, &l.download, &l.before); err != nil {
		return err
	}
	r.addLine(l, only...)
	return nil
}

// addLine adds l to its order; given only, it keeps the open orders of
// only. Lines of one SKU and kit make one item.
func (r *orderReader) addLine(l listedLine, only ...map[orderKey]bool) {
	if len(only) > 0 && (!only[0][l.key] || l.shipped > 0 || l.withdrawn > 0) {
		return
	}
	if l.shipped == 0 && l.withdrawn == 0 {
		r.live[l.key] = r.live[l.key] || l.code == "" || !l.download
	}
	if !l.before || l.code == "" {
		return
	}
	r.addItem(r.order(l.key, l.at, l.shipped, l.withdrawn), l)
}

// addItem adds l, a line before the cutoff of a SKU known, to its order o.
func (r *orderReader) addItem(o *ChannelOrder, l listedLine) {
	if l.at < o.At.UnixMilli() {
		o.At = time.UnixMilli(l.at).In(r.loc)
	}
	if i := slices.IndexFunc(o.Items, func(it OrderItem) bool { return it.Code == l.code && it.kitID == l.kitID }); i >= 0 {
		o.Items[i].Qty += l.qty
		o.Items[i].KitQty += l.kitQty
	} else {
		o.Items = append(o.Items, OrderItem{Code: l.code, Qty: l.qty, Kit: l.kit, KitName: l.kitName, KitQty: l.kitQty, kitID: l.kitID})
	}
	o.toShip = o.toShip || !l.download
}

// order is the order of key read so far, or a new one of a line at at,
// shipped and withdrawn (cancelled on its channel) when not 0.
func (r *orderReader) order(key orderKey, at, shipped, withdrawn int64) *ChannelOrder {
	if o := r.last; o != nil && o.Number == key.number && string(o.Channel) == key.channel {
		return o
	}
	if o := r.byKey[key]; o != nil {
		r.last = o
		return o
	}
	o := r.newOrder(key, at)
	if shipped > 0 {
		o.ShippedAt = time.UnixMilli(shipped).In(r.loc)
	}
	if withdrawn > 0 {
		o.WithdrawnAt = time.UnixMilli(withdrawn).In(r.loc)
	}
	r.byKey[key] = o
	return o
}

// newOrder is a new order of key of a line at at, not yet in byKey.
func (r *orderReader) newOrder(key orderKey, at int64) *ChannelOrder {
	o := &ChannelOrder{Number: key.number, Channel: domain.Channel(key.channel), At: time.UnixMilli(at).In(r.loc),
		Items: make([]OrderItem, 0, 2)}
	r.out = append(r.out, o)
	r.last = o
	return o
}

// open are the orders not shipped nor cancelled with something to send,
// of any day: what the open-orders cache keeps.
func (r *orderReader) open() map[orderKey]bool {
	out := map[orderKey]bool{}
	for k, send := range r.live {
		if send {
			out[k] = true
		}
	}
	return out
}

// settleOrders are the orders read, newest first, each one's items by
// code and kit: an order of downloads only reads shipped as it was
// bought, and openOnly leaves it out.
func settleOrders(out []*ChannelOrder, openOnly bool) []ChannelOrder {
	kept := make([]*ChannelOrder, 0, len(out))
	for _, o := range out {
		if len(o.Items) > 1 {
			slices.SortStableFunc(o.Items, func(a, b OrderItem) int {
				return cmp.Or(strings.Compare(a.Code, b.Code), strings.Compare(a.kitID, b.kitID))
			})
		}
		countKits(o)
		// An order of downloads only was delivered as it was bought:
		// shipped then, with nothing left to send; it stayed open for ever.
		if !o.toShip && o.ShippedAt.IsZero() {
			o.ShippedAt = o.At
		}
		if !openOnly || o.toShip {
			kept = append(kept, o)
		}
	}
	// Sorted by reference, then copied: moving the orders themselves took
	// most of the sorting of 100,000.
	slices.SortFunc(kept, func(a, b *ChannelOrder) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return strings.Compare(a.Number, b.Number)
	})
	orders := make([]ChannelOrder, len(kept))
	for i, o := range kept {
		orders[i] = *o
	}
	return orders
}

// countKits gives each part of a kit in o the kits its first part's lines
// count: a part sold at two prices a cent apart is two lines of one kit
// (domain.KitRuns), so its lines cannot count the kits themselves.
func countKits(o *ChannelOrder) {
	if !slices.ContainsFunc(o.Items, func(it OrderItem) bool { return it.Kit != "" }) {
		return
	}
	kits := map[string]int{}
	for _, it := range o.Items {
		kits[it.Kit] += it.KitQty
	}
	for i, it := range o.Items {
		if it.Kit != "" {
			o.Items[i].KitQty = kits[it.Kit]
		}
	}
}

// judgeOrders marks the open orders an oversold SKU's stock cannot fill
// now as delayed, with the date the latest of their SKUs ships and the
// message for the buyer. A sale takes its units off the stock when it is
// imported, so the shelf still holds the open orders' units less the
// shortfall (-available); those go to the oldest open orders first, and
// the first order they cannot fill in full, and every later one, waits: a
// smaller newer order never jumps ahead of an older buyer.
func judgeOrders(orders []ChannelOrder, snap *snapshot, retired []StockRow, loc *time.Location) {
	oversold := map[string]StockRow{}
	for _, r := range slices.Concat(snap.rows, retired) {
		if r.Status == domain.StatusOversold {
			oversold[r.SKU.Code] = r
		}
	}
	if len(oversold) == 0 {
		return
	}
	oldestFirst := openOrdersOldestFirst(orders)
	onShelf := shelfForOpenOrders(orders, oldestFirst, oversold)
	for _, i := range oldestFirst {
		o := &orders[i]
		for _, it := range o.Items {
			r, ok := oversold[it.Code]
			if !ok {
				continue
			}
			if onShelf[it.Code] >= it.Qty {
				onShelf[it.Code] -= it.Qty
				continue
			}
			onShelf[it.Code] = 0
			delayOrder(o, it, r, snap, loc)
		}
	}
}

// retiredRows are the stock rows of the SKUs no longer on sale that open
// orders hold: the snapshot reads only the SKUs on sale, and an order one
// of them cannot fill can never ship. Each is read on its own; they are few.
func (s *Shop) retiredRows(ctx context.Context, asOf AsOf, snap *snapshot, orders []ChannelOrder) ([]StockRow, error) {
	known := make(map[string]bool, len(snap.rows))
	for _, r := range snap.rows {
		known[r.SKU.Code] = true
	}
	var out []StockRow
	for _, o := range orders {
		for _, it := range o.Items {
			if !o.Open() || known[it.Code] {
				continue
			}
			known[it.Code] = true
			one, err := s.snapshot(ctx, asOf, it.Code)
			if err != nil {
				return nil, err
			}
			out = append(out, one.rows...)
		}
	}
	return out, nil
}

// openOrdersOldestFirst are the indexes of the open orders, oldest first
// and by number among orders of the same moment: an order cancelled on
// its channel is not sent, so never delayed.
func openOrdersOldestFirst(orders []ChannelOrder) []int {
	var idx []int
	for i, o := range orders {
		if o.Open() {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := orders[a].At.Compare(orders[b].At); c != 0 {
			return c
		}
		return strings.Compare(orders[a].Number, orders[b].Number)
	})
	return idx
}

// shelfForOpenOrders is, per oversold SKU, how many of the open orders'
// units are on the shelf: their units less the shortfall, never below 0.
func shelfForOpenOrders(orders []ChannelOrder, open []int, oversold map[string]StockRow) map[string]int {
	shelf := make(map[string]int, len(oversold))
	for code, r := range oversold {
		shelf[code] = r.Available
	}
	for _, i := range open {
		for _, it := range orders[i].Items {
			if _, ok := oversold[it.Code]; ok {
				shelf[it.Code] += it.Qty
			}
		}
	}
	for code, n := range shelf {
		shelf[code] = max(n, 0)
	}
	return shelf
}

// delayOrder marks o delayed by item it, r its SKU's stock, keeping the
// latest ship date of the items that hold it and the message that names
// that one: a kit by its name, as the buyer bought it, not the part short.
func delayOrder(o *ChannelOrder, it OrderItem, r StockRow, snap *snapshot, loc *time.Location) {
	in := domain.MessageInput{Path: r.SKU.Path, Archived: r.SKU.Archived, Available: r.Available, LeadDays: r.SKU.LeadDays,
		HandlingDays: snap.settings.handlingDays, Today: snap.asOf.Day}
	if at := r.backBy(in.Available); at > 0 {
		in.NextArrival = time.UnixMilli(at).In(loc)
	}
	_, ships := domain.BuyerMessage(in)
	if r.Blocked && in.FromLeadTime() {
		o.Warnings = append(o.Warnings, pausedDateWarning(r.SKU.Code, r.SKU.Factory))
		o.waitsOn = append(o.waitsOn, [2]string{r.SKU.Code, r.SKU.Factory})
	}
	if !o.Delayed || ships.After(o.ShipsBy) || (ships.IsZero() && !o.ShipsBy.IsZero()) {
		o.ShipsBy = ships
		name := r.SKU.Name
		if it.KitName != "" {
			name = it.KitName
		}
		o.Message = domain.DelayMessage(o.Number, name, ships)
	}
	o.Delayed = true
}

// delayedOrderAlerts are the open imported orders that cannot ship now.
// Only an oversold SKU delays an order, so with none on sale the orders
// are not read at all: reading them on every alerts run costs the home
// screen eight times its time (BenchmarkAlerts, 160 ms to 1.3 s), so an
// order held only by a product no longer on sale shows in the orders list,
// not on Today.
func (s *Shop) delayedOrderAlerts(ctx context.Context, snap *snapshot) ([]Alert, error) {
	oversold := false
	for _, r := range snap.rows {
		oversold = oversold || r.Status == domain.StatusOversold
	}
	if !oversold {
		return nil, nil
	}
	orders, err := s.readOpenOrders(ctx, snap.asOf)
	if err != nil {
		return nil, err
	}
	retired, err := s.retiredRows(ctx, snap.asOf, snap, orders)
	if err != nil {
		return nil, err
	}
	judgeOrders(orders, snap, retired, s.loc)
	var out []Alert
	for _, o := range orders {
		if !o.Delayed {
			continue
		}
		when := "cannot ship: a product in it is no longer made"
		if !o.ShipsBy.IsZero() {
			when = "ships by " + o.ShipsBy.Format("2 January 2006")
		}
		msg := fmt.Sprintf("Order %s on %s %s, not now: tell the buyer before they ask", o.Number, o.Channel, when)
		// The factory's pause has an alert of its own; each of a thousand
		// orders saying it whole made every row five lines.
		for _, w := range o.waitsOn {
			msg += fmt.Sprintf("; the date holds only if %s is ordered today, and %s is paused", w[0], w[1])
		}
		out = append(out, Alert{Kind: AlertDelayedOrder, Subject: o.Number, Message: msg, ToBuyer: o.Message})
	}
	return out, nil
}

// cancelledOrderAlerts are the imported orders their channel cancelled or
// refunded after their lines were imported, not shipped, with lines not
// voided: their units still count as sold, and only the maker knows
// whether they left. Such orders are few, found by the orders' index.
func (s *Shop) cancelledOrderAlerts(ctx context.Context, asOf AsOf) ([]Alert, error) {
	r := s.newOrderReader(asOf)
	numbers, err := queryStrings(ctx, s.db, `SELECT DISTINCT number FROM orders WHERE withdrawn_at > 0 AND withdrawn_at < ? ORDER BY number`, r.cutoff)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	if len(numbers) == 0 {
		return nil, nil
	}
	if err := eachRowIn(ctx, s.db, orderLinesQuery(r.cutoff, "AND e.order_id IN %s"), numbers, func(rows *sql.Rows) error { return r.add(rows) }); err != nil {
		return nil, storeError(s.path, err)
	}
	var out []Alert
	for _, o := range settleOrders(r.out, false) {
		if o.WithdrawnAt.IsZero() || o.Shipped() {
			continue
		}
		day := domain.StartOfDay(o.At)
		out = append(out, Alert{Kind: AlertCancelledOrder, Subject: o.Number, Day: day, Message: fmt.Sprintf(
			"Order %s on %s was cancelled or refunded after its lines were imported: void its lines if it never shipped, so its units come back; they are among the sales of %s",
			o.Number, o.Channel, day.Format("2 January 2006"))})
	}
	return out, nil
}
