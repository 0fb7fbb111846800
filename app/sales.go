package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"microshop/domain"
)

// SaleLine is one recorded sale line, as the sales list shows it.
type SaleLine struct {
	ID       string
	Order    string // the basket; a sale from before baskets is its own
	At       time.Time
	Code     string
	Name     string // the SKU's (or kit's) name, which tells apart two SKUs of one code
	SKU      string // the SKU's (or kit's) id, which finds it where two share its code
	Qty      int
	Price    domain.Money // unit price, after any discount
	Discount domain.Money // taken off each unit
	Channel  domain.Channel
	Payment  domain.Payment // cash for sales from before the till
	Device   string         // the device that recorded it, by name (its id when it has none)
	Location string         // where it was sold, by name
	Voided   bool
}

// Total is what the line brought in.
func (l SaleLine) Total() domain.Money { return l.Price * domain.Money(l.Qty) }

// MaxSalesDays bounds the period a sales list covers.
const MaxSalesDays = 366

// Sales lists the sale lines from from (inclusive) to to (exclusive),
// newest first; code, when not empty, keeps one SKU's. A kit's sale is
// one line of the kit, not a line of each part (kitsAsOneLine): a part's
// code keeps the sales of the part alone.
func (s *Shop) Sales(ctx context.Context, from, to time.Time, code string) ([]SaleLine, error) {
	// The period's last day, as typed: to is the moment after it.
	last := to.Add(-time.Nanosecond).Format(time.DateOnly)
	if !to.After(from) {
		return nil, domain.Errorf(domain.EInvalid, "the period from %s to %s is empty; give an end on or after its start", from.Format(time.DateOnly), last)
	}
	if to.Sub(from) > MaxSalesDays*24*time.Hour {
		return nil, domain.Errorf(domain.EInvalid, "the period from %s to %s is longer than %d days; list a year at most at once", from.Format(time.DateOnly), last, MaxSalesDays)
	}
	ids, err := s.salesSKUs(ctx, code)
	if err != nil {
		return nil, err
	}
	names, err := deviceNames(ctx, s.db)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	rows, err := s.db.QueryContext(ctx, saleLineSelect+`
		WHERE e.kind = 'sale' AND e.at >= ?1 AND e.at < ?2
			AND (?3 = '' OR (e.sku_id IN (SELECT value FROM json_each(?3)) AND kit.code IS NULL)
				OR e.kit_id IN (SELECT value FROM json_each(?3)))
		ORDER BY e.at DESC, e.id DESC`, from.UnixMilli(), to.UnixMilli(), ids)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	lines, err := s.soldLines(rows, names)
	if err != nil {
		return nil, err
	}
	return kitsAsOneLine(lines), nil
}

// salesSKUs are the ids, as a JSON array, of the SKUs whose sales the
// sales of code are: "" for every SKU's. A code that two SKUs on sale
// share, added on devices apart, is theirs both: the list names each
// line's SKU, so the maker sees whose sale each is.
func (s *Shop) salesSKUs(ctx context.Context, code string) (string, error) {
	if code == "" {
		return "", nil
	}
	sku, err := findSKU(ctx, s.db, code)
	var ids []string
	switch {
	case err == nil:
		ids = []string{sku.ID}
	case domain.RemedyOf(err) == domain.RemedySameCode:
		rows, err := skusOfCode(ctx, s.db, code)
		if err != nil {
			return "", storeError(s.path, err)
		}
		for _, r := range rows {
			if !r.Archived {
				ids = append(ids, r.ID)
			}
		}
	default:
		return "", err
	}
	b, err := json.Marshal(ids)
	return string(b), err
}

