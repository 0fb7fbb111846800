package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"microshop/domain"
)

// stallShop is tillShop with a location "Stall" the device does not sell
// from yet: MUG 20 and CARD 30, all at main.
func stallShop(t *testing.T) (*Shop, *fakeClock) {
	t.Helper()
	s, clock := tillShop(t)
	if _, err := s.AddLocation(context.Background(), "  Stall "); err != nil {
		t.Fatal(err)
	}
	return s, clock
}

// vaseStallShop is stallShop selling a vase too, from New Works, a new
// factory that holds part of each delivery back for QA.
func vaseStallShop(t *testing.T) (*Shop, *fakeClock) {
	t.Helper()
	s, clock := stallShop(t)
	mustFactory(t, s, "New Works", 5, false)
	mustSKU(t, s, "VASE", domain.PathMicrofactory, "New Works")
	return s, clock
}

// stockAt is a SKU's available units at a location now.
func stockAt(t *testing.T, s *Shop, code, location string) int {
	t.Helper()
	rows, err := s.StockAt(context.Background(), s.AsOfNow(), code, location)
	if err != nil {
		t.Fatal(err)
	}
	return rows[0].Available
}

func TestLocationsAreNamedOnceAndMainIsAlwaysThere(t *testing.T) {
	ctx := context.Background()
	s, _ := stallShop(t)
	for _, name := range []string{"stall", "STALL", "Main", " main ", "", strings.Repeat("x", 200)} {
		before := content(t, s)
		if _, err := s.AddLocation(ctx, name); err == nil {
			t.Errorf("adding location %q was accepted", name)
		} else if content(t, s) != before {
			t.Errorf("refusing %q changed the shop", name)
		}
	}
	locs, err := s.Locations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(locs) != 2 || locs[0].Name != "main" || locs[0].ID != "" || locs[1].Name != "Stall" {
		t.Fatalf("locations %+v; want main, then Stall as typed", locs)
	}
	if here, _ := s.DeviceLocation(ctx); here.Name != "main" {
		t.Fatalf("a new device sells from %q; want main", here.Name)
	}
	if _, err := s.UseLocation(ctx, "shop window"); domain.ErrorCode(err) != domain.ENotFound || !strings.Contains(err.Error(), `"shop window"`) {
		t.Fatalf("using an unknown location: %v; want not found, naming it", err)
	}
	if _, err := s.UseLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	if here, _ := s.DeviceLocation(ctx); here.Name != "Stall" {
		t.Fatalf("after use: sells from %q; want Stall", here.Name)
	}
}

// Two devices adding "stall" while apart make one location.
// A location name with a typo, wherever a location is named, says which
// was meant: a maker at the stall reads "stal" as "Stall".
func TestAMistypedLocationSaysWhichWasMeant(t *testing.T) {
	ctx := context.Background()
	s, _ := stallShop(t)
	if _, err := s.AddLocation(ctx, "Shop window"); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ typed, want string }{
		{"stal", `there is no location "stal"; did you mean Stall?`},
		{"Stalls", `there is no location "Stalls"; did you mean Stall?`},
		{"shop windw", `there is no location "shop windw"; did you mean Shop window?`},
		{"mian", `there is no location "mian"; did you mean main?`},
		{"attic", `there is no location "attic"`},
	}
	for _, c := range cases {
		before := content(t, s)
		_, useErr := s.UseLocation(ctx, c.typed)
		_, sellErr := s.Sell(ctx, Sale{Code: "MUG", Location: c.typed})
		_, moveErr := s.MoveStock(ctx, Move{Code: "MUG", Qty: 1, From: "main", To: c.typed})
		for _, err := range []error{useErr, sellErr, moveErr} {
			if got := domain.ErrorMessage(err); got != c.want {
				t.Errorf("%q: %q, want %q", c.typed, got, c.want)
			}
		}
		if content(t, s) != before {
			t.Errorf("%q: refusing it changed the shop", c.typed)
		}
	}
}

