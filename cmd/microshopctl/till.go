package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"microshop/app"
	"microshop/domain"
)

// basketJSON is what `sell` prints (CLI.md): the order, and for a basket
// of one the line's keys at the top level as before baskets.
type basketJSON struct {
	Order   string     `json:"order"`
	Items   []lineJSON `json:"items"`
	Total   string     `json:"total"`
	Payment string     `json:"payment"`
	*saleJSON
}

type lineJSON struct {
	ID        string `json:"id"`
	Code      string `json:"code"`
	Qty       int    `json:"qty"`
	Price     string `json:"price"`
	Available *int   `json:"available"`
}

func runSell(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	qty := f.Int("qty", 1, "`N` units sold, for one item (default 1)")
	price := f.moneyFlag("price", "unit `PRICE` charged, like 24.00, for one item (default the SKU's price)")
	channel := parsed(f, "channel", "where it sold, `CHANNEL`: fair, online or other (default fair)", domain.ParseChannel)
	payment := parsed(f, "payment", "how it was paid, `METHOD`: cash, card or other (default cash at a fair, other on another channel)", domain.ParsePayment)
	discount := f.percentFlag("discount", 0, 0, 100, "`PERCENT` off every item, 0 to 100")
	at := f.atFlag()
	force := f.Bool("force", false, "record it even beyond available stock: the sale really happened")
	location := f.locationFlag()
	pos, err := f.parse(args, "CODE[:QTY]", "[CODE[:QTY] ...]")
	if err != nil {
		return err
	}
	// The app reads a quantity of 0 as "one"; a typed 0 is refused here.
	if err := domain.ValidateQty(*qty); err != nil {
		return err
	}
	if err := domain.ValidateDiscount(*discount); err != nil {
		return err
	}
	basket := app.Basket{Payment: *payment, Discount: *discount, Channel: *channel, Force: *force, Location: *location}
	if basket.Items, err = basketItems(pos, f, *qty, price); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		when := eventTime(s, *at)
		basket.At = when
		o, err := s.SellBasket(ctx, basket)
		if err != nil {
			return withForceHint(withMoveCommand(err), "if the sale really happened, record it with --force")
		}
		locs, err := s.Locations(ctx)
		if err != nil {
			return err
		}
		return c.printBasket(o, basket.Channel, when, len(locs) > 1)
	})
}

// withMoveCommand adds, to a sale's refusal that says to move units from
// another location first, the command that moves the units missing.
func withMoveCommand(err error) error {
	var short *app.ShortError
	if !errors.As(err, &short) || short.MoveHint() == "" || short.Part != "" {
		return err
	}
	from := short.Elsewhere[0]
	qty := min(short.Qty-max(short.Available, 0), from.Available)
	hint := short.MoveHint()
	msg := domain.ErrorMessage(err)
	if !strings.Contains(msg, hint) {
		return err
	}
	cmd := fmt.Sprintf(" (`microshopctl move %s --qty %d --from %s --to %s`)", shellArg(short.Code), qty, shellArg(from.Location), shellArg(short.Location))
	return &domain.Error{Code: domain.ErrorCode(err), Message: strings.Replace(msg, hint, hint+cmd, 1), Err: err}
}

// basketItems reads the items of `sell`: CODE or CODE:QTY each; for one
// item, --qty and --price may say the same.
func basketItems(pos []string, f *flagSet, qty int, price *domain.Money) ([]app.BasketItem, error) {
	if len(pos) > 1 && (f.isSet("qty") || f.isSet("price")) {
		return nil, usagef("with several items, give each one's quantity as CODE:QTY, not --qty or --price")
	}
	items := make([]app.BasketItem, 0, len(pos))
	for _, p := range pos {
		item, err := basketItem(p)
		if err != nil {
			return nil, err
		}
		if f.isSet("qty") {
			if strings.Contains(p, ":") && item.Qty != qty {
				return nil, usagef("%s and --qty %d give two quantities; give one", p, qty)
			}
			item.Qty = qty
		}
		if f.isSet("price") {
			item.Price = price
		}
		// A code given twice is one line of both quantities: apart, the
		// second was checked against what the first left, and 3 on the
		// shelf read "only 2 available" for MUG MUG:4.
		if i := slices.IndexFunc(items, func(it app.BasketItem) bool { return strings.EqualFold(it.Code, item.Code) }); i >= 0 {
			items[i].Qty += item.Qty
			continue
		}
		items = append(items, item)
	}
	return items, nil
}

