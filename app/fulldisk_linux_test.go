package app

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"microshop/domain"
)

// A disk with no space left refused even reading: `stock`, `day` and the
// desktop said "could not write to the disk", because opening a shop
// makes the shared-memory file beside it, which a full disk cannot grow.
// The shop is read as it is instead, and every change is refused with one
// sentence saying the disk is full, changing nothing. The disk is a real
// one, filled: a small memory disk, which only root may mount.
func TestAShopOnAFullDiskCanBeRead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=16m"); err != nil {
		t.Skipf("a small disk to fill cannot be mounted here (%v); run as root", err)
	}
	defer syscall.Unmount(dir, 0)
	path := filepath.Join(dir, "shop.db")
	clock := newFakeClock(testStart)
	opts := Options{Now: clock.Now, Location: testStart.Location()}
	s, err := Create(path, NewShop{Name: "Fern & Kiln", Device: "stall"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	mustFactory(t, s, "Press", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Press")
	if _, err := s.Count(ctx, "MUG", 20, testStart); err != nil {
		t.Fatal(err)
	}
	s.Close()
	fill(t, filepath.Join(dir, "fill"))

	r, err := Open(path, opts)
	if err != nil {
		t.Fatalf("opening the shop on a full disk: %v, want it read", err)
	}
	defer r.Close()
	if got := mustStock(t, r, "MUG", r.AsOfNow()).Available; got != 20 {
		t.Errorf("MUG available %d, want 20", got)
	}
	_, err = r.Sell(ctx, Sale{Code: "MUG", Qty: 1})
	if domain.ErrorCode(err) != domain.EReadOnly || !strings.Contains(domain.ErrorMessage(err), "disk holding the shop at "+path+" is full") {
		t.Errorf("selling on a full disk: %v (code %q), want a refusal saying the disk is full", err, domain.ErrorCode(err))
	}
	if got := mustStock(t, r, "MUG", r.AsOfNow()).Available; got != 20 {
		t.Errorf("MUG available %d after the refused sale, want 20", got)
	}
}

// fill writes to path until its disk has no space left.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = io.Copy(f, zeros{})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("filling the disk: %v, want it full", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
