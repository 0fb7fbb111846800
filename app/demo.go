package app

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"microshop/domain"
)

// Demo creates a new shop at path, refusing one that exists, and fills it
// with a believable maker's shop: five suppliers, thirty SKUs over all four
// supply paths and 90 days of fairs, online orders, batches, stock counts and
// returns, ending at the shop's now (opts.Now, or the wall clock). The same
// seed gives the same shop. On its first day it shows what the app is for:
// reorders, a print sold out at the last fair, a batch from a new
// microfactory held for QA, and an overseas factory paused because too many
// of its pins came back broken.
//
// The shop is filled before it takes its path, as a new shop is made: a
// demo cut off (a kill, a power cut) leaves no demo shop, and demo makes
// it again.
func Demo(ctx context.Context, path string, seed int64, opts Options) (*Shop, error) {
	in := NewShop{Name: "Fern & Kiln Studio", Currency: "EUR", Device: "workshop desktop"}
	return create(path, in, opts, func(_ context.Context, s *Shop) error {
		demoCut(s)
		err := s.write(ctx, func(t *txn) error {
			return newDemoGen(t, seed).run()
		})
		if err != nil {
			return fmt.Errorf("fill the demo shop: %w", err)
		}
		return nil
	})
}

// demoCut runs while the demo shop is being filled; a test makes it stop
// there, as a power cut would.
var demoCut = func(*Shop) {}

// The plan: who makes what, and how well it sells.

// demoDays is the history before today; today itself starts empty.
const demoDays = 90

// byHand marks a factory the maker orders from only in the story below,
// never out of weekly habit.
const byHand = math.MinInt

type demoFactory struct {
	name          string
	kind          domain.FactoryKind
	location      domain.Location
	leadDays      int
	moq, multiple int
	established   bool
	faulty        float64 // the chance an online sale comes back with a quality fault
	damaged       float64 // the chance an online sale is broken or lost in the post
	ordersUntil   int     // the last day (-1 is yesterday) the maker reorders from it by habit
}

var demoFactories = []demoFactory{
	// name, kind, location, lead days, MOQ, multiple, established, faulty, damaged, orders until
	{"Inkwell Riso Studio", domain.KindPrint, domain.LocationLocal, 4, 20, 10, true, 0.004, 0.01, -1},
	// The maker stopped reordering pins when broken clasps began to come back.
	{"Pearl River Pin Works", domain.KindMicrofactory, domain.LocationOverseas, 42, 100, 50, true, 0.08, 0.01, -70},
	{"Harbour Lane Microfactory", domain.KindMicrofactory, domain.LocationLocal, 12, 50, 25, false, 0.004, 0.01, byHand},
	{"Back Room Workshop", domain.KindWorkshop, domain.LocationLocal, 3, 0, 1, true, 0.004, 0.01, -1},
	{"Clayworks Pottery Co-op", domain.KindWorkshop, domain.LocationLocal, 14, 12, 6, true, 0.006, 0.06, -1},
}

type demoSKU struct {
	code, name  string
	path        domain.SupplyPath
	factory     string
	price, cost string
	online      float64 // mean units sold a day online
	fair        float64 // mean units sold a day at a fair stall
	opening     int     // units counted on hand when the history starts; -1: launched by its first batch
}

const (
	demoDigital  = domain.PathDigital
	demoPrint    = domain.PathPrint
	demoMicro    = domain.PathMicrofactory
	demoHandmade = domain.PathHandmade
)

