package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"microshop/domain"
)

// Messages from app speak to a maker at the desktop app as much as at the
// command line: what is wrong and what is accepted, never a command or a
// flag. What settles the error travels as its Remedy, which each interface
// words its own way.
func TestMessagesNameNoCommandOrFlag(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Press", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Press")
	if err := s.PauseFactory(ctx, "Press", ""); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	print := domain.PathPrint
	for _, tc := range []struct {
		name   string
		err    error
		remedy domain.Remedy
	}{
		{"unknown SKU", second(s.SKU(ctx, "NOPE")), domain.RemedyListSKUs},
		{"unknown archived SKU", second(s.UnarchiveSKU(ctx, "NOPE")), domain.RemedyListArchived},
		{"unknown factory", second(s.Factory(ctx, "Nowhere", s.AsOfNow())), domain.RemedyListFactories},
		{"short batch id", second(s.Batch(ctx, "ab")), domain.RemedyListBatches},
		{"unknown batch", second(s.Batch(ctx, "abcdef12")), domain.RemedyListBatches},
		{"factory paused twice", s.PauseFactory(ctx, "Press", ""), domain.RemedyResumeFactory},
		{"code taken", second(s.AddSKU(ctx, "MUG", SKUFields{Name: ptr("Mug"), Path: &print, Factory: ptr("Press")})), domain.RemedyEditSKU},
		{"SKU without a factory", second(s.AddSKU(ctx, "CUP", SKUFields{Name: ptr("Cup"), Path: &print})), domain.RemedyNameFactory},
		{"no conflict", s.UndoConflict(ctx, "sku", "x", "name", "0"), domain.RemedyListConflicts},
		{"no shop", second(Open(filepath.Join(t.TempDir(), "none.db"), Options{})), domain.RemedyCreateShop},
		{"an empty file", second(Open(empty, Options{})), domain.RemedyCreateShop},
		{"a shop already there", second(Create(s.Path(), NewShop{Name: "Again"}, Options{})), domain.RemedyOtherShop},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("no error")
			}
			msg := domain.ErrorMessage(tc.err)
			if strings.Contains(msg, "microshopctl") || strings.Contains(msg, "--") || strings.Contains(msg, "`") {
				t.Errorf("message names a command or flag: %q", msg)
			}
			if got := domain.RemedyOf(tc.err); got != tc.remedy {
				t.Errorf("remedy %q, want %q (message %q)", got, tc.remedy, msg)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }
