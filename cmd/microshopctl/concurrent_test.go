package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"microshop/app"
	"microshop/domain"
)

// Scripts selling and reading stock on one shop, alone and while the
// desktop app has it open: every command waits its turn, none fails as
// busy, and every sale is counted once.
func TestProgramsShareOneShop(t *testing.T) {
	dir := t.TempDir()
	bin := ctlBinary(t, dir)
	for _, desktop := range []bool{false, true} {
		name := "scripts alone"
		if desktop {
			name = "with the desktop app open"
		}
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "shop.db")
			const stock = 100000
			for _, args := range [][]string{
				{"init", "--shop", "Busy stall"},
				{"factory", "add", "Kiln", "--kind", "workshop", "--lead-days", "3"},
				{"sku", "add", "MUG", "--name", "Mug", "--path", "handmade", "--factory", "Kiln"},
				{"sku", "add", "PIN", "--name", "Pin", "--path", "digital"},
				{"count", "MUG", "--qty", fmt.Sprint(stock)},
			} {
				if _, err := ctlRun(bin, db, args...); err != nil {
					t.Fatal(err)
				}
			}
			stopDesk := func() int { return 0 }
			if desktop {
				stopDesk = sellLikeTheDesktop(t, db)
			}
			scriptSold := runScripts(t, bin, db)
			sold := scriptSold + stopDesk()

			out, err := ctlRun(bin, db, "--json", "stock", "MUG")
			if err != nil {
				t.Fatal(err)
			}
			var rows []struct {
				OnHand int `json:"on_hand"`
			}
			if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 {
				t.Fatalf("stock MUG = %s (%v)", out, err)
			}
			if got, want := rows[0].OnHand, stock-sold; got != want {
				t.Errorf("MUG on hand %d, want %d: %d sold by the scripts, %d in all", got, want, scriptSold, sold)
			}
		})
	}
}

// runScripts runs several microshopctl processes at once, each selling
// mugs and pins and reading stock, and returns the mugs they sold. Every
// command must succeed.
func runScripts(t *testing.T, bin, db string) (mugs int) {
	t.Helper()
	const workers, each = 6, 30
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				args := []string{"sell", "MUG"}
				switch (i + w) % 3 {
				case 0:
					args = []string{"--json", "stock"}
				case 1:
					args = []string{"sell", "PIN"}
				}
				if _, err := ctlRun(bin, db, args...); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if failed++; failed <= 3 {
			t.Error(err)
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d commands failed", failed, workers*each)
	}
	return workers * each / 3
}

// sellLikeTheDesktop keeps the shop open in this process and sells a mug
// every few milliseconds, as the desktop app at a busy stall would (a loop
// with no pause would hold SQLite's one write lock nearly all the time,
// which no person at a till does). stop ends it and returns the mugs sold.
func sellLikeTheDesktop(t *testing.T, db string) (stop func() int) {
	t.Helper()
	desk, err := app.Open(db, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	quit := make(chan struct{})
	done := make(chan int)
	go func() {
		sold := 0
		defer func() { done <- sold }()
		for {
			select {
			case <-quit:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if _, err := desk.Sell(context.Background(), app.Sale{Code: "MUG"}); err != nil {
				t.Errorf("the desktop's sale: %s", domain.ErrorMessage(err))
				return
			}
			sold++
		}
	}()
	return func() int {
		close(quit)
		n := <-done
		desk.Close()
		return n
	}
}
