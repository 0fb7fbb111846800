package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// kitShop has CARD (2 on hand, price 10.00), PEN (5 on hand, price 5.00)
// and GIFT, a kit of 1 CARD and 2 PENs at 18.00.
func kitShop(t *testing.T) (*Shop, *fakeClock) {
	t.Helper()
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	mustSKU(t, s, "CARD", domain.PathMicrofactory, "Fab")
	mustSKU(t, s, "PEN", domain.PathMicrofactory, "Fab")
	if _, err := s.EditSKU(ctx, "PEN", SKUFields{Price: ptr(domain.Money(500))}); err != nil {
		t.Fatal(err)
	}
	for code, n := range map[string]int{"CARD": 2, "PEN": 5} {
		if _, err := s.Count(ctx, code, n, day(0)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddKit(ctx, "GIFT", "Gift set", 1800, []KitPartIn{{"CARD", 1}, {"PEN", 2}}); err != nil {
		t.Fatal(err)
	}
	return s, clock
}

func available(t *testing.T, s *Shop, code string) (int, domain.Status) {
	t.Helper()
	r := mustStock(t, s, code, s.AsOfNow())
	return r.Available, r.Status
}

// TestKitSaleAndReturnMoveTheParts: selling a kit takes its parts from
// their own ledgers, at prices that add up to the kit's (18.00 split 10:10
// by list price × quantity: CARD 9.00, PEN 4.50 each); the kit's
// available is its scarcest part's; a restocked return puts them back.
func TestKitSaleAndReturnMoveTheParts(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	if n, st := available(t, s, "GIFT"); n != 2 || st == domain.StatusStockout {
		t.Fatalf("GIFT before: %d %s, want 2 (CARD 2, PEN 5 ÷ 2 = 2)", n, st)
	}
	res, err := s.Sell(ctx, Sale{Code: "GIFT"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Available != 1 {
		t.Errorf("after one kit: %d kits available, want 1", res.Available)
	}
	if c, _ := available(t, s, "CARD"); c != 1 {
		t.Errorf("CARD %d, want 1", c)
	}
	if p, _ := available(t, s, "PEN"); p != 3 {
		t.Errorf("PEN %d, want 3", p)
	}
	rows, err := s.Margins(ctx, s.AsOfNow(), 90)
	if err != nil {
		t.Fatal(err)
	}
	revenue := map[string]domain.Money{}
	for _, r := range rows {
		revenue[r.Code] = r.Revenue
	}
	if revenue["CARD"] != 900 || revenue["PEN"] != 900 {
		t.Errorf("revenue CARD %s PEN %s, want 9.00 and 2 × 4.50", revenue["CARD"], revenue["PEN"])
	}
	if _, err := s.Sell(ctx, Sale{Code: "GIFT"}); err != nil {
		t.Fatal(err)
	}
	if n, st := available(t, s, "GIFT"); n != 0 || st != domain.StatusStockout {
		t.Errorf("GIFT after two: %d %s, want 0 stockout (CARD is out)", n, st)
	}
	if _, err := s.Sell(ctx, Sale{Code: "GIFT"}); err == nil {
		t.Errorf("a third kit sold with no CARD left")
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind", Restock: true}); err != nil {
		t.Fatal(err)
	}
	if c, _ := available(t, s, "CARD"); c != 1 {
		t.Errorf("CARD after the return %d, want 1", c)
	}
	if p, _ := available(t, s, "PEN"); p != 3 {
		t.Errorf("PEN after the return %d, want 3", p)
	}
	// Units sold in kits count in each part's rate: PEN sold 4 in kits.
	if r := mustStock(t, s, "PEN", s.AsOfNow()); r.Rate.Sold != 4 {
		t.Errorf("PEN's rate counts %d sold, want 4 (two kits of 2)", r.Rate.Sold)
	}
}

// TestTwoDevicesSellingAKitsLastPartsConvergeToOversold: one CARD left,
// each device sells a GIFT while apart; after sync both hold both sales,
// and CARD and the kit show oversold on both.
func TestTwoDevicesSellingAKitsLastPartsConvergeToOversold(t *testing.T) {
	ctx := context.Background()
	desk, clock := kitShop(t)
	if _, err := desk.Sell(ctx, Sale{Code: "CARD"}); err != nil {
		t.Fatal(err)
	}
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	for _, s := range []*Shop{desk, laptop} {
		if _, err := s.Sell(ctx, Sale{Code: "GIFT"}); err != nil {
			t.Fatal(err)
		}
	}
	syncPair(t, desk, laptop)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		if c, st := available(t, s, "CARD"); c != -1 || st != domain.StatusOversold {
			t.Errorf("%s: CARD %d %s, want -1 oversold", name, c, st)
		}
		if p, _ := available(t, s, "PEN"); p != 1 {
			t.Errorf("%s: PEN %d, want 1 (5 − 2 × 2)", name, p)
		}
		if n, st := available(t, s, "GIFT"); n != -1 || st != domain.StatusOversold {
			t.Errorf("%s: GIFT %d %s, want -1 oversold", name, n, st)
		}
		all, err := s.Stock(ctx, s.AsOfNow(), "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			if r.SKU.Code == "GIFT" && (r.Available != -1 || r.Status != domain.StatusOversold || r.SKU.Path != domain.PathKit) {
				t.Errorf("%s: whole-shop GIFT %d %s %s, want -1 oversold kit", name, r.Available, r.Status, r.SKU.Path)
			}
		}
	}
}

func TestKitBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	before := content(t, s)
	for name, parts := range map[string][]KitPartIn{
		"unknown part":  {{"NOPE", 1}},
		"zero quantity": {{"CARD", 0}},
		"negative":      {{"CARD", -1}},
		"kit as a part": {{"GIFT", 1}, {"PEN", 1}},
		"twice":         {{"CARD", 1}, {"CARD", 2}},
		"no parts":      nil,
	} {
		if _, err := s.AddKit(ctx, "BOX", "Box", 100, parts); err == nil || domain.ErrorCode(err) == domain.EInternal {
			t.Errorf("%s: %v, want a refusal", name, err)
		}
	}
	if after := content(t, s); after != before {
		t.Errorf("refused kits changed the shop")
	}
}

// A part named twice, or the kit among its own parts, is refused naming
// the code, in kit add and kit edit alike: the refusal named nothing, or
// said the kit being made did not exist.
func TestAKitsPartsRefusalNamesThePart(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	for name, tc := range map[string]struct {
		parts []KitPartIn
		want  string
	}{
		"twice":  {[]KitPartIn{{"CARD", 1}, {"card", 2}}, "card is named twice"},
		"itself": {[]KitPartIn{{"BOX", 1}, {"PEN", 1}}, "BOX is the kit itself"},
	} {
		_, err := s.AddKit(ctx, "BOX", "Box", 100, tc.parts)
		if got := domain.ErrorMessage(err); !strings.Contains(got, tc.want) {
			t.Errorf("kit add, %s: %q, want %q", name, got, tc.want)
		}
	}
	_, err := s.EditKit(ctx, "GIFT", KitFields{Parts: []KitPartIn{{"PEN", 1}, {"PEN", 3}}})
	if got := domain.ErrorMessage(err); !strings.Contains(got, "PEN is named twice") {
		t.Errorf("kit edit: %q, want PEN named", got)
	}
}

// A kit of one unit of one SKU is that SKU under another code, so it is
// refused, naming what a kit needs, in kit add and kit edit alike; two of
// one SKU is a kit (a pack of two). It was made, and sold as its part.
func TestAKitOfOneUnitOfOneSKUIsRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	before := content(t, s)
	_, err := s.AddKit(ctx, "SOLO", "Just a card", 100, []KitPartIn{{"CARD", 1}})
	want := "a kit of 1 × CARD is just CARD; a kit needs two parts or more, or 2 or more of one part, like CARD:2"
	if got := domain.ErrorMessage(err); got != want {
		t.Errorf("kit add of 1 × CARD: %q, want %q", got, want)
	}
	if _, err := s.EditKit(ctx, "GIFT", KitFields{Parts: []KitPartIn{{"PEN", 1}}}); !strings.Contains(domain.ErrorMessage(err), "a kit of 1 × PEN is just PEN") {
		t.Errorf("kit edit to 1 × PEN: %v, want it refused", err)
	}
	if after := content(t, s); after != before {
		t.Errorf("refused kits changed the shop")
	}
	if _, err := s.AddKit(ctx, "DUO", "Two cards", 100, []KitPartIn{{"CARD", 2}}); err != nil {
		t.Errorf("a kit of 2 × CARD: %v, want it made", err)
	}
}