func TestALocationAddedOnTwoDevicesIsOne(t *testing.T) {
	ctx := context.Background()
	a, clock := tillShop(t)
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	if _, err := a.AddLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.MoveStock(ctx, Move{Code: "MUG", Qty: 4, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.MoveStock(ctx, Move{Code: "MUG", Qty: 3, From: "main", To: "STALL"}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	for name, s := range map[string]*Shop{"a": a, "b": b} {
		locs, err := s.Locations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(locs) != 2 {
			t.Errorf("%s: locations %+v; want main and one stall", name, locs)
		}
		if got := stockAt(t, s, "MUG", "stall"); got != 7 {
			t.Errorf("%s: %d MUG at the stall, want the 4 + 3 moved", name, got)
		}
		if got := availableNow(t, s, "MUG"); got != 20 {
			t.Errorf("%s: %d MUG in all, want the 20 counted: moves make no units", name, got)
		}
	}
}

func TestASaleIsCheckedAgainstItsLocation(t *testing.T) {
	ctx := context.Background()
	s, _ := stallShop(t)
	var short *ShortError
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Location: "stall"}); !errors.As(err, &short) || !strings.Contains(err.Error(), "MUG at Stall") {
		t.Fatalf("selling at an empty stall: %v; want short, naming the stall", err)
	}
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 3, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG", Qty: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Location.Name != "Stall" || o.Items[0].Available != 1 {
		t.Fatalf("basket %+v; want sold at Stall with 1 left there", o)
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2}); !errors.As(err, &short) || short.Available != 1 {
		t.Fatalf("selling 2 with 1 at the stall: %v; want short with 1 available", err)
	}
	if got, main := stockAt(t, s, "MUG", "stall"), stockAt(t, s, "MUG", "main"); got != 1 || main != 17 {
		t.Fatalf("stall %d, main %d; want 1 and 17", got, main)
	}
	if got := availableNow(t, s, "MUG"); got != 18 {
		t.Fatalf("total %d, want 18 = 20 - 2 sold", got)
	}
	// A void puts the units back where they were sold.
	if err := s.VoidSale(ctx, o.Items[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := stockAt(t, s, "MUG", "stall"); got != 3 {
		t.Fatalf("after the void: %d at the stall, want 3", got)
	}
}

// A sale refused at the stall while main holds the SKU says so, and to
// move some there first: sold anyway, the stall reads oversold and main
// keeps units that left it, which only a count of main puts right.
func TestASaleShortAtTheStallNamesWhatIsElsewhere(t *testing.T) {
	ctx := context.Background()
	s, _ := stallShop(t)
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 2, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	var short *ShortError
	_, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 3, Location: "stall"})
	if !errors.As(err, &short) {
		t.Fatalf("selling 3 with 2 at the stall: %v; want short", err)
	}
	want := "only 2 available"
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, want) || !strings.Contains(msg, "18 are available at main: move some to Stall first") {
		t.Fatalf("refusal %q; want it to say %q and that main has 18 to move", msg, want)
	}
	if got := short.MoveHint(); got != "18 are available at main: move some to Stall first" {
		t.Fatalf("MoveHint %q", got)
	}
	// At main, with the stall holding some, it names the stall.
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 19, Location: "main"}); !strings.Contains(domain.ErrorMessage(err), "2 are available at Stall: move some to main first") {
		t.Fatalf("selling 19 with 18 at main: %v; want it to name the stall's 2", err)
	}
	// Nothing elsewhere: nothing to move.
	if _, err := s.Sell(ctx, Sale{Code: "CARD", Qty: 31, Location: "main"}); !errors.As(err, &short) || short.MoveHint() != "" || strings.Contains(err.Error(), "move") {
		t.Fatalf("selling 31 cards with 30, all at main: %v; want no move suggested", err)
	}
}
func TestAMoveIsRefusedBeyondWhatIsThereOrToNowhere(t *testing.T) {
	ctx := context.Background()
	s, _ := stallShop(t)
	cases := []struct {
		name string
		move Move
		want []string
	}{
		{"beyond what main holds", Move{Code: "MUG", Qty: 21, From: "main", To: "stall"}, []string{"21 of MUG at main", "only 20"}},
		{"from an empty stall", Move{Code: "MUG", Qty: 1, From: "stall", To: "main"}, []string{"MUG at Stall", "none available"}},
		{"to a location that does not exist", Move{Code: "MUG", Qty: 1, From: "main", To: "attic"}, []string{`"attic"`}},
		{"to itself", Move{Code: "MUG", Qty: 1, From: "stall", To: "Stall"}, []string{"same location"}},
		{"no quantity", Move{Code: "MUG", Qty: 0, From: "main", To: "stall"}, []string{"0"}},
		{"no destination", Move{Code: "MUG", Qty: 1, From: "main"}, []string{"needs the location"}},
		{"an unknown SKU", Move{Code: "NOPE", Qty: 1, From: "main", To: "stall"}, []string{`"NOPE"`}},
	}
	for _, c := range cases {
		before := content(t, s)
		_, err := s.MoveStock(ctx, c.move)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", c.name, err, w)
			}
		}
		if content(t, s) != before {
			t.Errorf("%s: refusing it changed the shop", c.name)
		}
	}
	// A batch of moves with one bad line moves nothing.
	before := content(t, s)
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 2, From: "main", To: "stall"}, Move{Code: "CARD", Qty: 99, From: "main", To: "stall"}); err == nil {
		t.Fatal("a packing list with a line beyond stock was accepted")
	}
	if content(t, s) != before {
		t.Fatal("a refused packing list moved some of it")
	}
}