// LastOwnSale is the newest sale this device recorded of those dated from
// since to now: every line of its basket, as Sales lists them (a kit's
// sale one line), those voided already too. It is none when every line of
// it is voided, or when this device recorded no sale dated then: not the
// sale before a voided one, most likely another buyer's. Sales that came
// from other devices are never its, nor orders imported from a
// marketplace's file. The Sell screen offers it to Undo when it opens, so
// the sale made just before the app was closed can still be undone.
//
// It walks the time-led index back from now and stops at this device's
// newest sale: a step or two at a stall, the events dated in the window
// at most. By this device's own log instead (origin and sequence) it
// would read back to its last sale, all of its history on a device that
// sells nothing.
func (s *Shop) LastOwnSale(ctx context.Context, since time.Time) ([]SaleLine, error) {
	imported, err := json.Marshal(domain.ImportedChannels)
	if err != nil {
		return nil, err
	}
	device := s.DeviceID()
	var order string
	err = s.db.QueryRowContext(ctx, `SELECT order_id FROM changes INDEXED BY events_at
		WHERE at >= ?1 AND at <= ?2 AND entity = 'sale' AND origin = ?3
			AND channel NOT IN (SELECT value FROM json_each(?4))
		ORDER BY at DESC, seq DESC LIMIT 1`, since.UnixMilli(), s.Now().UnixMilli(), device, string(imported)).Scan(&order)
	if isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, storeError(s.path, err)
	}
	names, err := deviceNames(ctx, s.db)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	// Its basket's lines, by the index of orders' lines: at most
	// MaxBasketItems, all recorded here in one transaction. A sale with
	// no basket (from before baskets, or the demo's history) has none,
	// and is not offered.
	rows, err := s.db.QueryContext(ctx, saleLineSelect+`
		WHERE e.kind = 'sale' AND e.order_id = ?1 AND e.order_id <> '' AND e.origin = ?2 ORDER BY e.id`, order, device)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	lines, err := s.soldLines(rows, names)
	if err != nil {
		return nil, err
	}
	out := kitsAsOneLine(lines)
	if !slices.ContainsFunc(out, func(l SaleLine) bool { return !l.Voided }) {
		return nil, nil
	}
	return out, nil
}

// saleLineSelect reads sale lines from the events view e: each with its
// SKU's code, where it was sold, whether it is voided, and the kit a
// part's line was sold in. A query adds its WHERE and ORDER BY.
const saleLineSelect = `SELECT e.id, e.order_id, e.at, k.code, k.name, k.id, e.qty, e.price, e.discount, e.channel, e.payment, e.origin,
		CASE e.location WHEN '' THEN 'main' ELSE ifnull((SELECT name FROM locations WHERE id = e.location), e.location) END,
		EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id),
		e.ref, ifnull(kit.code, ''), ifnull(kit.name, ''), ifnull(kit.id, ''), e.kit_qty
	FROM events e JOIN skus k ON k.id = e.sku_id LEFT JOIN skus kit ON kit.id = e.kit_id AND e.kit_id <> ''`