var demoSKUs = []demoSKU{
	// code, name, path, factory, price, cost, online a day, fair a day, opening stock
	{"PAT-SOCKS", "Fair Isle socks knitting pattern (PDF)", demoDigital, "", "6.50", "0.00", 1, 0, 0},
	{"PAT-TOTE", "Everyday tote sewing pattern (PDF)", demoDigital, "", "9.00", "0.00", 0.5, 0, 0},
	{"PAT-EMB", "Botanical embroidery pattern pack (PDF)", demoDigital, "", "7.50", "0.00", 0.7, 0, 0},
	{"PAT-SHAWL", "Moss stitch shawl crochet pattern (PDF)", demoDigital, "", "8.00", "0.00", 0.4, 0, 0},
	{"DIG-BRUSH", "Riso texture brushes for Procreate", demoDigital, "", "12.00", "0.00", 0.3, 0, 0},
	{"DIG-WALL", "Printable botanical wall art set", demoDigital, "", "5.00", "0.00", 0.5, 0, 0},

	{"RISO-FOX", "Fox in the Ferns risograph print, A4", demoPrint, "Inkwell Riso Studio", "18.00", "3.20", 0.5, 3, 28},
	{"RISO-MOTH", "Night Moths risograph print, A3", demoPrint, "Inkwell Riso Studio", "26.00", "5.10", 0.4, 1.8, 21},
	{"RISO-HARBOUR", "Harbour at Dusk risograph print, A4", demoPrint, "Inkwell Riso Studio", "18.00", "3.20", 0.3, 1.8, 24},
	{"RISO-MUSH", "Mushroom field guide print, A5", demoPrint, "Inkwell Riso Studio", "12.00", "1.90", 0.5, 2.4, 28},
	{"ZINE-FORAGE", "Urban Foraging zine, 24 pages", demoPrint, "Inkwell Riso Studio", "8.00", "1.60", 0.4, 2.4, 35},
	{"CARD-SET", "Botanical postcards, set of 8", demoPrint, "Inkwell Riso Studio", "14.00", "2.40", 0.6, 3, 42},
	{"STICK-WOOD", "Woodland sticker sheet", demoPrint, "Inkwell Riso Studio", "4.50", "0.70", 1.1, 5.4, 84},
	{"CAL-RISO", "Risograph wall calendar", demoPrint, "Inkwell Riso Studio", "24.00", "6.50", 0.2, 1.2, 18},

	{"PIN-MOTH", "Luna moth enamel pin", demoMicro, "Pearl River Pin Works", "11.00", "1.85", 1, 4, 112},
	{"PIN-AGARIC", "Fly agaric enamel pin", demoMicro, "Pearl River Pin Works", "10.00", "1.70", 0.9, 3.5, 98},
	{"PIN-CAT", "Sleeping cat enamel pin", demoMicro, "Pearl River Pin Works", "10.00", "1.70", 1, 4, 119},
	{"PATCH-FERN", "Fern embroidered iron-on patch", demoMicro, "Pearl River Pin Works", "8.00", "1.20", 0.4, 1.8, 70},
	{"TOTE-FERN", "Fern screen-printed canvas tote", demoMicro, "Harbour Lane Microfactory", "22.00", "7.40", 0.5, 2.4, -1},
	{"EAR-BIRCH", "Laser-cut birch moth earrings", demoMicro, "Harbour Lane Microfactory", "16.00", "3.10", 0.4, 1.8, -1},

	{"MUG-SPECK", "Speckled stoneware mug", demoHandmade, "Clayworks Pottery Co-op", "32.00", "9.50", 0.4, 2.4, 25},
	{"MUG-MOSS", "Moss glaze mug", demoHandmade, "Clayworks Pottery Co-op", "34.00", "10.00", 0.3, 1.8, 21},
	{"BOWL-NOODLE", "Stoneware noodle bowl", demoHandmade, "Clayworks Pottery Co-op", "38.00", "12.00", 0.2, 1.2, 13},
	{"PLANTER-S", "Small speckled planter", demoHandmade, "Clayworks Pottery Co-op", "24.00", "7.00", 0.2, 1.2, 17},
	{"NB-A5", "Hand-bound A5 notebook", demoHandmade, "Back Room Workshop", "19.00", "4.20", 0.5, 2.4, 21},
	{"NB-POCKET", "Pocket notebooks, set of 3", demoHandmade, "Back Room Workshop", "15.00", "3.30", 0.4, 2.4, 24},
	{"CANDLE-FIG", "Fig & cedar soy candle", demoHandmade, "Back Room Workshop", "21.00", "5.60", 0.5, 2.4, 21},
	{"CANDLE-TIN", "Travel tin candle", demoHandmade, "Back Room Workshop", "11.00", "2.40", 0.4, 3, 28},
	{"EMB-KIT", "Botanical embroidery kit", demoHandmade, "Back Room Workshop", "28.00", "8.00", 0.2, 1.2, 10},
	{"BEANIE-RIB", "Hand-knitted rib beanie", demoHandmade, "Back Room Workshop", "36.00", "11.00", 0.2, 1.2, 8},
}