// A count counts one location: the rest of the shop keeps its stock.
func TestACountCountsOneLocation(t *testing.T) {
	ctx := context.Background()
	s, clock := stallShop(t)
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 5, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Minute))
	if _, err := s.CountStock(ctx, Stocktake{Code: "MUG", Qty: 3, Location: "stall"}); err != nil {
		t.Fatal(err)
	}
	if stall, main, total := stockAt(t, s, "MUG", "stall"), stockAt(t, s, "MUG", "main"), availableNow(t, s, "MUG"); stall != 3 || main != 15 || total != 18 {
		t.Fatalf("stall %d, main %d, total %d; want 3, 15 and 18", stall, main, total)
	}
}

// Stock away from main survives a checkpoint: a report months later starts
// from the levels it saved, each location's own.
func TestCheckpointsKeepEachLocationsStock(t *testing.T) {
	ctx := context.Background()
	s, clock := stallShop(t)
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 6, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(200))
	first := stockAt(t, s, "MUG", "stall") // leaves a checkpoint past the move
	var places string
	if err := s.db.QueryRow(`SELECT places FROM stock_checkpoints WHERE sku_id = (SELECT id FROM skus WHERE code = 'MUG')`).Scan(&places); err != nil {
		t.Fatal(err)
	}
	if places == "" {
		t.Fatal("the checkpoint forgot the stall's stock")
	}
	if _, err := s.CountStock(ctx, Stocktake{Code: "MUG", Qty: 2, Location: "stall"}); err != nil {
		t.Fatal(err)
	}
	if first != 6 || stockAt(t, s, "MUG", "stall") != 2 || stockAt(t, s, "MUG", "main") != 14 || availableNow(t, s, "MUG") != 16 {
		t.Fatalf("stall %d then %d, main %d, total %d; want 6, 2, 14 and 16", first, stockAt(t, s, "MUG", "stall"),
			stockAt(t, s, "MUG", "main"), availableNow(t, s, "MUG"))
	}
}

// Moves, sales and deliveries on two devices while apart never make or
// lose a unit: after sync, both agree, the locations add up to the total,
// and the total is what came in less what was sold.
func TestMovesOnTwoDevicesConserveUnits(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		a, clock := stallShop(t)
		if _, err := a.AddLocation(ctx, "Window"); err != nil {
			rt.Fatal(err)
		}
		b := mustReplica(t, a, clock.Now)
		syncPair(t, a, b)
		names := []string{"main", "stall", "window"}
		sold := 0
		for i := range rapid.IntRange(1, 25).Draw(rt, "ops") {
			clock.Set(clock.Now().Add(time.Minute))
			s := a
			if rapid.Bool().Draw(rt, "device") {
				s = b
			}
			from := rapid.SampledFrom(names).Draw(rt, "from")
			switch rapid.IntRange(0, 3).Draw(rt, "op") {
			case 0, 1:
				to := rapid.SampledFrom(names).Draw(rt, "to")
				s.MoveStock(ctx, Move{Code: "MUG", Qty: rapid.IntRange(1, 8).Draw(rt, "qty"), From: from, To: to})
			case 2:
				qty := rapid.IntRange(1, 3).Draw(rt, "sold")
				if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: qty, Location: from, Force: rapid.Bool().Draw(rt, "force")}); err == nil {
					sold += qty
				}
			case 3:
				if rapid.Bool().Draw(rt, "sync") {
					syncPair(t, a, b)
				}
			}
			_ = i
		}
		syncPair(t, a, b)
		for name, s := range map[string]*Shop{"a": a, "b": b} {
			rows, err := s.Stock(ctx, s.AsOfNow(), "MUG")
			if err != nil {
				rt.Fatal(err)
			}
			sum := 0
			for _, n := range names {
				sum += stockAt(t, s, "MUG", n)
			}
			if rows[0].Available != 20-sold || sum != rows[0].Available {
				rt.Fatalf("%s: total %d, locations add to %d; want both 20 - %d sold", name, rows[0].Available, sum, sold)
			}
		}
		if got := fmt.Sprint(stockAt(t, a, "MUG", "stall"), stockAt(t, a, "MUG", "window")); got != fmt.Sprint(stockAt(t, b, "MUG", "stall"), stockAt(t, b, "MUG", "window")) {
			rt.Fatalf("the devices disagree on the stall and window: %s", got)
		}
	})
}