// soldLines reads and closes the rows of a saleLineSelect query, each
// device named as names has it.
func (s *Shop) soldLines(rows *sql.Rows, names map[string]string) ([]soldLine, error) {
	defer rows.Close()
	var lines []soldLine
	for rows.Next() {
		var l soldLine
		var at, price, discount int64
		var origin string
		if err := rows.Scan(&l.ID, &l.Order, &at, &l.Code, &l.Name, &l.SKU, &l.Qty, &price, &discount, &l.Channel, &l.Payment, &origin, &l.Location, &l.Voided,
			&l.ref, &l.kitCode, &l.kitName, &l.kitID, &l.kitQty); err != nil {
			return nil, storeError(s.path, err)
		}
		l.At, l.Price, l.Discount = time.UnixMilli(at).In(s.loc), domain.Money(price), domain.Money(discount)
		if l.Order == "" {
			l.Order = l.ID
		}
		l.Payment = orCash(l.Payment)
		l.Device = origin
		if name := names[origin]; name != "" {
			l.Device = name
		}
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	return lines, nil
}

// soldLine is a sale line as logged: a part sold in a kit names the kit
// (by its code, once its record is here), how many kits, and the kit's
// first line (ref), which all the kit's lines share.
type soldLine struct {
	SaleLine
	ref, kitCode, kitName, kitID string
	kitQty                       int
}

// kitsAsOneLine lists the lines of each kit's sale as one line of the
// kit, as the till rang it up, in the place of its first; the others are
// listed as they are. A kit's lines that do not add up to whole kits
// (written by a broken device) are listed as their parts, as are those
// of a kit whose record has not arrived yet.
func kitsAsOneLine(lines []soldLine) []SaleLine {
	kits := map[string][]soldLine{} // by the kit's first line
	for _, l := range lines {
		if l.kitCode != "" {
			kits[l.ref] = append(kits[l.ref], l)
		}
	}
	out := make([]SaleLine, 0, len(lines))
	for _, l := range lines {
		if l.kitCode == "" {
			out = append(out, l.SaleLine)
			continue
		}
		parts, first := kits[l.ref]
		if !first {
			continue // listed with its kit already
		}
		delete(kits, l.ref)
		if kit, ok := kitLine(parts); ok {
			out = append(out, kit)
			continue
		}
		for _, p := range parts {
			out = append(out, p.SaleLine)
		}
	}
	return out
}

// kitLine is the one line of a kit's sale made of parts' lines: the
// kit's code and quantity, and its unit price and discount, what the
// parts' lines come to for one kit.
func kitLine(parts []soldLine) (SaleLine, bool) {
	kit := parts[0].SaleLine
	kit.ID, kit.Code, kit.Name, kit.SKU, kit.Qty = parts[0].ref, parts[0].kitCode, parts[0].kitName, parts[0].kitID, parts[0].kitQty
	var total, off domain.Money
	for _, p := range parts {
		if p.kitQty != kit.Qty || p.kitCode != kit.Code || p.Order != kit.Order || kit.Qty < 1 || p.Qty%kit.Qty != 0 {
			return SaleLine{}, false
		}
		perKit := domain.Money(p.Qty / kit.Qty)
		var okTotal, okOff bool
		total, okTotal = domain.AddMoney(total, p.Price*perKit)
		off, okOff = domain.AddMoney(off, p.Discount*perKit)
		if !okTotal || !okOff {
			return SaleLine{}, false
		}
		kit.Voided = kit.Voided || p.Voided
	}
	kit.Price, kit.Discount = total, off
	return kit, true
}

// DaySummary is the end of a day at the till: what the cash box and the
// card reader should show.
type DaySummary struct {
	Date      time.Time
	Orders    int // baskets with a line not voided
	Sales     int // sale lines not voided
	Units     int
	Total     domain.Money // takings, before refunds
	Discounts domain.Money
	ByPayment map[domain.Payment]domain.Money // takings less the refunds paid that way
	ByChannel map[domain.Channel]domain.Money
	// ByLocation is ByPayment for each location that sold or paid back
	// that day, by name: what each one's cash box and card reader hold.
	ByLocation map[string]map[domain.Payment]domain.Money
	Returns    int // units returned that day, a kit's as one a kit
	Refunds    domain.Money
	Voided     int // sale lines of the day voided, whenever the void was made
	// VoidedTotal is what the voided lines had come to, as they were
	// sold: left out of Total, as they are of Sales.
	VoidedTotal domain.Money
}

// Locations are the locations of ByLocation, main first, then by name.
func (d DaySummary) Locations() []string {
	out := make([]string, 0, len(d.ByLocation))
	for name := range d.ByLocation {
		out = append(out, name)
	}
	slices.SortFunc(out, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == domain.MainLocation:
			return -1
		case b == domain.MainLocation:
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}

// addAt adds v to what the location at took by payment p.
func (d *DaySummary) addAt(at string, p domain.Payment, v domain.Money) bool {
	m := d.ByLocation[at]
	if m == nil {
		m = map[domain.Payment]domain.Money{}
		for _, p := range domain.Payments {
			m[p] = 0
		}
		d.ByLocation[at] = m
	}
	return addTo(m, p, v)
}

// Channels are the channels the day is told by: the shop's own, and any
// other that brought takings (an imported Etsy or Shopify order).
func (d DaySummary) Channels() []domain.Channel {
	out := slices.Clone(domain.Channels)
	for _, ch := range domain.ImportedChannels {
		if d.ByChannel[ch] != 0 {
			out = append(out, ch)
		}
	}
	return out
}

// Day sums up the day that holds day, in the shop's time zone. Voided
// lines count only in Voided and VoidedTotal, on the day of the sale they
// void.
func (s *Shop) Day(ctx context.Context, day time.Time) (DaySummary, error) {
	start := domain.StartOfDay(day.In(s.loc))
	end := start.AddDate(0, 0, 1)
	sum := DaySummary{Date: start, ByPayment: map[domain.Payment]domain.Money{}, ByChannel: map[domain.Channel]domain.Money{},
		ByLocation: map[string]map[domain.Payment]domain.Money{}}
	for _, p := range domain.Payments {
		sum.ByPayment[p] = 0
	}
	lines, err := s.Sales(ctx, start, end, "")
	if err != nil {
		return sum, err
	}
	if !sum.addLines(lines) {
		return sum, tooMuchToAdd(start)
	}
	// A kit back counts as its kits, on its first part's line, as a kit
	// sold does. An exchange paid nothing back (refundNone).
	rows, err := s.db.QueryContext(ctx, `SELECT CASE WHEN ref = '' OR kit_qty = 0 THEN qty WHEN ref = id THEN kit_qty ELSE 0 END,
			max(refund, 0), payment,
			CASE location WHEN '' THEN 'main' ELSE ifnull((SELECT name FROM locations WHERE id = events.location), location) END
		FROM events WHERE kind = 'return' AND at >= ? AND at < ?`, start.UnixMilli(), end.UnixMilli())
	if err != nil {
		return sum, storeError(s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var qty int
		var refund int64
		var payment domain.Payment
		var at string
		if err := rows.Scan(&qty, &refund, &payment, &at); err != nil {
			return sum, storeError(s.path, err)
		}
		sum.Returns += qty
		var ok bool
		if sum.Refunds, ok = domain.AddMoney(sum.Refunds, domain.Money(refund)); !ok {
			return sum, tooMuchToAdd(start)
		}
		if refund > 0 && (!addTo(sum.ByPayment, orCash(payment), -domain.Money(refund)) || !sum.addAt(at, orCash(payment), -domain.Money(refund))) {
			return sum, tooMuchToAdd(start)
		}
	}
	return sum, storeError(s.path, rows.Err())
}

// addLines adds the day's sale lines to d: those voided to Voided and
// VoidedTotal alone, the others to the takings. It reports false when a
// sum would go past what a Money holds.
func (d *DaySummary) addLines(lines []SaleLine) bool {
	orders := map[string]bool{}
	for _, l := range lines {
		var ok bool
		if l.Voided {
			d.Voided++
			if d.VoidedTotal, ok = domain.AddMoney(d.VoidedTotal, l.Total()); !ok {
				return false
			}
			continue
		}
		orders[l.Order] = true
		d.Sales++
		d.Units += l.Qty
		var okDiscounts bool
		d.Total, ok = domain.AddMoney(d.Total, l.Total())
		d.Discounts, okDiscounts = domain.AddMoney(d.Discounts, l.Discount*domain.Money(l.Qty))
		if !ok || !okDiscounts || !addTo(d.ByPayment, l.Payment, l.Total()) || !addTo(d.ByChannel, l.Channel, l.Total()) || !d.addAt(l.Location, l.Payment, l.Total()) {
			return false
		}
	}
	d.Orders = len(orders)
	return true
}

// tooMuchToAdd refuses a day whose amounts add up past what a Money holds.
func tooMuchToAdd(day time.Time) error {
	return domain.Errorf(domain.EInvalid, "the sales and refunds of %s add up to more than can be counted; a line's price or quantity is wrong: check the day's sales and void the wrong line", day.Format(time.DateOnly))
}

// addTo adds v to m's sum for k, and reports false when the sum would go
// past what a Money holds.
func addTo[K comparable](m map[K]domain.Money, k K, v domain.Money) bool {
	sum, ok := domain.AddMoney(m[k], v)
	if ok {
		m[k] = sum
	}
	return ok
}