// The story on top of the daily trade.
const (
	demoFaulty       = "Pearl River Pin Works" // under the quality pause as of today
	demoSoldOut      = "RISO-FOX"              // sold out at the last fair; not reordered yet
	demoSoldOutQuiet = -21                     // ... and not reordered from this day
	demoLastReview   = -14                     // busy with fairs, the maker has not reviewed stock since
	demoStocktakeDay = -45                     // the handmade shelves were counted that morning
	demoAdjustSKU    = "MUG-SPECK"             // two were chipped packing up after a fair
	demoAdjustDay    = -20
	demoSized        = "BEANIE-RIB" // the one SKU that comes back for the wrong size
	demoFairReturns  = 0.25         // fair buyers bring faults back less often than online buyers
)

// demoScripted are the batches ordered by hand: the new microfactory's two
// passed batches and the one held for QA as of today, and the pin batch
// still at sea past its expected date.
var demoScripted = []struct {
	code    string
	ordered int // day
	qty     int
	arrives int  // day; 0: not yet
	passQA  bool // held units pass QA two days after arriving
}{
	{"TOTE-FERN", -64, 50, -52, true},
	{"EAR-BIRCH", -50, 50, -38, true},
	{"TOTE-FERN", -14, 75, -2, false},
	{"EAR-BIRCH", -5, 50, 0, false},
	{"PIN-CAT", -45, 200, 0, false},
}

var demoReasons = map[domain.ReturnClass][]domain.ReturnReason{
	domain.ClassQuality:   {"defect", "broke", "not-as-described"},
	domain.ClassLogistics: {"damaged-in-transit", "packaging", "lost"},
	domain.ClassBuyer:     {"changed-mind", "wrong-size", "other"},
}

// The simulation.

type demoGen struct {
	t         *txn
	rng       *rand.Rand
	today     time.Time
	factories map[string]*demoFactoryState
	skus      []*demoSKUState
	agenda    map[int][]demoStep // steps planned for a later day: receipts, QA, returns
}

type demoFactoryState struct {
	demoFactory
	id            string
	passed        int // batches that passed QA
	sold, quality int // units sold and quality returns in the quality rule's window
}

func (f *demoFactoryState) isNew() bool {
	return !f.established && f.passed < domain.PassesToEstablish
}

type demoSKUState struct {
	demoSKU
	id                    string
	f                     *demoFactoryState // nil for digital
	price, cost           domain.Money
	onHand, held, onOrder int
	lastBatch             string
	sold                  [demoDays]int // units sold each day
}

// demoStep is something that happens at a moment of the history.
type demoStep struct {
	at time.Time
	do func() error
}

func newDemoGen(t *txn, seed int64) *demoGen {
	return &demoGen{
		t:         t,
		rng:       rand.New(rand.NewPCG(uint64(seed), 0x6d6963726f73686f)),
		today:     domain.StartOfDay(t.now.In(t.shop.loc)),
		factories: map[string]*demoFactoryState{},
		agenda:    map[int][]demoStep{},
	}
}

// day is the start of the day d days from today (d < 0 in the past).
func (g *demoGen) day(d int) time.Time { return domain.AddDays(g.today, d) }