func TestPackBringsWhatTheFairSellsAndBringBackCountsTheStall(t *testing.T) {
	ctx := context.Background()
	s, clock := stallShop(t)
	// MUG sold 6 at fairs over 2 days: 3 a fair day; CARD never at a fair.
	for d, n := range []int{4, 2} {
		clock.Set(day(d + 1))
		if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: n}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Sell(ctx, Sale{Code: "CARD", Qty: 3, Channel: "online"}); err != nil {
		t.Fatal(err)
	}
	lines, err := s.Pack(ctx, s.AsOfNow(), 2, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]PackLine{}
	for _, l := range lines {
		got[l.Code] = l
	}
	// MUG: 3 × 2 × 1.5 = 9. CARD's overall rate is 3 sold over the 7-day
	// floor: 3/7 × 2 = 0.857 a fair day × 2 × 1.5 = 2.57, so 3.
	if got["MUG"].Qty != 9 || got["MUG"].FairRate != 3 || got["CARD"].Qty != 3 {
		t.Fatalf("pack %+v; want 9 MUG at 3 a fair day and 3 CARD", lines)
	}
	if _, err := s.Pack(ctx, s.AsOfNow(), 0, ""); err == nil {
		t.Fatal("a fair of 0 days was accepted")
	}
	if _, err := s.Pack(ctx, s.AsOfNow(), 2, "main"); err == nil || !strings.Contains(err.Error(), "main") {
		t.Fatalf("packing for main: %v; want it refused", err)
	}
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 7, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	// Packing again for the stall brings what it lacks, not the list again.
	again, err := s.Pack(ctx, s.AsOfNow(), 2, "stall")
	if err != nil || len(again) != 2 || again[1].Code != "MUG" || again[1].Qty != 2 || again[1].There != 7 || again[0].Qty != 3 {
		t.Fatalf("packing again for the stall: %+v, %v; want 3 CARD and 2 MUG, 7 there already", again, err)
	}
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 2, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Hour))
	if held, err := s.BringBack(ctx, "stall", map[string]int{"MUG": 4}); err != nil || len(held) != 0 {
		t.Fatalf("bringing back 4 mugs: %v held there, %v; want none held", held, err)
	}
	// 14 sold before, 9 went out, 4 came back: 5 sold or lost at the fair.
	if stall, main := stockAt(t, s, "MUG", "stall"), stockAt(t, s, "MUG", "main"); stall != 0 || main != 14-9+4 {
		t.Fatalf("after bringing back: stall %d, main %d; want 0 and 9", stall, main)
	}
	for _, bad := range []map[string]int{{"MUG": -1}, {"NOPE": 1}} {
		before := content(t, s)
		if _, err := s.BringBack(ctx, "stall", bad); err == nil || content(t, s) != before {
			t.Errorf("bringing back %v: %v; want refused, nothing written", bad, err)
		}
	}
}

// vasesReceivedAtTheStall is vaseStallShop with a batch of 10 vases from
// its new factory received at the stall an hour after it was ordered, so
// some of them are held for QA there; batchID is the batch's.
func vasesReceivedAtTheStall(t *testing.T) (s *Shop, clock *fakeClock, batchID string) {
	t.Helper()
	ctx := context.Background()
	s, clock = vaseStallShop(t)
	o, err := s.OrderBatch(ctx, Order{Code: "VASE", Qty: 10, At: clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Hour))
	if _, err := s.ReceiveBatch(ctx, o.ID, 10, clock.Now()); err != nil {
		t.Fatal(err)
	}
	return s, clock, o.ID
}

// Units held for QA at the stall stay there when the rest comes home: moved,
// they went on sale at main unchecked and the stall showed them oversold.
func TestBringingBackLeavesUnitsHeldForQA(t *testing.T) {
	ctx := context.Background()
	s, clock, _ := vasesReceivedAtTheStall(t)
	rows, err := s.StockAt(ctx, s.AsOfNow(), "VASE", "stall")
	if err != nil || rows[0].Held == 0 || rows[0].OnHand != 10 {
		t.Fatalf("the delivery at the stall: %+v, %v; the test needs 10 there, some held", rows, err)
	}
	heldThere := rows[0].Held
	clock.Set(clock.Now().Add(time.Hour))
	held, err := s.BringBack(ctx, "stall", map[string]int{"VASE": 10})
	if err != nil || held["VASE"] != heldThere {
		t.Fatalf("bringing back 10 vases: %v held, %v; want the %d held for QA named", held, err, heldThere)
	}
	stall, err := s.StockAt(ctx, s.AsOfNow(), "VASE", "stall")
	if err != nil {
		t.Fatal(err)
	}
	if st := stall[0]; st.OnHand != heldThere || st.Held != heldThere || st.Available != 0 {
		t.Fatalf("the stall after: %d on hand, %d held, %d available; want the %d held there and nothing oversold", st.OnHand, st.Held, st.Available, heldThere)
	}
	if got := stockAt(t, s, "VASE", "main"); got != 10-heldThere {
		t.Fatalf("%d vases on sale at main; want the %d not held", got, 10-heldThere)
	}
	if got := stockRow(t, s, "VASE").Available; got != 10-heldThere {
		t.Fatalf("%d vases available in the shop; want %d: the held ones wait for QA", got, 10-heldThere)
	}
}

