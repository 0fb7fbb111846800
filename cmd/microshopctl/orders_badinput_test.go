package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// orders takes no argument and only its own flags: each bad call is
// refused with the value named and a hint, exit 2, and --open with
// --delayed lists the delayed ones (a delayed order is open).
func TestOrdersRefusesBadInput(t *testing.T) {
	s := mugShop(t, "Speckled mug", "24", "1")
	header := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU\r\n"
	file := filepath.Join(t.TempDir(), "sold.csv")
	if err := os.WriteFile(file, []byte(header+"01/04/26,Mug,Al,1,24.00,EUR,3000,,9000,MUG\r\n01/05/26,Mug,Jo,2,24.00,EUR,3001,,9001,MUG\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.ok("import", file)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"orders", "9001"}, `unexpected argument "9001"`},
		{[]string{"orders", "--open=maybe"}, `"maybe"`},
		{[]string{"orders", "--as-of", "someday"}, `"someday" is not a date`},
		{[]string{"orders", "--shipped"}, "--shipped"},
		{[]string{"orders", "--delayed", "--late"}, "--late"},
	} {
		r := s.run(c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 naming %s", c.args, r.code, r.stderr, c.want)
		}
	}
	// One mug on the shelf: 9000, the older, takes it; 9001 waits.
	both := s.objects("orders", "--open", "--delayed", "--as-of", "2026-01-07")
	if len(both) != 1 || both[0]["order"] != "9001" || both[0]["delayed"] != true {
		t.Fatalf("--open --delayed: %v; want only 9001, delayed", both)
	}
	if open := s.objects("orders", "--open", "--as-of", "2026-01-07"); len(open) != 2 || open[1]["delayed"] != false {
		t.Fatalf("--open: %v; want 9001 and 9000, 9000 not delayed", open)
	}
}
