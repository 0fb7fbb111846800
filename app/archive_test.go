package app

import (
	"context"
	"strings"
	"testing"

	"microshop/domain"
)

// TestUnarchiveBringsASKUBackOnEveryDevice archives a SKU on the desk and
// unarchives it on the laptop: after sync both sell it again.
func TestUnarchiveBringsASKUBackOnEveryDevice(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustMugShop(t)
	laptop := mustReplica(t, desk, clock.Now)
	if err := desk.ArchiveSKU(ctx, "MUG"); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	if sku, _ := laptop.SKU(ctx, "MUG"); !sku.Archived {
		t.Fatalf("the laptop holds MUG as %+v, want it archived", sku)
	}
	if _, err := desk.Sell(ctx, Sale{Code: "MUG", At: day(1)}); domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("selling an archived SKU: %v, want it refused", err)
	}

	sku, err := laptop.UnarchiveSKU(ctx, "mug")
	if err != nil {
		t.Fatal(err)
	}
	if sku.Archived || sku.Code != "MUG" {
		t.Fatalf("unarchive returned %+v, want MUG on sale", sku)
	}
	if _, err := laptop.UnarchiveSKU(ctx, "MUG"); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), "not archived") {
		t.Errorf("unarchiving a SKU on sale: %v, want it refused as not archived", err)
	}
	syncPair(t, desk, laptop)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		if sku, _ := s.SKU(ctx, "MUG"); sku.Archived {
			t.Errorf("%s: MUG is still archived after sync", name)
		}
		if _, err := s.Sell(ctx, Sale{Code: "MUG", At: day(1)}); err != nil {
			t.Errorf("%s: selling the unarchived MUG: %v", name, err)
		}
	}
	syncPair(t, desk, laptop)
	if ga, gb := content(t, desk), content(t, laptop); ga != gb {
		t.Errorf("the replicas differ after sync\n desk: %s\n laptop: %s", ga, gb)
	}
}

// TestAnArchivedSKUKeepsItsCode: adding a SKU or renaming one to an
// archived SKU's code is refused, naming it and how to get it back.
func TestAnArchivedSKUKeepsItsCode(t *testing.T) {
	ctx := context.Background()
	s, _ := mustMugShop(t)
	mustSKU(t, s, "CUP", domain.PathDigital, "")
	if err := s.ArchiveSKU(ctx, "MUG"); err != nil {
		t.Fatal(err)
	}
	before := content(t, s)
	path := domain.PathDigital
	_, err := s.AddSKU(ctx, "mug", SKUFields{Name: ptr("New mug"), Path: &path})
	if msg := domain.ErrorMessage(err); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(msg, "archived SKU MUG") || !strings.Contains(msg, "unarchive") {
		t.Errorf("adding a SKU with an archived SKU's code: %v, want it refused naming the archived SKU and unarchive", err)
	}
	_, err = s.EditSKU(ctx, "CUP", SKUFields{Code: ptr("MUG")})
	if domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), "archived SKU MUG") {
		t.Errorf("renaming a SKU to an archived SKU's code: %v, want it refused naming the archived SKU", err)
	}
	if got := content(t, s); got != before {
		t.Errorf("a refused command changed the shop")
	}
}

// TestUnarchiveIsRefusedWhileTheCodeIsTaken: the laptop added its own MUG
// while the desk's was archived and they were apart; the desk's cannot
// come back under that code until one of them has another.
func TestUnarchiveIsRefusedWhileTheCodeIsTaken(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustMugShop(t)
	laptop := mustReplica(t, desk, clock.Now)
	if err := desk.ArchiveSKU(ctx, "MUG"); err != nil {
		t.Fatal(err)
	}
	old, _ := desk.SKU(ctx, "MUG")
	path := domain.PathDigital
	if _, err := laptop.AddSKU(ctx, "MUG", SKUFields{Name: ptr("Mug pattern"), Path: &path}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)

	before := content(t, desk)
	for _, name := range []string{"MUG", old.ID} {
		_, err := desk.UnarchiveSKU(ctx, name)
		msg := domain.ErrorMessage(err)
		if domain.ErrorCode(err) != domain.EConflict || !strings.Contains(msg, `"Mug pattern"`) || !strings.Contains(msg, "another code") {
			t.Errorf("unarchive %s while another MUG is on sale: %v, want it refused naming Mug pattern", name, err)
		}
	}
	if got := content(t, desk); got != before {
		t.Errorf("a refused unarchive changed the shop")
	}
	// Once the one on sale has a code of its own, the old one comes back.
	if _, err := desk.EditSKU(ctx, "MUG", SKUFields{Code: ptr("MUG-PDF")}); err != nil {
		t.Fatal(err)
	}
	if sku, err := desk.UnarchiveSKU(ctx, "MUG"); err != nil || sku.ID != old.ID {
		t.Fatalf("unarchive after the rename: %+v, %v; want the old MUG back", sku, err)
	}
}
