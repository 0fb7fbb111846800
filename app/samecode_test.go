package app

import (
	"context"
	"strings"
	"testing"

	"microshop/domain"
)

// mugsApart is a desk and a laptop that each added a SKU MUG while apart,
// "Mug" on the desk and "Big mug" on the laptop, with units counted and
// one of each sold where it was added, then synced: one code on two SKUs
// on sale, as the duplicate_code alert says, and the two SKUs.
func mugsApart(t *testing.T) (desk, laptop *Shop, mug, big domain.SKU) {
	t.Helper()
	ctx := context.Background()
	desk, clock := mustCreate(t)
	laptop = mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	digital := domain.PathDigital
	for _, s := range []struct {
		shop *Shop
		name string
		sku  *domain.SKU
	}{{desk, "Mug", &mug}, {laptop, "Big mug", &big}} {
		k, err := s.shop.AddSKU(ctx, "MUG", SKUFields{Name: ptr(s.name), Path: &digital, Price: ptr(domain.Money(1200))})
		if err != nil {
			t.Fatal(err)
		}
		*s.sku = k
		if _, err := s.shop.Sell(ctx, Sale{Code: "MUG"}); err != nil {
			t.Fatal(err)
		}
	}
	syncPair(t, desk, laptop)
	return desk, laptop, mug, big
}

// A code two SKUs share, added on two devices apart, no longer means one
// of them silently until one is renamed: selling, showing, editing,
// counting or labelling by it is refused, saying the code, the two SKUs'
// names and to give one a code of its own, and changes nothing; the sales
// of that code are those of both, each named. Before, the code meant the
// SKU with the lower id, so a scan at the stall took the other's units
// and its sales list left the other's sales out.
func TestACodeOnTwoSKUsIsRefusedWhereItWouldPickOne(t *testing.T) {
	ctx := context.Background()
	desk, laptop, mug, big := mugsApart(t)
	refused := func(what string, err error) {
		t.Helper()
		msg := domain.ErrorMessage(err)
		if err == nil || domain.RemedyOf(err) != domain.RemedySameCode || !strings.Contains(msg, "MUG") ||
			!strings.Contains(msg, `"Mug"`) || !strings.Contains(msg, `"Big mug"`) || strings.Contains(msg, mug.ID) || strings.Contains(msg, big.ID) {
			t.Errorf("%s: err %v (%q); want a refusal naming the code MUG and both SKUs by name, no ids, to rename one", what, err, msg)
		}
	}
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		before := content(t, s)
		_, err := s.Sell(ctx, Sale{Code: "mug"})
		refused(name+": sell", err)
		_, err = s.SKU(ctx, "MUG")
		refused(name+": sku show", err)
		_, err = s.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(1500))})
		refused(name+": sku edit", err)
		_, err = s.labelRun(ctx, LabelRequest{Codes: []string{"MUG"}})
		refused(name+": labels", err)
		_, err = s.Stock(ctx, s.AsOfNow(), "MUG")
		refused(name+": stock", err)
		if after := content(t, s); after != before {
			t.Errorf("%s: the refusals changed the shop", name)
		}
		_, err = s.AddSKU(ctx, "Mug", SKUFields{Name: ptr("Third mug"), Path: ptr(domain.PathDigital)})
		if domain.ErrorCode(err) != domain.EConflict {
			t.Errorf("%s: adding a third MUG: %v, want it refused as taken", name, err)
		}

		lines, err := s.Sales(ctx, testStart.AddDate(0, 0, -1), testStart.AddDate(0, 0, 1), "MUG")
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]int{}
		for _, l := range lines {
			names[l.Name]++
		}
		if len(lines) != 2 || names["Mug"] != 1 || names["Big mug"] != 1 {
			t.Errorf("%s: the sales of MUG are %+v; want the sale of each, named Mug and Big mug", name, lines)
		}
	}

	// A tile sells the SKU it shows, by its id, and the laptop's mug
	// renamed by its id leaves MUG to the desk's, on both.
	if _, err := desk.Sell(ctx, Sale{Code: big.ID}); err != nil {
		t.Errorf("selling the big mug by its id: %v", err)
	}
	if _, err := laptop.EditSKU(ctx, big.ID, SKUFields{Code: ptr("MUG-BIG")}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		if k, err := s.SKU(ctx, "MUG"); err != nil || k.ID != mug.ID {
			t.Errorf("%s: after the rename MUG is %q (%v), want %q", name, k.Name, err, "Mug")
		}
	}
}

// An order line whose SKU is the code two SKUs on sale share is refused
// by its line, naming the code and both SKUs, and nothing is imported;
// mapping the channel's SKU to it is refused too. The import sold the one
// listed last, the other one than a sale at the till took.
func TestImportingOrdersOfACodeOnTwoSKUsIsRefused(t *testing.T) {
	ctx := context.Background()
	desk, _, _, _ := mugsApart(t)
	before := content(t, desk)
	file := writeFile(t, "EtsySoldOrderItems2026-5.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "12.00", "3001", "9001", "MUG")))
	res, err := desk.Import(ctx, ImportRequest{Path: file})
	if err == nil || len(res.Errors) != 1 || res.Errors[0].Line != 2 || !strings.Contains(res.Errors[0].Message, "MUG") ||
		!strings.Contains(res.Errors[0].Message, `"Big mug"`) {
		t.Errorf("importing a line of MUG: %+v, %v; want line 2 refused, naming MUG and both SKUs", res.Errors, err)
	}
	file = writeFile(t, "EtsySoldOrderItems2026-6.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "12.00", "3002", "9002", "CUP-1")))
	if _, err := desk.Import(ctx, ImportRequest{Path: file, Map: map[string]string{"CUP-1": "mug"}}); domain.RemedyOf(err) != domain.RemedySameCode {
		t.Errorf("mapping to MUG: %v; want it refused as a code on two SKUs", err)
	}
	if content(t, desk) != before {
		t.Error("the refused imports changed the shop")
	}
}