func (g *demoGen) at(d, minute int) time.Time {
	return g.day(d).Add(time.Duration(minute) * time.Minute)
}

func (g *demoGen) plan(d int, at time.Time, do func() error) {
	g.agenda[d] = append(g.agenda[d], demoStep{at, do})
}

func (g *demoGen) run() error {
	if err := g.addCatalogue(); err != nil {
		return err
	}
	for _, b := range demoScripted {
		k := g.sku(b.code)
		g.plan(b.ordered, g.at(b.ordered, 9*60+45), func() error { return g.order(k, b.ordered, b.qty, b.arrives, b.passQA) })
	}
	lastFair := -1
	for !g.isFair(lastFair) {
		lastFair--
	}
	for d := -demoDays; d < 0; d++ {
		steps := g.agenda[d]
		delete(g.agenda, d)
		switch d {
		case -demoDays:
			steps = append(steps, g.counts(d, 8*60, func(*demoSKUState) bool { return true })...)
		case demoStocktakeDay:
			steps = append(steps, g.counts(d, 8*60+30, func(k *demoSKUState) bool { return k.path == demoHandmade })...)
		case demoAdjustDay:
			steps = append(steps, demoStep{g.at(d, 18*60), func() error { return g.adjust(g.sku(demoAdjustSKU), d) }})
		case lastFair:
			steps = append(steps, demoStep{g.at(d, 16*60+30), func() error { return g.sellOut(g.sku(demoSoldOut), d) }})
		}
		if g.day(d).Weekday() == time.Monday && d <= demoLastReview {
			steps = append(steps, demoStep{g.at(d, 9*60), func() error { return g.review(d) }})
		}
		steps = append(steps, g.sales(d)...)
		slices.SortStableFunc(steps, func(a, b demoStep) int { return a.at.Compare(b.at) })
		for _, st := range steps {
			if err := st.do(); err != nil {
				return err
			}
		}
	}
	return g.pinsComeBack()
}

// sku finds a SKU of the plan by code. The plan is a literal table in this
// file, so a miss is a mistake in it, which the demo test would catch at
// once: it panics rather than threading an impossible error everywhere.
func (g *demoGen) sku(code string) *demoSKUState {
	for _, k := range g.skus {
		if k.code == code {
			return k
		}
	}
	panic("demo plan names an unknown SKU " + code)
}

// addCatalogue records the factories and SKUs, as `factory add` and
// `sku add` would.
func (g *demoGen) addCatalogue() error {
	for _, f := range demoFactories {
		st := &demoFactoryState{demoFactory: f, id: newID()}
		g.factories[f.name] = st
		if err := g.t.setRecord("factory", st.id, map[string]any{
			"name": f.name, "kind": f.kind, "location": f.location, "lead_days": f.leadDays,
			"moq": f.moq, "multiple": f.multiple, "established": f.established,
			"paused": false, "pause_reason": "", "resumed_at": 0,
		}); err != nil {
			return err
		}
	}
	for _, p := range demoSKUs {
		k := &demoSKUState{demoSKU: p, id: newID(), f: g.factories[p.factory]}
		price, err := domain.ParseMoney(p.price)
		if err != nil {
			return err
		}
		cost, err := domain.ParseMoney(p.cost)
		if err != nil {
			return err
		}
		k.price, k.cost = price, cost
		factoryID := ""
		if k.f != nil {
			factoryID = k.f.id
		}
		g.skus = append(g.skus, k)
		if err := g.t.setRecord("sku", k.id, map[string]any{
			"code": p.code, "name": p.name, "path": p.path, "factory_id": factoryID,
			"price": int64(price), "cost": int64(cost), "archived": false,
		}); err != nil {
			return err
		}
	}
	return nil
}

func (g *demoGen) event(e event) error {
	e.ID = newID()
	return g.t.addEvent(e)
}

