package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"microshop/domain"
)

// A shop lives in the file its path names, whatever characters the path
// holds: people name folders "Stall #2" or "Shop?".
func TestShopPathsWithURICharacters(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"Stall #1", "Stall #2", "Shop?", "100%"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name, "shop.db")
			s, err := Create(path, NewShop{Name: name}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			id := s.ShopID()
			s.Close()
			s, err = Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			info, err := s.Info(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if info.ShopID != id || info.Name != name {
				t.Errorf("reopened shop %q (%s), want %q (%s)", info.Name, info.ShopID, name, id)
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files beside the shops' folders: %q, want only the four folders", names)
	}
}

// Closing a shop while another goroutine is still writing to it fails that
// write with an error; it never panics.
func TestCloseDuringWritesDoesNotPanic(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			if _, err := s.AddFactory(ctx, domain.Factory{Name: fmt.Sprintf("F%d", i), Kind: domain.KindWorkshop}); err != nil {
				return
			}
		}
	}()
	time.Sleep(5 * time.Millisecond)
	s.Close()
	<-done
	s.Close() // twice is harmless
}
