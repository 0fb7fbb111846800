package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// A return names no sale: voiding a sale whose units already came back
// refunded counted the money out twice at the close of day (the refund,
// and the void taking the takings back), and restocked units came back
// twice, without a word. VoidWarnings says so when a return of what the
// sale sold, refunded or restocked, was recorded at or after its time;
// the sale is 1 × MUG at 14:00 on day 0, MUG and CARD both at 10.00.
func TestVoidWarnsOfReturnsSinceTheSale(t *testing.T) {
	ctx := context.Background()
	saleAt := day(0).Add(2 * time.Hour)
	type ret struct {
		code    string
		qty     int
		after   time.Duration // from the sale; negative for before it
		refund  domain.Money
		restock bool
	}
	tests := []struct {
		name    string
		returns []ret
		want    string // "" for no warning
	}{
		{"a refunded return after the sale", []ret{{"MUG", 1, time.Hour, 1000, false}},
			"1 unit of MUG came back after this sale, on 2026-06-01 15:00, refunded 10.00; if it was this sale's unit, the return settled it, and voiding the sale too counts the money back twice"},
		{"refunded and restocked", []ret{{"MUG", 1, time.Hour, 1000, true}},
			"1 unit of MUG came back after this sale, on 2026-06-01 15:00, refunded 10.00 and put back in stock; if it was this sale's unit, the return settled it, and voiding the sale too counts the money and the unit back twice"},
		{"restocked with no refund", []ret{{"MUG", 1, time.Hour, 0, true}},
			"1 unit of MUG came back after this sale, on 2026-06-01 15:00, put back in stock with no refund; if it was this sale's unit, the return settled it, and voiding the sale too counts the unit back in stock twice"},
		{"at the sale's very moment", []ret{{"MUG", 1, 0, 1000, false}},
			"1 unit of MUG came back after this sale, on 2026-06-01 14:00, refunded 10.00; if it was this sale's unit, the return settled it, and voiding the sale too counts the money back twice"},
		{"two returns, one restocked", []ret{{"MUG", 1, time.Hour, 1000, true}, {"MUG", 2, 25 * time.Hour, 1500, false}},
			"3 units of MUG came back after this sale, in 2 returns from 2026-06-01 15:00 to 2026-06-02 15:00, refunded 25.00, 1 of them put back in stock; if this sale's unit was among them, those returns settled it, and voiding the sale too counts the money and the unit back twice"},
		{"a return before the sale", []ret{{"MUG", 1, -time.Hour, 1000, true}}, ""},
		{"a return of another SKU", []ret{{"CARD", 1, time.Hour, 1000, true}}, ""},
		{"no refund and not restocked", []ret{{"MUG", 1, time.Hour, 0, false}}, ""},
		{"only what moved nothing is counted", []ret{{"MUG", 1, time.Hour, 0, false}, {"MUG", 1, 2 * time.Hour, 1000, false}},
			"1 unit of MUG came back after this sale, on 2026-06-01 16:00, refunded 10.00; if it was this sale's unit, the return settled it, and voiding the sale too counts the money back twice"},
		{"no return", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := tillShop(t)
			clock.Set(day(2))
			if _, err := s.Sell(ctx, Sale{Code: "CARD", At: saleAt.Add(-2 * time.Hour)}); err != nil { // so a CARD return is of a CARD sold
				t.Fatal(err)
			}
			sale, err := s.Sell(ctx, Sale{Code: "MUG", At: saleAt})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tt.returns {
				if _, err := s.RecordReturn(ctx, Return{Code: r.code, Qty: r.qty, Reason: "changed-mind", At: saleAt.Add(r.after),
					Refund: r.refund, Restock: r.restock}); err != nil {
					t.Fatal(err)
				}
			}
			before := content(t, s)
			got, err := s.VoidWarnings(ctx, sale.ID)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" && len(got) != 0 || tt.want != "" && (len(got) != 1 || got[0] != tt.want) {
				t.Fatalf("warnings %q, want %q", got, tt.want)
			}
			if content(t, s) != before {
				t.Fatal("VoidWarnings wrote to the shop")
			}
			// The maker may go on: the void is recorded all the same, and
			// a voided sale has nothing more to warn of.
			if err := s.VoidSale(ctx, sale.ID, ""); err != nil {
				t.Fatal(err)
			}
			if got, err := s.VoidWarnings(ctx, sale.ID); err != nil || len(got) != 0 {
				t.Fatalf("after the void: %q, %v; want no warning", got, err)
			}
		})
	}
}