// TestKitPartsEditedOnTwoDevicesIsAConflict: the parts are one record
// field, so two devices changing them at once show a conflict.
func TestKitPartsEditedOnTwoDevicesIsAConflict(t *testing.T) {
	ctx := context.Background()
	desk, clock := kitShop(t)
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	for i, s := range []*Shop{desk, laptop} {
		if _, err := s.EditKit(ctx, "GIFT", KitFields{Parts: []KitPartIn{{"CARD", 1}, {"PEN", 1 + i}}}); err != nil {
			t.Fatal(err)
		}
	}
	syncPair(t, desk, laptop)
	cs, err := desk.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Field != "parts" {
		t.Errorf("conflicts %+v, want one over the kit's parts", cs)
	}
}

// TestBundleIdeasNeverNameABlockedPart: MUG is overstocked (100 on hand,
// 1 sold), TEE sells fast but its factory is paused, CUP sells fast and is
// in stock: the one idea is MUG with CUP.
func TestBundleIdeasNeverNameABlockedPart(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	mustFactory(t, s, "Stop", 7, true)
	mustSKU(t, s, "MUG", domain.PathHandmade, "Fab")
	mustSKU(t, s, "CUP", domain.PathHandmade, "Fab")
	mustSKU(t, s, "TEE", domain.PathHandmade, "Stop")
	clock.Set(day(10))
	for code, n := range map[string]int{"MUG": 100, "CUP": 200, "TEE": 200} {
		if _, err := s.Count(ctx, code, n, day(0)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 7; i++ {
		for code, n := range map[string]int{"CUP": 5, "TEE": 6} {
			if _, err := s.Sell(ctx, Sale{Code: code, Qty: n, At: day(i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG", At: day(3)}); err != nil {
		t.Fatal(err)
	}
	if err := s.PauseFactory(ctx, "Stop", "bad glaze"); err != nil {
		t.Fatal(err)
	}
	ideas, err := s.BundleIdeas(ctx, s.AsOfNow(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ideas) == 0 || ideas[0].Over != "MUG" || ideas[0].With != "CUP" {
		t.Fatalf("ideas %+v, want MUG with CUP first", ideas)
	}
	for _, b := range ideas {
		if b.Over == "TEE" || b.With == "TEE" {
			t.Errorf("idea %+v names TEE, whose factory is paused", b)
		}
	}
}

// TestAKitIsEditedLikeAnySKU: its price changes through the SKU edit, and
// margins list its parts, not the kit, whose sales are theirs.
func TestAKitIsEditedLikeAnySKU(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	if _, err := s.EditSKU(ctx, "GIFT", SKUFields{Price: ptr(domain.Money(2000))}); err != nil {
		t.Fatal(err)
	}
	if k, err := s.Kit(ctx, "GIFT", s.AsOfNow()); err != nil || k.Price != 2000 || len(k.Parts) != 2 {
		t.Errorf("kit after the edit: %+v %v, want 20.00 with its 2 parts", k, err)
	}
	rows, err := s.Margins(ctx, s.AsOfNow(), 90)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Code == "GIFT" {
			t.Errorf("margins list the kit itself")
		}
	}
}

// A basket's discount on a kit is shared among its parts' lines like its
// price, so the close of the day counts it: GIFT at 18.00 less 10 % is
// 16.20, 1.80 off, split 10:10 by list price × quantity (CARD 0.90, PEN
// 0.45 each).
func TestAKitsDiscountAddsUpOverItsParts(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t)
	clock.Set(day(0).Add(2 * time.Hour))
	o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "GIFT"}}, Discount: 10})
	if err != nil {
		t.Fatal(err)
	}
	if o.Total != 1620 || o.Discounts != 180 {
		t.Fatalf("basket total %s, discounts %s; want 16.20 and 1.80", o.Total, o.Discounts)
	}
	d, err := s.Day(ctx, day(0))
	if err != nil {
		t.Fatal(err)
	}
	if d.Total != 1620 || d.Discounts != 180 {
		t.Fatalf("the close of the day: takings %s, discounts %s; want 16.20 and 1.80", d.Total, d.Discounts)
	}
}

// Two baskets held MUG with PLATE, so the overstocked MUG goes with PLATE,
// not with the fast-selling CUP; one basket alone would not do.
func TestBundleIdeasPairWhatBasketsHoldTogether(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	for _, code := range []string{"MUG", "CUP", "PLATE"} {
		mustSKU(t, s, code, domain.PathHandmade, "Fab")
	}
	clock.Set(day(10))
	for code, n := range map[string]int{"MUG": 100, "CUP": 200, "PLATE": 30} {
		if _, err := s.Count(ctx, code, n, day(0)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 7; i++ {
		if _, err := s.Sell(ctx, Sale{Code: "CUP", Qty: 5, At: day(i)}); err != nil {
			t.Fatal(err)
		}
	}
	basket := func(d int) SoldBasket {
		o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG"}, {Code: "PLATE"}}, At: day(d)})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	basket(2)
	mugIdea := func() domain.BundleIdea {
		t.Helper()
		ideas, err := s.BundleIdeas(ctx, s.AsOfNow(), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range ideas {
			if i.Over == "MUG" {
				return i
			}
		}
		t.Fatalf("no idea for the overstocked MUG: %+v", ideas)
		return domain.BundleIdea{}
	}
	if i := mugIdea(); i.With != "CUP" {
		t.Fatalf("after one basket: %+v; want MUG with the fast CUP still", i)
	}
	// A basket voided whole (sold by mistake) was not bought together.
	for _, line := range basket(3).Items {
		if err := s.VoidSale(ctx, line.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	if i := mugIdea(); i.With != "CUP" {
		t.Fatalf("after one basket and one voided: %+v; want MUG with the fast CUP still", i)
	}
	basket(4)
	if i := mugIdea(); i.With != "PLATE" || !strings.Contains(i.Reason, "in 2 orders") {
		t.Fatalf("after two baskets: %+v; want MUG with PLATE, bought together in 2 orders", i)
	}
}

// Once an idea is a kit, it is not suggested again.
func TestAnIdeaMadeAKitIsNotSuggestedAgain(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	for _, code := range []string{"MUG", "CUP"} {
		mustSKU(t, s, code, domain.PathHandmade, "Fab")
	}
	clock.Set(day(20)) // MUG unsold for 20 days: long enough to call overstock
	for code, n := range map[string]int{"MUG": 100, "CUP": 200} {
		if _, err := s.Count(ctx, code, n, day(0)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 11; i <= 17; i++ {
		if _, err := s.Sell(ctx, Sale{Code: "CUP", Qty: 5, At: day(i)}); err != nil {
			t.Fatal(err)
		}
	}
	ideas, err := s.BundleIdeas(ctx, s.AsOfNow(), 0)
	if err != nil || len(ideas) != 1 || ideas[0].Over != "MUG" || ideas[0].With != "CUP" {
		t.Fatalf("ideas %+v, %v; want MUG with CUP", ideas, err)
	}
	if _, err := s.AddKit(ctx, "KIT-MUG", "Mug and cup", -1, []KitPartIn{{"CUP", 1}, {"MUG", 1}}); err != nil {
		t.Fatal(err)
	}
	if ideas, err := s.BundleIdeas(ctx, s.AsOfNow(), 0); err != nil || len(ideas) != 0 {
		t.Fatalf("after making the kit: %+v, %v; want no idea", ideas, err)
	}
}

// A kit's return is checked against the kits sold: a kit sold once comes
// back without a warning; more kits back than sold, or a kit never sold,
// warn. Where kits were sold before sale lines named their kit (here a
// device of an older build), each part is checked instead.
func TestAKitReturnIsCheckedAgainstItsPartsSales(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t)
	if _, err := s.Sell(ctx, Sale{Code: "GIFT"}); err != nil {
		t.Fatal(err)
	}
	res, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind", Restock: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("the return of a kit sold once warned: %q", res.Warnings)
	}
	res, err = s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2 × GIFT have now come back, more than the 1 sold; check the quantity"}
	if !slices.Equal(res.Warnings, want) {
		t.Errorf("a second kit back, one sold:\n got %q\nwant %q", res.Warnings, want)
	}
	mustSKU(t, s, "TAG", domain.PathMicrofactory, "Fab")
	if _, err := s.AddKit(ctx, "BOX", "Boxed tags", 900, []KitPartIn{{"TAG", 2}}); err != nil {
		t.Fatal(err)
	}
	res, err = s.RecordReturn(ctx, Return{Code: "BOX", Qty: 1, Reason: "changed-mind"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "kit BOX has no sale recorded") {
		t.Errorf("the return of a kit never sold: %q", res.Warnings)
	}
	card, err := s.SKU(ctx, "CARD")
	if err != nil {
		t.Fatal(err)
	}
	old := changes.Change{Origin: "peer", Seq: 1, HLC: peerStamp(clock, -time.Minute), Entity: kindSale, EntityID: newID(),
		Body: fmt.Appendf(nil, `{"sku_id":%q,"at":%d,"qty":1,"channel":"fair","price":900,"ref":%q}`, card.ID, clock.Now().Add(-time.Minute).UnixMilli(), newID())}
	if _, err := s.applyPlain(ctx, []changes.Change{old}); err != nil {
		t.Fatal(err)
	}
	res, err = s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind", DryRun: true})
	want = []string{ // 2 kits back and this one: 3 CARD against 2 sold (1 in a kit, 1 by the older build), 6 PEN against 2
		"3 units of CARD, a part of kit GIFT, would then have come back, more than the 2 ever sold; check the quantity",
		"6 units of PEN, a part of kit GIFT, would then have come back, more than the 2 ever sold; check the quantity",
	}
	if err != nil || !slices.Equal(res.Warnings, want) {
		t.Errorf("after a kit sold by an older build:\n got %q, %v\nwant %q", res.Warnings, err, want)
	}
}

// A part no longer sold makes its kit unsellable: the kit shows none
// available, a sale of it is refused and changes nothing, the kit still
// names the part, and a new kit cannot take an archived part.
func TestAKitWithAnArchivedPartIsNotSold(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	if err := s.ArchiveSKU(ctx, "PEN"); err != nil {
		t.Fatal(err)
	}
	if n, st := available(t, s, "GIFT"); n != 0 || st != domain.StatusStockout {
		t.Errorf("GIFT with PEN archived, its own report: %d %s, want 0 stockout", n, st)
	}
	rows, err := s.Stock(ctx, s.AsOfNow(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.SKU.Code == "GIFT" && (r.Available != 0 || r.Status != domain.StatusStockout) {
			t.Errorf("GIFT with PEN archived, the stock list: %d %s, want 0 stockout", r.Available, r.Status)
		}
	}
	before := content(t, s)
	_, err = s.Sell(ctx, Sale{Code: "GIFT"})
	if domain.ErrorCode(err) != domain.EConflict || !strings.Contains(err.Error(), "PEN is archived") {
		t.Errorf("selling GIFT with PEN archived: %v, want a refusal naming PEN", err)
	}
	if _, err := s.AddKit(ctx, "BOX", "Box", 100, []KitPartIn{{"CARD", 1}, {"PEN", 1}}); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(err.Error(), "PEN is archived") {
		t.Errorf("a new kit of archived PEN: %v, want a refusal naming PEN", err)
	}
	if after := content(t, s); after != before {
		t.Errorf("refused kit sale and kit changed the shop")
	}
	kits, err := s.Kits(ctx, s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if len(kits) != 1 || !slices.Equal(kits[0].Parts, []KitPartIn{{"CARD", 1}, {"PEN", 2}}) || kits[0].Available != 0 {
		t.Errorf("kits = %+v, want GIFT of CARD and PEN, none available", kits)
	}
}

// Voiding a kit's sale puts the whole kit back: its parts were sold as
// lines of their own, and voiding the one line a sale of the kit names
// (or any other of its lines, from the sales list) put back that part
// alone.
func TestVoidingAKitSalePutsEveryPartBack(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	before := map[string]int{"CARD": mustStock(t, s, "CARD", s.AsOfNow()).OnHand, "PEN": mustStock(t, s, "PEN", s.AsOfNow()).OnHand}
	sold, err := s.Sell(ctx, Sale{Code: "GIFT"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, sold.ID, ""); err != nil {
		t.Fatal(err)
	}
	for code, n := range before {
		if got := mustStock(t, s, code, s.AsOfNow()).OnHand; got != n {
			t.Errorf("%s: %d on hand after the kit's sale was voided, want %d", code, got, n)
		}
	}
	if err := s.VoidSale(ctx, sold.ID, ""); !errors.Is(err, ErrVoidedAlready) {
		t.Errorf("voiding it again: %v, want voided already", err)
	}
	// A kit in a basket: voiding it leaves the basket's other line sold.
	o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "GIFT"}, {Code: "CARD"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, o.Items[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	if got, want := mustStock(t, s, "CARD", s.AsOfNow()).OnHand, before["CARD"]-1; got != want {
		t.Errorf("CARD: %d on hand after the basket's kit was voided, want %d (its own line still sold)", got, want)
	}
}

// A kit's buyer message reads its parts' stock, as its stock row does: it
// told buyers a kit with every part on the shelf was out of stock.
func TestAKitsBuyerMessageSaysWhatItsPartsHold(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	if avail, _ := available(t, s, "GIFT"); avail <= 0 {
		t.Fatalf("GIFT shows %d available; the test wants it in stock", avail)
	}
	m, err := s.Message(ctx, "GIFT", s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.Message, "In stock") {
		t.Errorf("GIFT's buyer message %q, want in stock", m.Message)
	}
}

// A kit ships when its last part can: short of a part (GIFT takes 2 PEN,
// 1 is left), its message is that part's, out of stock for Fab's 7 days,
// then back by the batch ordered for day 20. It had promised the kit
// back in stock today, from the kit's own lead time of 0.
func TestAKitShipsWhenItsLastPartCan(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t)
	clock.Set(day(1))
	if _, err := s.Sell(ctx, Sale{Code: "PEN", Qty: 4}); err != nil {
		t.Fatal(err)
	}
	m, err := s.Message(ctx, "GIFT", s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	handling := 1
	if want := domain.AddDays(s.AsOfNow().Day, 7+handling); !strings.HasPrefix(m.Message, "Out of stock") || !m.ShipsBy.Equal(want) {
		t.Errorf("GIFT short of a PEN: %q, ships by %s; want out of stock, shipping by %s", m.Message, m.ShipsBy, want)
	}
	if _, err := s.OrderBatch(ctx, Order{Code: "PEN", Qty: 10, Expected: day(20)}); err != nil {
		t.Fatal(err)
	}
	m, err = s.Message(ctx, "GIFT", s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if want := domain.AddDays(domain.StartOfDay(day(20).In(s.AsOfNow().Day.Location())), handling); !strings.HasPrefix(m.Message, "Back in stock") || !m.ShipsBy.Equal(want) {
		t.Errorf("GIFT with PEN ordered: %q, ships by %s; want back in stock, shipping by %s", m.Message, m.ShipsBy, want)
	}
}

// A kit's refund is shared among its parts as its price is, so the
// margins charge each part its share and no part its average price on top.
// GIFT (18.00: CARD 9.00, PEN 2 × 4.50) comes back restocked for 12.00:
// CARD's returns 6.00, PEN's 6.00, and the day's refunds still 12.00.
func TestAKitsRefundIsSharedAmongItsParts(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t)
	clock.Set(day(0).Add(2 * time.Hour))
	if _, err := s.Sell(ctx, Sale{Code: "GIFT"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind", Restock: true, Refund: 1200}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Margins(ctx, s.AsOfNow(), 90)
	if err != nil {
		t.Fatal(err)
	}
	returns := map[string]domain.Money{}
	for _, r := range rows {
		returns[r.Code] = r.Returns
	}
	if returns["CARD"] != 600 || returns["PEN"] != 600 {
		t.Errorf("returns CARD %s, PEN %s; want 6.00 each, the 12.00 refund shared as the price was", returns["CARD"], returns["PEN"])
	}
	d, err := s.Day(ctx, day(0))
	if err != nil {
		t.Fatal(err)
	}
	if d.Refunds != 1200 || d.ByPayment[domain.PaymentCash] != 1800-1200 {
		t.Errorf("the close of the day: refunds %s, cash %s; want 12.00 and 6.00", d.Refunds, d.ByPayment[domain.PaymentCash])
	}
}

// A kit's refund is checked against what a kit was paid: the lines of
// its parts sold together add up to it. GIFT (18.00) sells on day 1 at
// 30 % off, 12.60 (CARD 6.30, PEN 2 × 3.15); a sale at its price is
// voided. ODD, 2 PENs and a CARD at 10.01, sells for 10.01, and its lines
// record 10.01 (domain.KitRuns: CARD 5.00, the PENs 2.50 and 2.51), so a
// refund a cent above is warned of. SET, never sold, is checked against
// its price.
func TestAKitsRefundIsCheckedAgainstWhatAKitWasPaid(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t)
	clock.Set(day(10))
	if _, err := s.AddKit(ctx, "ODD", "Odd set", 1001, []KitPartIn{{"PEN", 2}, {"CARD", 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddKit(ctx, "SET", "Pen set", 900, []KitPartIn{{"PEN", 2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "GIFT"}}, Discount: 30, At: day(1)}); err != nil {
		t.Fatal(err)
	}
	full, err := s.Sell(ctx, Sale{Code: "GIFT", At: day(1), Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, full.ID, "rung up twice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "ODD", At: day(1), Force: true}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code   string
		refund domain.Money
		want   string // the refund's warning; "" for none
	}{
		{"GIFT", 1260, ""},
		{"GIFT", 1261, "the refund of 12.61 is more than 1 × GIFT at the most paid for it, 12.60; check the amount"},
		{"ODD", 1001, ""},
		{"ODD", 1002, "the refund of 10.02 is more than 1 × ODD at the most paid for it, 10.01; check the amount"},
		{"SET", 900, ""},
		{"SET", 901, "the refund of 9.01 is more than 1 × SET at its price of 9.00; check the amount"},
		// PEN was sold only in kits: the warning says whose share it is.
		{"PEN", 500, "the refund of 5.00 is more than 1 × PEN at the most paid for it (its share of kit GIFT's price), 3.15; check the amount"},
	}
	for _, tt := range tests {
		res, err := s.RecordReturn(ctx, Return{Code: tt.code, Qty: 1, Reason: "changed-mind", At: day(3), Refund: tt.refund, DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := refundWarningOf(res.Warnings); got != tt.want {
			t.Errorf("%s refunded %s: the refund's warning %q, want %q (all: %q)", tt.code, tt.refund, got, tt.want, res.Warnings)
		}
	}
}

// A kit is put together from its parts, each made by its own factory, so
// what only a made SKU takes is refused for a kit, naming its parts, and
// changes nothing: a batch, a quote, a choice of source, and an edit of
// its path, factory, cost, lead time or cover. Its name, code and price
// change as any SKU's do.
func TestAKitIsNotMadeByAFactory(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	before := content(t, s)
	fab, micro, cost, days := "Fab", domain.PathMicrofactory, domain.Money(300), 5
	for name, try := range map[string]func() error{
		"batch": func() error { _, err := s.OrderBatch(ctx, Order{Code: "GIFT", Qty: 10}); return err },
		"quote": func() error {
			_, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "GIFT", UnitCost: 200})
			return err
		},
		"source": func() error {
			_, err := s.Source(ctx, SourceQuery{Code: "GIFT", AsOf: s.AsOfNow(), Assumed: &domain.Rate{Sold: 10, Days: 28}})
			return err
		},
		"path":    func() error { _, err := s.EditSKU(ctx, "GIFT", SKUFields{Path: &micro}); return err },
		"factory": func() error { _, err := s.EditSKU(ctx, "GIFT", SKUFields{Factory: &fab}); return err },
		"cost":    func() error { _, err := s.EditSKU(ctx, "GIFT", SKUFields{Cost: &cost}); return err },
		"lead":    func() error { _, err := s.EditSKU(ctx, "GIFT", SKUFields{LeadDays: &days}); return err },
		"cover":   func() error { _, err := s.EditSKU(ctx, "GIFT", SKUFields{MinCover: &days}); return err },
	} {
		err := try()
		if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(err.Error(), "GIFT is a kit") && !strings.Contains(err.Error(), "kit GIFT") ||
			!strings.Contains(err.Error(), "CARD and PEN") {
			t.Errorf("%s of a kit: %v, want a refusal naming the kit and its parts CARD and PEN", name, err)
		}
	}
	if after := content(t, s); after != before {
		t.Errorf("refused kit actions changed the shop")
	}
	name := "Gift box"
	if k, err := s.EditSKU(ctx, "GIFT", SKUFields{Name: &name}); err != nil || k.Path != domain.PathKit || k.Name != name {
		t.Errorf("renaming the kit: %+v %v, want a kit named %q", k, err, name)
	}
}

// A kit's name, price and parts change in one edit; a refused part
// refuses the whole edit.
func TestAKitIsEditedWhole(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	name, price := "Gift box", domain.Money(1500)
	before := content(t, s)
	if _, err := s.EditKit(ctx, "GIFT", KitFields{Name: &name, Parts: []KitPartIn{{"CARD", 1}, {"NOPE", 1}}}); err == nil {
		t.Fatal("a kit edited with an unknown part")
	}
	if _, err := s.EditKit(ctx, "CARD", KitFields{Name: &name}); err == nil {
		t.Error("a SKU that is not a kit edited as one")
	}
	if after := content(t, s); after != before {
		t.Fatal("a refused kit edit changed the shop")
	}
	if _, err := s.EditKit(ctx, "GIFT", KitFields{Name: &name, Price: &price, Parts: []KitPartIn{{"CARD", 2}}}); err != nil {
		t.Fatal(err)
	}
	k, err := s.Kit(ctx, "GIFT", s.AsOfNow())
	if err != nil || k.Name != name || k.Price != price || len(k.Parts) != 1 || k.Available != 1 {
		t.Errorf("kit after the edit: %+v %v, want Gift box at 15.00 of 2 × CARD alone, 1 available", k, err)
	}
}

// A kit whose part is oversold is oversold in the alerts, as in stock
// (DESIGN.md 9: a kit's status is the worst of its parts'), naming the
// part to count and reorder; only the part asks for that, once: a kit is
// neither counted nor reordered. A kit whose part is merely out of stock
// is out of stock. The alerts had called an oversold kit "out of stock: a
// part it takes is short" while stock listed it oversold.
func TestAKitAlertsWhatItsStockSays(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	mustSKU(t, s, "TAPE", domain.PathMicrofactory, "Fab") // never counted: 0 available
	if _, err := s.AddKit(ctx, "DUO", "Two pens", 900, []KitPartIn{{"PEN", 2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddKit(ctx, "WRAP", "Card and tape", 900, []KitPartIn{{"CARD", 1}, {"TAPE", 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "PEN", Qty: 6, Force: true}); err != nil {
		t.Fatal(err)
	}
	alerts, err := s.Alerts(ctx, s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Alert{}
	for _, a := range alerts {
		if a.Kind == AlertOversold || a.Kind == AlertStockout {
			got[a.Subject] = a
		}
	}
	for _, r := range mustStockRows(t, s) {
		if a, ok := got[r.SKU.Code]; (r.Status == domain.StatusOversold || r.Status == domain.StatusStockout) && (!ok || a.Kind != string(r.Status)) {
			t.Errorf("%s: stock says %s, its alert is %+v", r.SKU.Code, r.Status, a)
		}
	}
	want := map[string]string{
		"PEN":  "PEN (Item PEN) is oversold: 1 more sold than available; count it and reorder",
		"GIFT": "GIFT (Gift set) is oversold: a part it takes, PEN, has 1 more sold than available",
		"DUO":  "DUO (Two pens) is oversold: a part it takes, PEN, has 1 more sold than available",
		"TAPE": "TAPE (Item TAPE) is out of stock",
		"WRAP": "WRAP (Card and tape) is out of stock: a part it takes is short",
	}
	for code, msg := range want {
		if got[code].Message != msg {
			t.Errorf("%s: %q; want %q", code, got[code].Message, msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("oversold and out-of-stock alerts %v; want only %v", got, want)
	}
	if _, err := s.Sell(ctx, Sale{Code: "CARD", Qty: 4, Force: true}); err != nil {
		t.Fatal(err)
	}
	alerts, err = s.Alerts(ctx, s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	const both = "GIFT (Gift set) is oversold: parts it takes have more sold than available: 2 of CARD, 1 of PEN"
	if i := slices.IndexFunc(alerts, func(a Alert) bool { return a.Subject == "GIFT" }); i < 0 || alerts[i].Message != both {
		t.Errorf("GIFT with two parts oversold: %v; want %q", alerts, both)
	}
}

// A kit of downloads is a download: it never runs out, so it reads as
// digital, not as a kit with 0 available and status ok, and its sale
// says it holds no stock.
func TestAKitOfDownloadsIsADownload(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustSKU(t, s, "PAT", domain.PathDigital, "")
	mustSKU(t, s, "GUIDE", domain.PathDigital, "")
	if _, err := s.AddKit(ctx, "BOTH", "Pattern and guide", 900, []KitPartIn{{"PAT", 1}, {"GUIDE", 1}}); err != nil {
		t.Fatal(err)
	}
	if r := mustStock(t, s, "BOTH", s.AsOfNow()); r.Status != domain.StatusDigital {
		t.Errorf("BOTH: status %s; want digital", r.Status)
	}
	if k, err := s.Kit(ctx, "BOTH", s.AsOfNow()); err != nil || !k.Digital {
		t.Errorf("kit BOTH: %+v, %v; want it a kit of downloads", k, err)
	}
	res, err := s.Sell(ctx, Sale{Code: "BOTH"})
	if err != nil || !res.Digital {
		t.Errorf("sold BOTH: %+v, %v; want a sale of downloads", res, err)
	}
	rows, err := s.Stock(ctx, s.AsOfNow(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.SKU.Code == "BOTH" && r.Status != domain.StatusDigital {
			t.Errorf("BOTH in the whole-shop report: %s; want digital", r.Status)
		}
	}
}

// A kit whose part comes from a paused factory is blocked as the part is,
// naming it: stock --json said blocked false while the part holding the
// kit back could not be reordered.
func TestAKitIsBlockedByItsPartsFactory(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	if err := s.PauseFactory(ctx, "Fab", "kiln cracked"); err != nil {
		t.Fatal(err)
	}
	for _, r := range []StockRow{mustStock(t, s, "GIFT", s.AsOfNow()), wholeShopRow(t, s, "GIFT")} {
		if !r.Blocked || !strings.Contains(r.BlockReason, "kiln cracked") {
			t.Errorf("GIFT: blocked %v (%q); want blocked by its parts' paused factory", r.Blocked, r.BlockReason)
		}
	}
}

// wholeShopRow is code's row of the whole-shop stock report.
func wholeShopRow(t *testing.T, s *Shop, code string) StockRow {
	t.Helper()
	rows, err := s.Stock(context.Background(), s.AsOfNow(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.SKU.Code == code {
			return r
		}
	}
	t.Fatalf("no %s in the stock report", code)
	return StockRow{}
}

// A kit, one by one or in the list, says how each part stands: how many a
// kit takes and how many are available, and which part is no longer sold.
func TestAKitSaysHowEachPartStands(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	want := []KitPartStock{{Code: "CARD", Qty: 1, Available: 2, OnSale: true}, {Code: "PEN", Qty: 2, Available: 5, OnSale: true}}
	one, err := s.Kit(ctx, "GIFT", s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Kits(ctx, s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || !slices.Equal(one.Stock, want) || !slices.Equal(all[0].Stock, want) {
		t.Errorf("GIFT's parts stand as %+v, in the list %+v; want %+v", one.Stock, all, want)
	}
	if err := s.ArchiveSKU(ctx, "PEN"); err != nil {
		t.Fatal(err)
	}
	one, err = s.Kit(ctx, "GIFT", s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Stock) != 2 || one.Stock[1].OnSale {
		t.Errorf("with PEN archived GIFT's parts stand as %+v, want PEN not on sale", one.Stock)
	}
}

// A kit sold is one line of the sales list and the close of the day, as
// the till rang it up: GIFT × 2 at 18.00, found by its own code, voided by
// its line's id; its parts' lines are not listed apart. It listed the
// parts at split prices, and `sales --code GIFT` found nothing.
func TestAKitSaleIsOneLineOfTheSales(t *testing.T) {
	ctx := context.Background()
	desk, clock := kitShop(t)
	clock.Set(day(0).Add(2 * time.Hour))
	if _, err := desk.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "GIFT", Qty: 2}, {Code: "CARD"}}, Force: true, Discount: 10}); err != nil {
		t.Fatal(err)
	}
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		lines, err := s.Sales(ctx, day(0), day(1), "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range lines {
			got = append(got, fmt.Sprintf("%s %d × %s off %s", l.Code, l.Qty, l.Price, l.Discount))
		}
		slices.Sort(got)
		if want := []string{"CARD 1 × 9.00 off 1.00", "GIFT 2 × 16.20 off 1.80"}; !slices.Equal(got, want) {
			t.Errorf("%s: sales %q, want %q", name, got, want)
		}
		gift, err := s.Sales(ctx, day(0), day(1), "GIFT")
		if err != nil || len(gift) != 1 || gift[0].Qty != 2 {
			t.Fatalf("%s: sales of GIFT %+v, %v; want its one line of 2", name, gift, err)
		}
		if pens, _ := s.Sales(ctx, day(0), day(1), "PEN"); len(pens) != 0 {
			t.Errorf("%s: sales of PEN %+v, want none: it sold only inside the kit", name, pens)
		}
		d, err := s.Day(ctx, day(0))
		if err != nil {
			t.Fatal(err)
		}
		if d.Sales != 2 || d.Units != 3 || d.Total != 2*1620+900 {
			t.Errorf("%s: the day has %d lines, %d units, takings %s; want 2 lines, 3 units, 41.40", name, d.Sales, d.Units, d.Total)
		}
		if till, err := s.DaySales(ctx, s.AsOfNow()); err != nil || till.Sales != d.Sales || till.Units != d.Units || till.Amount != d.Total {
			t.Errorf("%s: the Sell screen's total %+v, %v; want the day's %d lines, %d units, %s", name, till, err, d.Sales, d.Units, d.Total)
		}
	}
	gift, _ := laptop.Sales(ctx, day(0), day(1), "GIFT")
	if err := laptop.VoidSale(ctx, gift[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	if again, _ := laptop.Sales(ctx, day(0), day(1), "GIFT"); len(again) != 1 || !again[0].Voided {
		t.Errorf("after the void: %+v, want the kit's line voided", again)
	}
	if d, err := laptop.Day(ctx, day(0)); err != nil || d.Voided != 1 || d.VoidedTotal != 2*1620 || d.Total != 900 {
		t.Errorf("the day after the kit's void: %d voided of %s, takings %s, %v; want its one line of 32.40 voided, takings 9.00", d.Voided, d.VoidedTotal, d.Total, err)
	}
	if err := laptop.VoidSale(ctx, gift[0].ID, ""); !errors.Is(err, ErrVoidedAlready) || !strings.Contains(err.Error(), "the sale of 2 × GIFT on") {
		t.Errorf("voiding the kit again: %v, want it refused as the sale of 2 × GIFT", err)
	}
	if pen := mustStock(t, laptop, "PEN", laptop.AsOfNow()).OnHand; pen != 5 {
		t.Errorf("PEN: %d on hand after the kit was voided, want 5", pen)
	}
	if till, err := laptop.DaySales(ctx, laptop.AsOfNow()); err != nil || till.Sales != 1 || till.Units != 1 || till.Amount != 900 {
		t.Errorf("the Sell screen's total after the void: %+v, %v; want CARD's line alone", till, err)
	}
}

// A kit's row of the stock CSV leaves its daily rate and cost empty, as
// the stock list shows "-": its parts sell and cost. It said 0.00 for
// both, a rate of nothing beside days of cover, and a free gift set.
func TestAKitsStockCSVRowHasNoRateOrCostOfItsOwn(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	path := filepath.Join(t.TempDir(), "stock.csv")
	if _, err := s.Export(ctx, path, false, ExportRequest{Kind: "stock", AsOf: s.AsOfNow()}); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, path)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		kit := r[col["code"]] == "GIFT"
		if empty := r[col["daily_rate"]] == "" && r[col["cost"]] == ""; empty != kit {
			t.Errorf("row %q: daily rate %q, cost %q; want both empty for the kit alone", r[col["code"]], r[col["daily_rate"]], r[col["cost"]])
		}
	}
}

// A kit short of a part is refused as the kit's shortage: its code, the
// kits asked for and the kits its parts make, with the part named in the
// sentence. It was the part's ("cannot sell 4 of PEN"), and the desktop's
// "sell anyway" then sold 4 kits where 2 were asked for.
func TestAKitShortOfAPartIsTheKitsShortage(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t) // CARD 2, PEN 5: 2 kits
	if _, err := s.Sell(ctx, Sale{Code: "CARD", Qty: 1}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Sell(ctx, Sale{Code: "GIFT", Qty: 2})
	var short *ShortError
	if !errors.As(err, &short) {
		t.Fatalf("selling 2 kits with 1 CARD: %v, want a shortage", err)
	}
	if short.Code != "GIFT" || short.Qty != 2 || short.Available != 1 {
		t.Errorf("shortage %+v, want GIFT: 2 asked, 1 available", short)
	}
	if msg := domain.ErrorMessage(err); !strings.HasPrefix(msg, "cannot sell 2 of kit GIFT, which takes 2 of CARD: only 1 available") {
		t.Errorf("message %q, want it to name the kit, then the part", msg)
	}
}

// More kits back than were ever sold warns, as for any SKU, even when
// each part has sold enough alone to cover its units; and the close of
// the day counts a kit returned as one unit, as it counts one sold. Ten
// kits back against three sold passed without a word (and paused two
// factories), and the day counted each kit back as its parts' units.
func TestAKitReturnIsCountedInKits(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t) // GIFT = 1 CARD + 2 PEN
	clock.Set(day(0).Add(2 * time.Hour))
	for _, sale := range []Sale{{Code: "CARD"}, {Code: "PEN", Qty: 2}, {Code: "GIFT"}} {
		if _, err := s.Sell(ctx, sale); err != nil {
			t.Fatal(err)
		}
	}
	// CARD sold 2, PEN 4: two kits' worth of parts, one kit.
	res, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 2, Reason: "changed-mind", Restock: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "2 × GIFT have now come back, more than the 1 sold") {
		t.Errorf("warnings %q, want one saying 2 × GIFT came back against 1 sold", res.Warnings)
	}
	d, err := s.Day(ctx, day(0))
	if err != nil || d.Returns != 2 {
		t.Errorf("the day: %d returned, %v; want 2, the kits", d.Returns, err)
	}
	res, err = s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind", DryRun: true})
	if err != nil || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "3 × GIFT would then have come back, more than the 1 sold") {
		t.Errorf("a third: %q, %v; want it counted with the two back", res.Warnings, err)
	}
}

// A kit's return can name the batch of its faulty part: that part's
// return is of the batch, and counts against the batch's factory; a batch
// of no part is refused. "Give a batch of the returned SKU" led nowhere:
// a kit has no batches.
func TestAKitReturnNamesItsFaultyPartsBatch(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t)
	mustFactory(t, s, "Other", 5, true)
	o, err := s.OrderBatch(ctx, Order{Code: "PEN", Qty: 10, Factory: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Hour))
	if _, err := s.ReceiveBatch(ctx, o.ID, 10, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "GIFT"}); err != nil {
		t.Fatal(err)
	}
	mustSKU(t, s, "TAG", domain.PathMicrofactory, "Fab")
	tag, err := s.OrderBatch(ctx, Order{Code: "TAG", Qty: 5})
	if err != nil {
		t.Fatal(err)
	}
	before := content(t, s)
	if _, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "defect", BatchID: tag.ID}); err == nil || !strings.Contains(err.Error(), "not a part of kit GIFT") {
		t.Errorf("a batch of no part: %v, want it refused", err)
	}
	if content(t, s) != before {
		t.Fatal("a refused return changed the shop")
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "defect", BatchID: o.ID}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT k.code, e.batch_id, f.name FROM events e JOIN skus k ON k.id = e.sku_id JOIN factories f ON f.id = e.factory_id
		WHERE e.kind = 'return' ORDER BY k.code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var code, batch, factory string
		if err := rows.Scan(&code, &batch, &factory); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %v %s", code, batch == o.ID, factory))
	}
	if want := []string{"CARD false Fab", "PEN true Other"}; !slices.Equal(got, want) {
		t.Errorf("the kit's returns: %q, want %q", got, want)
	}
}

// A kit short of several parts is told by the scarcest: the kits it
// allows, and that part named. The first part found short was told, so
// "only 2 available" where the kit's tile said 1.
func TestAKitShortOfSeveralPartsIsToldByTheScarcest(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t) // CARD 2, PEN 5; GIFT = 1 CARD + 2 PEN
	if _, err := s.Sell(ctx, Sale{Code: "PEN", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Sell(ctx, Sale{Code: "GIFT", Qty: 3}) // CARD makes 2 kits, PEN 1
	var short *ShortError
	if !errors.As(err, &short) || short.Available != 1 || !strings.Contains(err.Error(), "which takes 6 of PEN") {
		t.Errorf("3 kits: %v (%+v), want told by PEN, 1 kit available", err, short)
	}
}

// A kit's chart is its parts': each day, the kits its scarcest part
// allowed at the day's end, and the kits sold. It drew 0 available every
// day, the ledger of a SKU with no stock of its own.
func TestAKitsHistoryIsItsParts(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t) // CARD 2, PEN 5 counted on day 0; GIFT = 1 CARD + 2 PEN
	clock.Set(day(1).Add(2 * time.Hour))
	if _, err := s.Sell(ctx, Sale{Code: "GIFT"}); err != nil {
		t.Fatal(err)
	}
	days, err := s.History(ctx, "GIFT", s.AsOfNow(), 2)
	if err != nil {
		t.Fatal(err)
	}
	// Day 0: min(2 ÷ 1, 5 ÷ 2) = 2 kits; day 1: one sold, min(1, 3 ÷ 2) = 1.
	if len(days) != 2 || days[0].Available != 2 || days[0].Sold != 0 || days[1].Available != 1 || days[1].Sold != 1 {
		t.Errorf("GIFT's last two days: %+v; want 2 available, then 1 sold and 1 available", days)
	}
}

// Kits whose sums go beyond what a shop records are refused in words the
// maker typed: the default price of parts at the largest price wrapped
// round to a negative nobody typed, and 1000 kits of a million units each
// were refused as "1000000000 is not a valid quantity".
func TestAKitBeyondWhatAShopRecordsSaysSo(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	for _, code := range []string{"BIGP", "BIGQ"} {
		mustSKU(t, s, code, domain.PathDigital, "")
		top := domain.Money(999999999999999)
		if _, err := s.EditSKU(ctx, code, SKUFields{Price: &top}); err != nil {
			t.Fatal(err)
		}
	}
	before := content(t, s)
	_, err := s.AddKit(ctx, "KBIG", "Big kit", -1, []KitPartIn{{"BIGP", 1000000}, {"BIGQ", 1}})
	if err == nil || !strings.Contains(err.Error(), "the parts of kit KBIG come to more than") || strings.Contains(err.Error(), "-") {
		t.Errorf("a kit whose parts come to more than a shop records: %v, want a refusal saying so", err)
	}
	if content(t, s) != before {
		t.Fatal("a refused kit changed the shop")
	}
	if _, err := s.AddKit(ctx, "KBIG", "Big kit", 100, []KitPartIn{{"BIGP", 1000000}}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Sell(ctx, Sale{Code: "KBIG", Qty: 1000})
	if err == nil || !strings.Contains(err.Error(), "1000 of kit KBIG take 1000000000 units of BIGP") {
		t.Errorf("1000 kits of a million units: %v, want a refusal naming the 1000 kits", err)
	}
}

// StandingSales names the lines of a basket a void would still put back:
// a kit stands until any of its lines is voided (VoidSale voids them
// all), and a line voided stands no more, so an undo of the basket asks
// about, and voids, only the rest, and nothing twice.
func TestStandingSalesPassesOverLinesVoided(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "GIFT"}, {Code: "CARD"}, {Code: "PEN"}}})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{o.Items[0].ID, o.Items[1].ID, o.Items[2].ID}
	standing := func(want ...string) {
		t.Helper()
		got, err := s.StandingSales(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("standing %v, want %v", got, want)
		}
	}
	standing(ids...)
	var penLine string // the kit's second line, as the sales list may void it
	if err := s.db.QueryRowContext(ctx, `SELECT id FROM events WHERE kind = 'sale' AND ref = ? AND id <> ref`, ids[0]).Scan(&penLine); err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, penLine, ""); err != nil {
		t.Fatal(err)
	}
	standing(ids[1], ids[2])
	if err := s.VoidSale(ctx, ids[2], ""); err != nil {
		t.Fatal(err)
	}
	standing(ids[1])
	before := content(t, s)
	for _, id := range []string{ids[0], ids[2]} {
		if err := s.VoidSale(ctx, id, ""); !errors.Is(err, ErrVoidedAlready) {
			t.Errorf("voiding %s again: %v, want voided already", id, err)
		}
	}
	if content(t, s) != before {
		t.Error("voiding lines voided already changed the shop")
	}
	if err := s.VoidSale(ctx, ids[1], ""); err != nil {
		t.Fatal(err)
	}
	standing()
}

// A bundle idea resting on a SKU with under 14 days of history is marked,
// as a reorder is: on the shop's first day, and until its parts have 14
// days behind them. OLD, out of stock for all its window but its last
// days, sold long before: it is not new, though its window looks so.
func TestBundleIdeasMarkAShortHistory(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	for _, code := range []string{"MUG", "CUP", "OLD", "NEW"} {
		mustSKU(t, s, code, domain.PathHandmade, "Fab")
	}
	count := func(code string, n int, at time.Time) {
		t.Helper()
		if _, err := s.Count(ctx, code, n, at); err != nil {
			t.Fatal(err)
		}
	}
	sell := func(code string, n int, at time.Time) {
		t.Helper()
		if _, err := s.Sell(ctx, Sale{Code: code, Qty: n, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	marks := func() map[string]bool {
		t.Helper()
		ideas, err := s.BundleIdeas(ctx, s.AsOfNow(), 0)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, b := range ideas {
			out[b.Over+"+"+b.With] = b.ShortHistory
		}
		return out
	}
	// Day one: MUG counted in the morning, 1 sold; CUP sells fast.
	count("MUG", 100, day(0).Add(-3*time.Hour))
	count("CUP", 200, day(0).Add(-3*time.Hour))
	sell("CUP", 5, day(0).Add(-2*time.Hour))
	sell("MUG", 1, day(0).Add(-time.Hour))
	if got := marks(); len(got) != 1 || !got["MUG+CUP"] {
		t.Errorf("on day one: ideas marked new %v, want MUG+CUP marked", got)
	}

	count("OLD", 10, day(0))
	clock.Set(day(1))
	sell("OLD", 10, day(1))
	clock.Set(day(40))
	count("OLD", 400, day(38))
	count("NEW", 300, day(38))
	for _, code := range []string{"OLD", "NEW"} {
		sell(code, 1, day(39))
	}
	sell("CUP", 5, day(39))
	want := map[string]bool{"MUG+CUP": false, "OLD+CUP": false, "NEW+CUP": true}
	if got := marks(); !maps.Equal(got, want) {
		t.Errorf("on day 40: ideas marked new %v, want %v", got, want)
	}
}

// The till's total for a kit is what the day's takings count: ODD, 2 PENs
// and a CARD at 10.01, is one line of the basket at 10.01, and its parts'
// lines, which the day adds up, must hold that cent too.
func TestAKitSoldAtTheTillIsTakenAtItsPrice(t *testing.T) {
	ctx := context.Background()
	s, _ := kitShop(t)
	if _, err := s.AddKit(ctx, "ODD", "Odd set", 1001, []KitPartIn{{"PEN", 2}, {"CARD", 1}}); err != nil {
		t.Fatal(err)
	}
	sold, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "ODD"}}, At: day(1)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Day(ctx, day(1))
	if err != nil {
		t.Fatal(err)
	}
	if sold.Total != 1001 || d.Total != sold.Total {
		t.Errorf("the till took %s for ODD at 10.01; the day's takings are %s", sold.Total, d.Total)
	}
}

// A kit comes back as it was sold: GIFT sold as a CARD and 2 PENs, then
// changed to a CARD and 1 PEN, comes back with 2 PENs; it put 1 back, as
// its parts now, and the other PEN the buyer returned was lost to stock.
// A GIFT sold after the change comes back as the new one.
func TestAKitComesBackAsItWasSold(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t)
	clock.Set(day(3))
	if _, err := s.Sell(ctx, Sale{Code: "GIFT", At: day(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditKit(ctx, "GIFT", KitFields{Parts: []KitPartIn{{"CARD", 1}, {"PEN", 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind", Restock: true, At: day(2)}); err != nil {
		t.Fatal(err)
	}
	if card, pen := mustStock(t, s, "CARD", s.AsOfNow()).OnHand, mustStock(t, s, "PEN", s.AsOfNow()).OnHand; card != 2 || pen != 5 {
		t.Errorf("after GIFT (CARD + 2 PENs) sold and came back: CARD %d, PEN %d on hand; want 2 and 5", card, pen)
	}
	if _, err := s.Sell(ctx, Sale{Code: "GIFT", At: day(3)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind", Restock: true, At: day(3)}); err != nil {
		t.Fatal(err)
	}
	if card, pen := mustStock(t, s, "CARD", s.AsOfNow()).OnHand, mustStock(t, s, "PEN", s.AsOfNow()).OnHand; card != 2 || pen != 5 {
		t.Errorf("after GIFT (CARD + PEN) sold and came back: CARD %d, PEN %d on hand; want 2 and 5", card, pen)
	}
}

// A kit of one part several times is taken at its price: THREE, 3 PENs at
// 10.00, was 3 lines' worth of 3.33, and the day took 9.99 for the 10.00
// the till said. Its sale is one line of the sales at 10.00; it comes
// back and is voided as 3 PENs.
func TestAKitOfOnePartSeveralTimesIsTakenAtItsPrice(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t)
	clock.Set(day(2))
	if _, err := s.AddKit(ctx, "THREE", "Three pens", 1000, []KitPartIn{{"PEN", 3}}); err != nil {
		t.Fatal(err)
	}
	sold, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "THREE"}}, At: day(1)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Day(ctx, day(1))
	if err != nil {
		t.Fatal(err)
	}
	if sold.Total != 1000 || d.Total != 1000 || d.Units != 1 || d.Sales != 1 {
		t.Errorf("the till took %s for THREE at 10.00; the day: %s in %d lines, %d units; want 10.00 in 1 line, 1 unit", sold.Total, d.Total, d.Sales, d.Units)
	}
	lines, err := s.Sales(ctx, day(1), day(2), "")
	if err != nil || len(lines) != 1 || lines[0].Code != "THREE" || lines[0].Qty != 1 || lines[0].Total() != 1000 {
		t.Fatalf("sales %+v, %v; want one line of 1 × THREE at 10.00", lines, err)
	}
	if m := marginOf(t, s, "PEN"); m.Revenue != 1000 || m.Units != 3 {
		t.Errorf("PEN's margin %+v; want 3 units, 10.00 of revenue", m)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "THREE", Qty: 1, Reason: "changed-mind", Restock: true, At: day(1).Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if pen := mustStock(t, s, "PEN", s.AsOfNow()).OnHand; pen != 5 {
		t.Errorf("after THREE sold and came back: PEN %d on hand, want 5", pen)
	}
	if err := s.VoidSale(ctx, lines[0].ID, "rung up wrong"); err != nil {
		t.Fatal(err)
	}
	if pen := mustStock(t, s, "PEN", s.AsOfNow()).OnHand; pen != 8 {
		t.Errorf("after THREE sold, back and its sale voided: PEN %d on hand, want 8", pen)
	}
}