// isFair reports whether the maker has a stall that day: every Saturday,
// and every other Sunday.
func (g *demoGen) isFair(d int) bool {
	switch g.day(d).Weekday() {
	case time.Saturday:
		return true
	case time.Sunday:
		return (d+demoDays)/7%2 == 0
	}
	return false
}

// sales are the day's orders: online around the clock, a bit more at the
// weekend, and at the stall from ten to five on fair days.
func (g *demoGen) sales(d int) []demoStep {
	var steps []demoStep
	online := 1.0
	if wd := g.day(d).Weekday(); wd == time.Saturday || wd == time.Sunday {
		online = 1.25
	}
	fair := g.isFair(d)
	for _, k := range g.skus {
		for range g.poisson(k.online * online) {
			at := g.at(d, g.rng.IntN(24*60))
			steps = append(steps, demoStep{at, func() error { return g.sell(k, d, at, 1, "online") }})
		}
		if !fair {
			continue
		}
		for n := g.poisson(k.fair); n > 0; {
			qty := min(n, 1+g.rng.IntN(4)/3) // one in four buys two
			n -= qty
			at := g.at(d, 10*60+g.rng.IntN(7*60))
			steps = append(steps, demoStep{at, func() error { return g.sell(k, d, at, qty, "fair") }})
		}
	}
	return steps
}

// sell records a sale of what is there: a buyer who finds the SKU sold out
// leaves empty-handed, so stock never goes below zero.
func (g *demoGen) sell(k *demoSKUState, d int, at time.Time, qty int, channel string) error {
	if k.path != demoDigital {
		qty = min(qty, k.onHand-k.held)
		if qty <= 0 {
			return nil
		}
		k.onHand -= qty
		if d >= g.qualityFrom() {
			k.f.sold += qty
		}
	}
	k.sold[d+demoDays] += qty
	factoryID := ""
	if k.f != nil {
		factoryID = k.f.id
	}
	// Online buyers pay through the channel, as an imported order is paid:
	// cash at the close of day is what the stall took.
	payment := domain.PaymentCash
	if channel == "online" {
		payment = domain.PaymentOther
	}
	if err := g.event(event{Kind: kindSale, SKUID: k.id, At: at.UnixMilli(), Qty: qty, Price: int64(k.price), Channel: channel, Payment: string(payment), FactoryID: factoryID}); err != nil {
		return err
	}
	g.maybeReturn(k, d, channel)
	return nil
}

// qualityFrom is the first day of the quality rule's trailing window.
func (g *demoGen) qualityFrom() int { return -domain.ReturnWindowDays + 1 }

// maybeReturn decides whether one unit of a sale comes back, and why.
// Online buyers return more than fair buyers; pins from the overseas
// factory break, mugs get smashed in the post.
func (g *demoGen) maybeReturn(k *demoSKUState, d int, channel string) {
	quality, logistics, buyer := 0.01, 0.0, 0.01
	if k.f != nil {
		quality, logistics, buyer = k.f.faulty, k.f.damaged, 0.025
	}
	if channel == "fair" {
		quality, logistics, buyer = quality*demoFairReturns, 0, 0.005
	}
	var class domain.ReturnClass
	switch r := g.rng.Float64(); {
	case r < quality:
		class = domain.ClassQuality
	case r < quality+logistics:
		class = domain.ClassLogistics
	case r < quality+logistics+buyer:
		class = domain.ClassBuyer
	default:
		return
	}
	reasons := demoReasons[class]
	reason := reasons[g.rng.IntN(len(reasons))]
	switch {
	case reason == "wrong-size" && k.code != demoSized:
		reason = "changed-mind"
	case class == domain.ClassQuality && k.path == demoDigital:
		reason = "not-as-described"
	case class == domain.ClassLogistics && k.path == demoDigital:
		return
	}
	back := d + 3 + g.rng.IntN(10)
	if back >= 0 {
		return // still in the post
	}
	at := g.at(back, 8*60+g.rng.IntN(10*60))
	g.plan(back, at, func() error { return g.giveBack(k, back, at, reason) })
}