// The packing checklist reads back as the list: every SKU with its units.
func TestThePackingChecklistHoldsTheList(t *testing.T) {
	pdftotext := pdftotext(t)
	lines := []PackLine{{Code: "MUG-01", Name: "Speckled mug", Qty: 9}, {Code: "CARD-07", Name: "Card, Hirsch", Qty: 3}}
	for i := range 60 { // more than a page
		lines = append(lines, PackLine{Code: fmt.Sprintf("ZINE-%02d", i), Name: "Zine", Qty: 1})
	}
	file := filepath.Join(t.TempDir(), "pack.pdf")
	if err := writeWhole(file, false, func(w io.Writer) error { return WritePackPDF(w, lines, 2, "Stall", "Clay & Co") }); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"Clay & Co: pack for Stall, a fair of 2 days", "72 units of 62 SKUs", "MUG-01", "Speckled mug", "ZINE-59"} {
		if !strings.Contains(text, want) {
			t.Errorf("the checklist does not say %q:\n%s", want, text)
		}
	}
	if !regexp.MustCompile(`MUG-01\s+Speckled mug\s+9`).MatchString(text) {
		t.Errorf("the mug's line does not read MUG-01, Speckled mug, 9:\n%s", text)
	}
	if pages := strings.Count(text, "\f"); pages < 2 {
		t.Errorf("%d pages for 62 lines; want the list to go on over the page", pages)
	}
	one := filepath.Join(t.TempDir(), "one.pdf")
	if err := writeWhole(one, false, func(w io.Writer) error { return WritePackPDF(w, lines[:1], 1, "Stall", "Clay & Co") }); err != nil {
		t.Fatal(err)
	}
	out, _ = exec.Command(pdftotext, "-layout", one, "-").CombinedOutput()
	for _, want := range []string{"a fair of 1 day\n", "9 units of 1 SKU\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the one-day checklist does not say %q:\n%s", want, out)
		}
	}
}