// printBasket says what `sell` recorded; located names where it sold,
// main too, when the shop has more than one location.
func (c *cli) printBasket(o app.SoldBasket, channel domain.Channel, when time.Time, located bool) error {
	located = located || o.Location.ID != ""
	lines := make([]lineJSON, len(o.Items))
	for i, it := range o.Items {
		l := lineJSON{ID: it.ID, Code: it.Code, Qty: it.Qty, Price: it.Price.String()}
		if !it.Digital {
			l.Available = &o.Items[i].Available
		}
		lines[i] = l
	}
	if c.json {
		out := basketJSON{Order: o.ID, Items: lines, Total: o.Total.String(), Payment: string(o.Payment)}
		if len(lines) == 1 {
			l := lines[0]
			if channel == "" {
				channel = "fair"
			}
			out.saleJSON = &saleJSON{ID: l.ID, Code: l.Code, Qty: l.Qty, Price: l.Price, Available: l.Available,
				Channel: string(channel), At: when.Format(time.RFC3339)}
		}
		return c.printJSON(out)
	}
	for i, l := range lines {
		price := c.amount(o.Items[i].Price)
		switch {
		case l.Available == nil:
			c.say("Sold %d × %s at %s (digital).", l.Qty, l.Code, price)
		case *l.Available < 0 && located:
			// Short where it was sold, not in the shop: the units may be
			// at main, and reordering is not the remedy.
			c.say("Sold %d × %s at %s beyond the stock at %s; %d available there: move some there (`microshopctl move`), or count it there.",
				l.Qty, l.Code, price, o.Location.Name, *l.Available)
		case *l.Available < 0:
			c.say("Sold %d × %s at %s beyond stock; %d available, so %s is oversold: count it and reorder.", l.Qty, l.Code, price, *l.Available, l.Code)
		case located:
			c.say("Sold %d × %s at %s; %d available at %s.", l.Qty, l.Code, price, *l.Available, o.Location.Name)
		default:
			c.say("Sold %d × %s at %s; %d available.", l.Qty, l.Code, price, *l.Available)
		}
	}
	if len(lines) > 1 || o.Discounts > 0 {
		c.say("Total %s, paid by %s (order %s).", c.amount(o.Total), o.Payment, o.ID)
	}
	return nil
}

// basketItem reads CODE or CODE:QTY.
func basketItem(arg string) (app.BasketItem, error) {
	code, qtyText, hasQty := strings.Cut(arg, ":")
	item := app.BasketItem{Code: code, Qty: 1}
	if code == "" {
		return item, usagef("%q names no SKU; give items as CODE or CODE:QTY, like MUG:2", arg)
	}
	if hasQty {
		n, err := strconv.Atoi(qtyText)
		if err != nil {
			return item, usagef("%q is not CODE:QTY: %q is not a whole number of units", arg, qtyText)
		}
		if err := domain.ValidateQty(n); err != nil {
			return item, err
		}
		item.Qty = n
	}
	return item, nil
}