// giveBack records a returned unit. Buyers' returns go back on the shelf;
// faulty, broken and lost ones do not. A good factory's rare faults stay
// rare: one that would take it past 2 % is not drawn.
func (g *demoGen) giveBack(k *demoSKUState, d int, at time.Time, reason domain.ReturnReason) error {
	e := event{Kind: kindReturn, SKUID: k.id, At: at.UnixMilli(), Qty: 1, Reason: string(reason)}
	if k.f != nil {
		e.FactoryID = k.f.id
	}
	switch reason.Class() {
	case domain.ClassQuality:
		if k.f != nil {
			inWindow := d >= g.qualityFrom()
			if k.f.faulty < 0.01 && inWindow && (k.f.quality+1)*100 > 2*k.f.sold {
				return nil
			}
			if inWindow {
				k.f.quality++
			}
			e.BatchID = k.lastBatch
		}
	case domain.ClassBuyer:
		if k.path != demoDigital {
			e.Restock = true
			k.onHand++
		}
	}
	return g.event(e)
}

// pinsComeBack makes sure the overseas factory's quality returns are over
// the limit as of today, as the story says: any shortfall is clasps that
// snapped, sent back in the last few days.
func (g *demoGen) pinsComeBack() error {
	f := g.factories[demoFaulty]
	if f.sold < domain.MinSoldForQualityRule {
		return fmt.Errorf("the demo plan sold only %d units from %s; the quality rule needs %d", f.sold, f.name, domain.MinSoldForQualityRule)
	}
	var pins []*demoSKUState
	for _, k := range g.skus {
		if k.f == f {
			pins = append(pins, k)
		}
	}
	for i := 0; !domain.QualityPause(f.sold, f.quality); i++ {
		d := -1 - i%3
		if err := g.giveBack(pins[i%len(pins)], d, g.at(d, 11*60+7*(i%60)), "broke"); err != nil {
			return err
		}
	}
	// As recording the last return would (noteQualityPause, which cannot
	// judge here: the day's sales are counted when the demo commits).
	return g.t.setRecord("factory", f.id, map[string]any{"quality_paused_at": g.t.now.UnixMilli()})
}

// counts records a stocktake of the SKUs chosen: the opening counts, and
// later a count that finds the odd unit gone missing.
func (g *demoGen) counts(d, minute int, which func(*demoSKUState) bool) []demoStep {
	var steps []demoStep
	for _, k := range g.skus {
		if k.path == demoDigital || k.opening < 0 || !which(k) {
			continue
		}
		at := g.at(d, minute)
		steps = append(steps, demoStep{at, func() error {
			qty := k.opening
			if d > -demoDays {
				qty = k.onHand
				if qty > k.held && g.rng.IntN(4) == 0 {
					qty--
				}
			}
			k.onHand = qty
			return g.event(event{Kind: kindCount, SKUID: k.id, At: at.UnixMilli(), Qty: qty})
		}})
	}
	return steps
}

func (g *demoGen) adjust(k *demoSKUState, d int) error {
	qty, note := -2, "two chipped packing up after the fair"
	if k.onHand-k.held < 2 {
		qty, note = 1, "found one wrapped in the fair crate"
	}
	k.onHand += qty
	return g.event(event{Kind: kindAdjust, SKUID: k.id, At: g.at(d, 18*60).UnixMilli(), Qty: qty, Note: note})
}

// sellOut is the last fair's final hour: the remaining units of the SKU go.
func (g *demoGen) sellOut(k *demoSKUState, d int) error {
	for i := 0; k.onHand-k.held > 0; i++ {
		if err := g.sell(k, d, g.at(d, 16*60+30+i%30), 1+g.rng.IntN(2), "fair"); err != nil {
			return err
		}
	}
	return nil
}

