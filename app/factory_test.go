package app

import (
	"context"
	"testing"

	"microshop/domain"
)

// A name pasted with a zero-width space in it is kept without it: it
// printed as "F8" and "F8" did not find it, and a second "F8" was added
// beside it, two rows that read the same.
func TestAnInvisibleCharacterIsDroppedFromAName(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "F\u200b8\ufeff", Kind: domain.KindPrint, LeadDays: 3}); err != nil {
		t.Fatal(err)
	}
	if f, err := s.Factory(ctx, "F8", s.AsOfNow()); err != nil || f.Name != "F8" {
		t.Fatalf("F8: %q, %v; want the factory typed as F\\u200b8 found by it", f.Name, err)
	}
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "F8", Kind: domain.KindPrint, LeadDays: 3}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("a second F8: %v; want it refused as the same name", err)
	}
}