// A kit's sale is checked against returns of the kit, counted in kits
// with the refund its parts' lines share, from whichever of its lines is
// voided, and against returns of each part on its own: the void gives
// back every part. A kit returned before the sale says nothing.
func TestVoidOfAKitWarnsOfTheKitsReturns(t *testing.T) {
	ctx := context.Background()
	s, clock := kitShop(t)
	clock.Set(day(3))
	if _, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind", At: day(1), Refund: 1800, Restock: true}); err != nil {
		t.Fatal(err)
	}
	o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "GIFT"}}, At: day(1).Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	lines := kitSaleLines(t, s, o.Items[0].ID)
	if len(lines) != 2 {
		t.Fatalf("the kit's sale has %d lines, want 2", len(lines))
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "PEN", Qty: 1, Reason: "defect", At: day(2), Refund: 450}); err != nil {
		t.Fatal(err)
	}
	pen := "1 unit of PEN, a part of GIFT, came back on its own after this sale, on 2026-06-03 12:00, refunded 4.50; if it was this sale's unit, the return settled that unit, and voiding the sale too counts the money back twice"
	for _, id := range lines {
		if got, err := s.VoidWarnings(ctx, id); err != nil || !slices.Equal(got, []string{pen}) {
			t.Fatalf("a kit returned before the sale, a part alone after: %q, %v; want %q", got, err, pen)
		}
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "GIFT", Qty: 1, Reason: "changed-mind", At: day(2).Add(time.Hour), Refund: 1800, Restock: true}); err != nil {
		t.Fatal(err)
	}
	gift := "1 × GIFT came back after this sale, on 2026-06-03 13:00, refunded 18.00 and put back in stock; if it was this sale's kit, the return settled it, and voiding the sale too counts the money and the kit back twice"
	for _, id := range lines {
		if got, err := s.VoidWarnings(ctx, id); err != nil || !slices.Equal(got, []string{gift, pen}) {
			t.Fatalf("line %s: %q, %v; want %q", id, got, err, []string{gift, pen})
		}
	}
}

// kitSaleLines are the ids of the lines of the kit's sale whose first
// line is first.
func kitSaleLines(t *testing.T, s *Shop, first string) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT id FROM events WHERE kind = 'sale' AND ref = ? ORDER BY id`, first)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// A download holds no stock: only a refund is counted twice.
func TestVoidOfADownloadWarnsOfItsRefund(t *testing.T) {
	ctx := context.Background()
	s, clock := tillShop(t)
	mustSKU(t, s, "PDF", domain.PathDigital, "")
	sale, err := s.Sell(ctx, Sale{Code: "PDF"})
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Hour))
	if _, err := s.RecordReturn(ctx, Return{Code: "PDF", Qty: 1, Reason: "other", Refund: 1000, Restock: true}); err != nil {
		t.Fatal(err)
	}
	want := "1 unit of PDF came back after this sale, on 2026-06-01 19:00, refunded 10.00; if it was this sale's unit, the return settled it, and voiding the sale too counts the money back twice"
	if got, err := s.VoidWarnings(ctx, sale.ID); err != nil || len(got) != 1 || got[0] != want {
		t.Fatalf("%q, %v; want %q", got, err, want)
	}
}

// The question's warnings and the void were two reads: a return recorded
// between them, here or by sync while the maker read the question, was
// voided over unasked, counting its refund and units back twice.
// VoidSaleWarned reads the warnings again in the void's own transaction
// and voids nothing when one is new to the maker; those they were shown,
// they have weighed.
func TestAVoidIsRefusedOnAReturnRecordedSinceTheQuestion(t *testing.T) {
	ctx := context.Background()
	s, clock := tillShop(t)
	clock.Set(day(0).Add(2 * time.Hour))
	sale, err := s.Sell(ctx, Sale{Code: "MUG"})
	if err != nil {
		t.Fatal(err)
	}
	asked, err := s.VoidWarnings(ctx, sale.ID) // the question, with no return to tell of
	if err != nil || len(asked) != 0 {
		t.Fatalf("warnings before any return: %q, %v; want none", asked, err)
	}
	clock.Set(day(0).Add(3 * time.Hour))
	if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "changed-mind", Refund: 1000}); err != nil {
		t.Fatal(err)
	}
	before := content(t, s)
	err = s.VoidSaleWarned(ctx, sale.ID, "", asked)
	if !errors.Is(err, ErrVoidWarned) || domain.ErrorCode(err) != domain.EConflict ||
		!strings.HasPrefix(err.Error(), "not voided: 1 unit of MUG came back after this sale, on 2026-06-01 15:00, refunded 10.00;") {
		t.Fatalf("the void after a return the maker was not told of: %v; want it refused, saying what came back", err)
	}
	if content(t, s) != before {
		t.Fatal("the refused void wrote to the shop")
	}
	// Asked again, with the return in the question, the maker's void goes.
	asked, err = s.VoidWarnings(ctx, sale.ID)
	if err != nil || len(asked) != 1 {
		t.Fatalf("warnings after the return: %q, %v; want one", asked, err)
	}
	if err := s.VoidSaleWarned(ctx, sale.ID, "", asked); err != nil {
		t.Fatalf("the void with the return weighed: %v", err)
	}
	if again, err := s.VoidWarnings(ctx, sale.ID); err != nil || len(again) != 0 {
		t.Errorf("warnings of a voided sale: %q, %v; want none", again, err)
	}
}