// review is the maker's Monday habit before the app: order when stock on
// hand and on order falls below the lead time plus a week of last month's
// average sales, up to four weeks beyond the lead time. Averages include
// the sold-out days and smooth over the fairs, so some SKUs are short.
func (g *demoGen) review(d int) error {
	for _, k := range g.skus {
		if k.f == nil || d > k.f.ordersUntil || k.code == demoSoldOut && d >= demoSoldOutQuiet {
			continue
		}
		avg, ok := k.averageSold(d, 30)
		if !ok {
			continue
		}
		f := k.f
		position := k.onHand + k.onOrder
		if float64(position) >= avg*float64(f.leadDays+7) {
			continue
		}
		qty := max(int(math.Ceil(avg*float64(f.leadDays+28)))-position, f.moq, 1)
		if r := qty % f.multiple; r != 0 {
			qty += f.multiple - r
		}
		late := g.rng.IntN(3) - 1
		if f.location == domain.LocationOverseas {
			late = g.rng.IntN(5)
		}
		arrives := max(d+f.leadDays+late, d+1)
		if arrives >= 0 {
			arrives = 0
		}
		if err := g.order(k, d, qty, arrives, false); err != nil {
			return err
		}
	}
	return nil
}

// averageSold is units sold a day over the n days before day d, once the
// history holds two weeks of them.
func (k *demoSKUState) averageSold(d, n int) (float64, bool) {
	i := d + demoDays
	if i < 14 {
		return 0, false
	}
	from := max(i-n, 0)
	total := 0
	for _, s := range k.sold[from:i] {
		total += s
	}
	return float64(total) / float64(i-from), true
}

// order records a batch ordered on day d, as `batch order` would, and plans
// its arrival when that is before today.
func (g *demoGen) order(k *demoSKUState, d, qty, arrives int, passQA bool) error {
	id := newID()
	at := g.at(d, 9*60+30)
	expected := g.day(d + k.f.leadDays).Add(12 * time.Hour)
	if err := g.t.setRecord("batch", id, map[string]any{
		"sku_id": k.id, "factory_id": k.f.id, "ordered": qty, "unit_cost": int64(k.cost),
		"ordered_at": at.UnixMilli(), "expected_at": expected.UnixMilli(), "qa": domain.QAPending, "qa_at": 0, "qa_note": "",
	}); err != nil {
		return err
	}
	k.onOrder += qty
	if arrives < 0 {
		in := g.at(arrives, 10*60+g.rng.IntN(4*60))
		g.plan(arrives, in, func() error { return g.receive(k, id, arrives, in, qty, passQA) })
	}
	return nil
}

// receive records a batch arriving in full. From a new factory the hold is
// taken; when passQA, the held units pass two days later.
func (g *demoGen) receive(k *demoSKUState, id string, d int, at time.Time, qty int, passQA bool) error {
	held := 0
	if k.f.isNew() {
		held = domain.HoldQty(qty, domain.DefaultHoldPercent)
	}
	k.onOrder -= qty
	k.onHand += qty
	k.held += held
	k.lastBatch = id
	if err := g.event(event{Kind: kindReceipt, SKUID: k.id, At: at.UnixMilli(), Qty: qty, Held: held, BatchID: id, FactoryID: k.f.id}); err != nil {
		return err
	}
	if held == 0 || !passQA {
		return nil
	}
	qa := g.at(d+2, 15*60)
	g.plan(d+2, qa, func() error {
		k.held -= held
		k.f.passed++
		return g.t.setRecord("batch", id, map[string]any{
			"qa": domain.QAPassed, "qa_at": qa.UnixMilli(), "qa_note": fmt.Sprintf("checked the %d held: print and stitching fine", held),
		})
	})
	return nil
}

// poisson draws how many of something happen when mean happen on average.
func (g *demoGen) poisson(mean float64) int {
	limit, p, n := math.Exp(-mean), 1.0, 0
	for {
		p *= g.rng.Float64()
		if p <= limit {
			return n
		}
		n++
	}
}