type salesLineJSON struct {
	ID       string `json:"id"`
	Order    string `json:"order"`
	At       string `json:"at"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Qty      int    `json:"qty"`
	Price    string `json:"price"`
	Channel  string `json:"channel"`
	Payment  string `json:"payment"`
	Location string `json:"location"`
	Device   string `json:"device"`
	Voided   bool   `json:"voided"`
}

func runSales(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	// Days that have begun, as `day` takes: a day ahead listed nothing,
	// as if it had been looked at and found empty.
	date := func(s string) (time.Time, error) { return domain.ParseReportDay(s, c.loc, time.Now()) }
	from := parsed(f, "from", "the first `DATE` listed (YYYY-MM-DD); default the --to date, else today", date)
	to := parsed(f, "to", "the last `DATE` listed (YYYY-MM-DD); default today, or the --from date when that is later", date)
	code := f.String("code", "", "list only the sales of `CODE`")
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		start := *from
		if start.IsZero() {
			start = *to // --to alone lists that day
		}
		if start.IsZero() {
			start = s.Now()
		}
		start = domain.StartOfDay(start.In(s.Location()))
		// --from alone lists from then to today: "sales since the 1st" read
		// as the 1st alone.
		last := *to
		if last.IsZero() {
			last = s.Now()
			if last.Before(start) {
				last = start
			}
		}
		end := domain.StartOfDay(last.In(s.Location())).AddDate(0, 0, 1)
		lines, err := s.Sales(ctx, start, end, *code)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]salesLineJSON, len(lines))
			for i, l := range lines {
				out[i] = salesLineJSON{ID: l.ID, Order: l.Order, At: l.At.Format(time.RFC3339), Code: l.Code, Name: l.Name, Qty: l.Qty,
					Price: l.Price.String(), Channel: string(l.Channel), Payment: string(l.Payment), Location: l.Location,
					Device: l.Device, Voided: l.Voided}
			}
			return c.printJSON(out)
		}
		if len(lines) == 0 {
			c.say("No sales from %s to %s.", start.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly))
			return nil
		}
		tw := c.table("TIME", "CODE", "NAME", "QTY", "PRICE", "TOTAL", "CHANNEL", "PAYMENT", "DEVICE", "SALE ID", "STATE")
		for _, l := range lines {
			voided := ""
			if l.Voided {
				voided = "voided"
			}
			row(tw, l.At.Format(minuteLayout), l.Code, l.Name, l.Qty, c.amount(l.Price), c.amount(l.Total()), l.Channel, l.Payment, l.Device, l.ID, voided)
		}
		return tw.Flush()
	})
}

func runVoid(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	reason := f.String("reason", "", "why, `TEXT` in a few words, like \"rung up twice\"")
	force := f.Bool("force", false, "void it even when a return of what it sold, refunded or restocked, was recorded since the sale: those units were another sale's")
	pos, err := f.parse(args, "SALE_ID") // or its first or last 6 characters or more
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		id, err := s.FindSale(ctx, pos[0])
		if err != nil {
			return err
		}
		// What the desktop asks about first is refused here unless forced:
		// a return names no sale, and if it was of this sale's units, the
		// void counts the refund and the restocked units back twice. The
		// void reads the returns in its own transaction, so one recorded
		// by sync a moment before is not voided over unsaid.
		var warnings []string
		if *force {
			if warnings, err = s.VoidWarnings(ctx, id); err != nil {
				return err
			}
			err = s.VoidSale(ctx, id, *reason)
		} else {
			err = s.VoidSaleWarned(ctx, id, *reason, nil)
		}
		if errors.Is(err, app.ErrVoidWarned) {
			return domain.Errorf(domain.EConflict, "%s; if not, void it with --force", domain.ErrorMessage(err))
		}
		if err != nil {
			return err
		}
		c.warn(warnings)
		if c.json {
			return c.printJSON(struct {
				ID     string `json:"id"`
				Voided bool   `json:"voided"`
			}{id, true})
		}
		if download, err := s.SoldADownload(ctx, id); err == nil && download {
			c.say("Voided sale %s; it no longer counts as sold (a download holds no stock).", id)
			return nil
		}
		if counted, err := s.CountedSince(ctx, id); err == nil && counted {
			c.say("Voided sale %s; it is counted as never made, and its units stay as the count since found them.", id)
			return nil
		}
		c.say("Voided sale %s; its units are back in stock.", id)
		return nil
	})
}

type dayJSON struct {
	Date      string            `json:"date"`
	Orders    int               `json:"orders"`
	Sales     int               `json:"sales"`
	Units     int               `json:"units"`
	Total     string            `json:"total"`
	Discounts string            `json:"discounts"`
	ByPayment map[string]string `json:"by_payment"`
	ByChannel map[string]string `json:"by_channel"`
	// ByLocation is by_payment for each location that sold or paid back
	// that day; added to CLI.md's shape.
	ByLocation  map[string]map[string]string `json:"by_location"`
	Returns     int                          `json:"returns"`
	Refunds     string                       `json:"refunds"`
	Voided      int                          `json:"voided"`
	VoidedTotal string                       `json:"voided_total"` // what the voided lines came to, as sold; added to CLI.md's shape
}

func newDayJSON(d app.DaySummary) dayJSON {
	out := dayJSON{Date: d.Date.Format(time.DateOnly), Orders: d.Orders, Sales: d.Sales, Units: d.Units, Total: d.Total.String(),
		Discounts: d.Discounts.String(), ByPayment: map[string]string{}, ByChannel: map[string]string{},
		Returns: d.Returns, Refunds: d.Refunds.String(), Voided: d.Voided, VoidedTotal: d.VoidedTotal.String()}
	for p, m := range d.ByPayment {
		out.ByPayment[string(p)] = m.String()
	}
	for _, ch := range d.Channels() { // each of the shop's own, as by_payment lists each way to pay
		out.ByChannel[string(ch)] = d.ByChannel[ch].String()
	}
	out.ByLocation = map[string]map[string]string{}
	for at, pays := range d.ByLocation {
		out.ByLocation[at] = map[string]string{}
		for p, m := range pays {
			out.ByLocation[at][string(p)] = m.String()
		}
	}
	return out
}

func runDay(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	out := f.out("also write the day to `FILE`.csv or .pdf, for the cash box and the bookkeeper")
	pos, err := f.parse(args, "[DATE]")
	if err != nil {
		return err
	}
	var day time.Time
	if len(pos) == 1 {
		if day, err = domain.ParseReportDay(pos[0], c.loc, time.Now()); err != nil {
			return err
		}
	}
	ext := strings.ToLower(filepath.Ext(*out.path))
	if *out.path != "" && ext != ".csv" && ext != ".pdf" {
		return usagef("%s is neither a .csv nor a .pdf file; day writes one of those (give a name ending in .csv or .pdf)", *out.path)
	}
	return c.withShop(func(s *app.Shop) error {
		if day.IsZero() {
			day = s.Now()
		}
		d, err := s.Day(ctx, day)
		if err != nil {
			return err
		}
		if *out.path != "" {
			if err := out.write(s, dayWriter(ctx, s, d, ext)); err != nil {
				return err
			}
		}
		if c.json {
			return c.printJSON(newDayJSON(d))
		}
		c.printDay(d)
		if *out.path != "" {
			c.say("Wrote %s.", *out.path)
		}
		return nil
	})
}

// printDay says the day's close: the takings, by payment and by channel.
func (c *cli) printDay(d app.DaySummary) {
	c.say("%s: %s, %s, %s; takings %s %s (discounts %s).", d.Date.Format("Monday 2 January 2006"),
		count(d.Orders, "order"), count(d.Sales, "line"), count(d.Units, "unit"), c.amount(d.Total), c.currency, c.amount(d.Discounts))
	c.say("By payment, less refunds:") // the cash box holds the takings less the cash paid back
	for _, p := range domain.Payments {
		c.say("  %-8s %s %s", p, c.amount(d.ByPayment[p]), c.currency)
	}
	if places := d.Locations(); len(places) > 1 { // each cash box, when there are several
		c.say("By location, less refunds:")
		width := 0
		for _, at := range places {
			width = max(width, len([]rune(at)))
		}
		for _, at := range places {
			pays := make([]string, len(domain.Payments))
			for i, p := range domain.Payments {
				pays[i] = fmt.Sprintf("%s %s", p, c.amount(d.ByLocation[at][p]))
			}
			c.say("  %s%s  %s %s", at, strings.Repeat(" ", width-len([]rune(at))), strings.Join(pays, " · "), c.currency)
		}
	}
	c.say("By channel:")
	for _, ch := range d.Channels() {
		c.say("  %-8s %s %s", ch, c.amount(d.ByChannel[ch]), c.currency)
	}
	c.say("Returns: %s, %s %s refunded. Voided: %s, %s %s.", count(d.Returns, "unit"), c.amount(d.Refunds), c.currency,
		count(d.Voided, "line"), c.amount(d.VoidedTotal), c.currency)
}

// dayWriter writes the day as the --out file's extension asks: CSV or PDF.
func dayWriter(ctx context.Context, s *app.Shop, d app.DaySummary, ext string) func(io.Writer) error {
	if ext != ".pdf" {
		return func(w io.Writer) error { return writeDayCSV(w, d) }
	}
	return func(w io.Writer) error {
		info, err := s.Info(ctx)
		if err != nil {
			return err
		}
		return app.WriteDayPDF(w, d, info.Name, info.Currency)
	}
}

// writeDayCSV writes the day as rows of figure and value, which any
// spreadsheet opens.
func writeDayCSV(w io.Writer, d app.DaySummary) error {
	cw := csv.NewWriter(w)
	rows := [][]string{
		{"figure", "value"},
		{"date", d.Date.Format(time.DateOnly)},
		{"orders", strconv.Itoa(d.Orders)},
		{"sales", strconv.Itoa(d.Sales)},
		{"units", strconv.Itoa(d.Units)},
		{"total", d.Total.String()},
		{"discounts", d.Discounts.String()},
	}
	for _, p := range domain.Payments {
		rows = append(rows, []string{"payment " + string(p), d.ByPayment[p].String()})
	}
	if places := d.Locations(); len(places) > 1 {
		for _, at := range places {
			for _, p := range domain.Payments {
				rows = append(rows, []string{"payment " + string(p) + " at " + at, d.ByLocation[at][p].String()})
			}
		}
	}
	for _, ch := range d.Channels() {
		rows = append(rows, []string{"channel " + string(ch), d.ByChannel[ch].String()})
	}
	rows = append(rows, []string{"returns", strconv.Itoa(d.Returns)}, []string{"refunds", d.Refunds.String()},
		[]string{"voided", strconv.Itoa(d.Voided)}, []string{"voided_total", d.VoidedTotal.String()})
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}