// A backdated move out of a location that held none of the SKU at its
// moment is refused, though a later count there would absorb a sale: a
// move's units arrive somewhere, and no count of the source takes them
// back from the destination, so it made units out of nothing.
func TestABackdatedMoveFromNothingIsRefused(t *testing.T) {
	ctx := context.Background()
	s, clock := stallShop(t)
	now := clock.Now()
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 5, From: "main", To: "stall", At: now.Add(-2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CountStock(ctx, Stocktake{Code: "MUG", Qty: 5, Location: "stall", At: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	total := mustStock(t, s, "MUG", s.AsOfNow()).OnHand
	before := content(t, s)
	_, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 3, From: "stall", To: "main", At: now.Add(-3 * time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "MUG at Stall") {
		t.Fatalf("a move of 3 from a stall holding none then: %v, want it refused", err)
	}
	// Dated before the units came: it says when they did.
	came := now.Add(-2 * time.Hour).In(time.Local).Format("2006-01-02 15:04")
	if want := "; enough were there from " + came + ": date the move then or later"; !strings.HasSuffix(domain.ErrorMessage(err), want) {
		t.Fatalf("a move dated before the units came: %q; want it to end %q", domain.ErrorMessage(err), want)
	}
	if content(t, s) != before || mustStock(t, s, "MUG", s.AsOfNow()).OnHand != total {
		t.Fatal("the refused move changed the shop")
	}
}

// A conflict over a location's name names the location, as one over a
// SKU names its code: it showed the location's id.
func TestALocationsConflictNamesIt(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustCreate(t)
	laptop := mustReplica(t, desk, clock.Now)
	if _, err := desk.AddLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.AddLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	cs, err := desk.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || !strings.EqualFold(cs[0].Subject, "stall") {
		t.Errorf("conflicts %+v, want one naming the stall", cs)
	}
}

// HeldBatches names the batches whose units wait for QA at the location
// asked about, and none once QA has decided: a count there below its held
// units names them, as held units leave stock only through their QA.
func TestHeldBatchesAreThoseHeldThere(t *testing.T) {
	ctx := context.Background()
	s, clock, batchID := vasesReceivedAtTheStall(t)
	if got, err := s.HeldBatches(ctx, "VASE", "stall"); err != nil || len(got) != 1 || got[0].ID != batchID {
		t.Fatalf("held at the stall: %v, %v; want the batch received there", got, err)
	}
	if got, err := s.HeldBatches(ctx, "VASE", "main"); err != nil || len(got) != 0 {
		t.Fatalf("held at main: %v, %v; want none, the delivery came to the stall", got, err)
	}
	clock.Set(clock.Now().Add(time.Hour))
	if _, err := s.DecideQA(ctx, batchID, true, "", clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got, err := s.HeldBatches(ctx, "VASE", "stall"); err != nil || len(got) != 0 {
		t.Fatalf("held at the stall after QA passed: %v, %v; want none", got, err)
	}
}

// locationNames are the shop's locations as listed, by name.
func locationNames(t *testing.T, s *Shop) []string {
	t.Helper()
	locs, err := s.Locations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range locs {
		out = append(out, l.Name)
	}
	return out
}

// A mistyped name is fixed: the location keeps its id, so its units, its
// sales and this device's choice of it follow it under the new name.
func TestARenamedLocationKeepsItsUnitsAndHistory(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	typo, err := s.AddLocation(ctx, "St all")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 3, From: "main", To: "st all"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseLocation(ctx, "St all"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG"}); err != nil {
		t.Fatal(err)
	}
	loc, err := s.RenameLocation(ctx, "st all", "  Stall ")
	if err != nil {
		t.Fatal(err)
	}
	if loc.ID != typo.ID || loc.Name != "Stall" {
		t.Fatalf("renamed to %+v; want the same id, named Stall as typed, spaces tidied", loc)
	}
	if got := locationNames(t, s); !slices.Equal(got, []string{"main", "Stall"}) {
		t.Fatalf("locations %v; want main and Stall", got)
	}
	if got := stockAt(t, s, "MUG", "stall"); got != 2 {
		t.Errorf("%d MUG at Stall; want the 3 moved less the 1 sold", got)
	}
	if here, _ := s.DeviceLocation(ctx); here.ID != typo.ID || here.Name != "Stall" {
		t.Errorf("this device sells at %+v; want the renamed location", here)
	}
	sales, err := s.Sales(ctx, day(0), day(1), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(sales) != 1 || sales[0].Location != "Stall" {
		t.Errorf("sales %+v; want the one sale, at Stall by its new name", sales)
	}
	// Another case and spacing of itself is a rename too.
	if loc, err := s.RenameLocation(ctx, "Stall", "STALL"); err != nil || loc.Name != "STALL" {
		t.Errorf("renaming Stall to STALL: %+v, %v", loc, err)
	}
}

func TestARenameThatWouldConfuseLocationsIsRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := stallShop(t)
	if _, err := s.AddLocation(ctx, "Shop window"); err != nil {
		t.Fatal(err)
	}
	// The shelf was added as "Partner" and renamed: "partner" is its id's
	// name still, though it shows another.
	if _, err := s.AddLocation(ctx, "Partner"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RenameLocation(ctx, "partner", "Anna's shelf"); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, newName, want string }{
		{"main", "Home", "main keeps its name"},
		{"stall", "", "location name"},
		{"stall", "st\u0007all", "U+0007"},
		{"stall", " MAIN ", `there is a location "main" already`},
		{"stall", "shop  WINDOW", `there is a location "Shop window" already; choose another name, or move Stall's units to Shop window and remove Stall`},
		{"stall", "anna's shelf", `there is a location "Anna's shelf" already`},
		{"stall", "Partner", `there is a location "Anna's shelf" (added as "Partner") already`},
		{"stal", "Market", `there is no location "stal"; did you mean Stall?`},
		{"attic", "Market", `there is no location "attic"`},
	}
	for _, c := range cases {
		before := content(t, s)
		_, err := s.RenameLocation(ctx, c.name, c.newName)
		if err == nil || !strings.Contains(domain.ErrorMessage(err), c.want) {
			t.Errorf("renaming %q to %q: %v; want it refused saying %q", c.name, c.newName, err, c.want)
		}
		if content(t, s) != before {
			t.Errorf("refusing to rename %q to %q changed the shop", c.name, c.newName)
		}
	}
	// A name that once was another's is refused when adding, too: its id
	// is that location's.
	if _, err := s.AddLocation(ctx, "partner"); err == nil || !strings.Contains(err.Error(), `"Anna's shelf" was added as "partner"`) {
		t.Errorf("adding the name a renamed location was added with: %v; want it refused, naming that location", err)
	}
	if _, err := s.AddLocation(ctx, "anna's SHELF"); err == nil || !strings.Contains(err.Error(), `there is a location "Anna's shelf" already`) {
		t.Errorf("adding the name a location was renamed to: %v; want it refused", err)
	}
}

// Removed, a location leaves the lists and this device's default, while
// what happened there keeps its name; adding it again brings it back.
func TestARemovedLocationLeavesTheListsAndKeepsItsHistory(t *testing.T) {
	ctx := context.Background()
	s, _ := stallShop(t)
	stall, _ := s.FindLocation(ctx, "stall")
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 2, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	removed, err := s.RemoveLocation(ctx, "STALL")
	if err != nil {
		t.Fatal(err)
	}
	if removed.Name != "Stall" || !removed.WasDefault {
		t.Errorf("removed %+v; want Stall, said to have been this device's", removed)
	}
	if here, _ := s.DeviceLocation(ctx); here.ID != "" {
		t.Errorf("this device sells at %q after its location was removed; want main", here.Name)
	}
	if got := locationNames(t, s); !slices.Equal(got, []string{"main"}) {
		t.Errorf("locations %v; want main alone", got)
	}
	sales, err := s.Sales(ctx, day(0), day(1), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(sales) != 1 || sales[0].Location != "Stall" {
		t.Errorf("sales %+v; want the sale at Stall, named still", sales)
	}
	d, err := s.Day(ctx, day(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.ByLocation["Stall"]; !ok {
		t.Errorf("the day's close by location %v; want Stall's takings", d.ByLocation)
	}
	// Nothing new happens there.
	before := content(t, s)
	_, useErr := s.UseLocation(ctx, "stall")
	_, sellErr := s.Sell(ctx, Sale{Code: "MUG", Location: "stall"})
	_, moveErr := s.MoveStock(ctx, Move{Code: "MUG", Qty: 1, From: "main", To: "stall"})
	_, renameErr := s.RenameLocation(ctx, "stall", "Market")
	_, againErr := s.RemoveLocation(ctx, "stall")
	for _, err := range []error{useErr, sellErr, moveErr, renameErr} {
		if err == nil || !strings.Contains(err.Error(), `location "Stall" was removed; add it again`) {
			t.Errorf("at a removed location: %v; want it refused, saying how to bring it back", err)
		}
	}
	if againErr == nil || !strings.Contains(againErr.Error(), "removed already") {
		t.Errorf("removing it twice: %v", againErr)
	}
	if content(t, s) != before {
		t.Error("refusing to work at a removed location changed the shop")
	}
	back, err := s.AddLocation(ctx, "stall")
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != stall.ID {
		t.Errorf("added again as %+v; want the same location back, id %s", back, stall.ID)
	}
	if got := locationNames(t, s); !slices.Equal(got, []string{"main", "stall"}) {
		t.Errorf("locations %v; want main and stall, as typed again", got)
	}
}

func TestALocationHoldingUnitsOrMainIsNotRemoved(t *testing.T) {
	ctx := context.Background()
	s, _ := stallShop(t)
	if _, err := s.MoveStock(ctx, Move{Code: "MUG", Qty: 3, From: "main", To: "stall"}, Move{Code: "CARD", Qty: 2, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, want string }{
		{"stall", "Stall still holds 5 units of 2 SKUs (CARD 2, MUG 3); move them to another location first"},
		{"main", "main cannot be removed"},
		{"stal", `there is no location "stal"; did you mean Stall?`},
	}
	for _, c := range cases {
		before := content(t, s)
		_, err := s.RemoveLocation(ctx, c.name)
		if err == nil || !strings.Contains(domain.ErrorMessage(err), c.want) {
			t.Errorf("removing %q: %v; want it refused saying %q", c.name, err, c.want)
		}
		if content(t, s) != before {
			t.Errorf("refusing to remove %q changed the shop", c.name)
		}
	}
	if _, err := s.RemoveLocation(ctx, "stall"); domain.RemedyOf(err) != domain.RemedyMoveUnits {
		t.Errorf("the refusal's remedy is %q; want the move", domain.RemedyOf(err))
	}
	// Held units count: the vases held for QA stay when the rest is
	// brought home, and keep the stall.
	v, _, _ := vasesReceivedAtTheStall(t)
	if _, err := v.BringBack(ctx, "stall", map[string]int{"VASE": 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.RemoveLocation(ctx, "stall"); err == nil || !strings.Contains(err.Error(), "of 1 SKU (VASE ") {
		t.Errorf("removing the stall with vases held there: %v; want it refused, naming them", err)
	}
}

// A rename on one device is the name on the other once they sync; two
// renames while apart keep the later, the other listed as a conflict.
func TestARenameSyncsAndTwoRenamesConflict(t *testing.T) {
	ctx := context.Background()
	a, clock := stallShop(t)
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	if _, err := a.RenameLocation(ctx, "stall", "Market stall"); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	if got := locationNames(t, b); !slices.Equal(got, []string{"main", "Market stall"}) {
		t.Fatalf("b lists %v; want the rename made on a", got)
	}
	if _, err := a.RenameLocation(ctx, "market stall", "Fair stall"); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Minute))
	if _, err := b.RenameLocation(ctx, "market stall", "Saturday stall"); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	for name, s := range map[string]*Shop{"a": a, "b": b} {
		if got := locationNames(t, s); !slices.Equal(got, []string{"main", "Saturday stall"}) {
			t.Errorf("%s lists %v; want the later rename", name, got)
		}
		cs, err := s.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Entity != "location" || cs[0].Subject != "Saturday stall" {
			t.Errorf("%s: conflicts %+v; want the lost rename", name, cs)
		}
	}
}

// Removed on the workshop desktop while the stall laptop, apart, moved
// units there: once they sync the units are not out of sight. The location
// stays removed, but is listed while it holds them, and an alert says so;
// moved out, it leaves the lists again.
func TestARemovedLocationWithUnitsFromAnotherDeviceIsShown(t *testing.T) {
	ctx := context.Background()
	a, clock := stallShop(t)
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	if _, err := a.RemoveLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.MoveStock(ctx, Move{Code: "MUG", Qty: 3, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	for name, s := range map[string]*Shop{"a": a, "b": b} {
		locs, err := s.Locations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(locs) != 2 || locs[1].Name != "Stall" || !locs[1].Retired || locs[1].Units != 3 || locs[1].SKUs != 1 {
			t.Errorf("%s lists %+v; want Stall, removed, with its 3 units", name, locs)
		}
		alerts := alertsOf(t, s, AlertRetiredStock)
		if len(alerts) != 1 || !strings.Contains(alerts[0].Message, "Location Stall was removed, but 3 units of 1 SKU are there") {
			t.Errorf("%s alerts %+v; want one saying the removed stall holds 3 units", name, alerts)
		}
		if got := availableNow(t, s, "MUG"); got != 20 {
			t.Errorf("%s: %d MUG in all; want the 20", name, got)
		}
	}
	if _, err := a.MoveStock(ctx, Move{Code: "MUG", Qty: 3, From: "stall", To: "main"}); err != nil {
		t.Fatalf("moving the units out of the removed stall: %v", err)
	}
	if got := locationNames(t, a); !slices.Equal(got, []string{"main"}) {
		t.Errorf("after moving the units home a lists %v; want main alone", got)
	}
	if alerts := alertsOf(t, a, AlertRetiredStock); len(alerts) != 0 {
		t.Errorf("alerts %+v after moving the units home", alerts)
	}
}

// A device selling at a location another device removed sells at main
// from then on, and says so on Today until its maker chooses where it
// sells, or the location is added again.
func TestADeviceWhoseLocationWasRemovedElsewhereIsTold(t *testing.T) {
	ctx := context.Background()
	a, clock := stallShop(t)
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	if _, err := b.UseLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	if alerts := alertsOf(t, b, AlertLocationRemoved); len(alerts) != 0 {
		t.Fatalf("alerts %+v while the stall is there", alerts)
	}
	if _, err := a.RemoveLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	if here, _ := b.DeviceLocation(ctx); here.ID != "" {
		t.Errorf("b sells at %q; want main", here.Name)
	}
	alerts := alertsOf(t, b, AlertLocationRemoved)
	if len(alerts) != 1 || alerts[0].Subject != "Stall" ||
		!strings.Contains(alerts[0].Message, "Stall, where this device sold, was removed on another device: its sales go to main") {
		t.Fatalf("b's alerts %+v; want one saying its stall was removed and it sells at main", alerts)
	}
	if alerts := alertsOf(t, a, AlertLocationRemoved); len(alerts) != 0 {
		t.Errorf("a, which removed it, has alerts %+v", alerts)
	}
	// Added again, the stall is b's once more; chosen main, b is told no more.
	if _, err := a.AddLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	if here, _ := b.DeviceLocation(ctx); !sameLocationName(here.Name, "Stall") || len(alertsOf(t, b, AlertLocationRemoved)) != 0 {
		t.Errorf("after the stall was added again b sells at %q with alerts %+v; want the stall, no alert", here.Name, alertsOf(t, b, AlertLocationRemoved))
	}
	if _, err := a.RemoveLocation(ctx, "stall"); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	if _, err := b.UseLocation(ctx, "main"); err != nil {
		t.Fatal(err)
	}
	if alerts := alertsOf(t, b, AlertLocationRemoved); len(alerts) != 0 {
		t.Errorf("after choosing main b has alerts %+v", alerts)
	}
}
