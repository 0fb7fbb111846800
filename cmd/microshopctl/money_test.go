package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A shop in yen reads its amounts in whole yen wherever a person reads
// them: 1500, never 1500.00.
func TestAYenShopShowsWholeYen(t *testing.T) {
	s := &testShop{t: t, db: filepath.Join(t.TempDir(), "shop.db")}
	s.ok("init", "--shop", "Tokyo Prints", "--currency", "JPY")
	s.ok("factory", "add", "PrintHaus", "--kind", "print", "--lead-days", "3", "--established")
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"day"}, []string{"takings 0 JPY (discounts 0).", "cash     0 JPY", "0 JPY refunded"}},
		{[]string{"sku", "add", "CARD", "--name", "Card", "--path", "print", "--factory", "PrintHaus", "--price", "1500", "--cost", "600"},
			[]string{"(print from PrintHaus, 1500; lead time"}},
		{[]string{"sku", "add", "MUG", "--name", "Mug", "--path", "print", "--factory", "PrintHaus", "--price", "2400.00", "--cost", "900"},
			[]string{"PrintHaus, 2400;"}},
		{[]string{"count", "CARD", "--qty", "10"}, nil},
		{[]string{"count", "MUG", "--qty", "5"}, nil},
		{[]string{"sell", "CARD", "--qty", "2"}, []string{"Sold 2 × CARD at 1500; 8 available."}},
		{[]string{"sell", "CARD:1", "MUG:1", "--payment", "card"}, []string{"Sold 1 × MUG at 2400;", "Total 3900, paid by card"}},
		{[]string{"day"}, []string{"takings 6900 JPY (discounts 0).", "cash     3000 JPY", "card     3900 JPY", "fair     6900 JPY"}},
		{[]string{"sku", "show", "CARD"}, []string{"Price        1500\n", "Cost         600\n"}},
		{[]string{"sku", "list"}, []string{"1500   600", "2400   900"}},
		{[]string{"sales"}, []string{"1    2400   2400", "2    1500   3000"}},
		{[]string{"margins"}, []string{"4500     1800  0        2700"}},
		{[]string{"factory", "quote", "PrintHaus", "CARD", "--unit-cost", "500"}, []string{"at 500 a unit plus 0 shipping"}},
		{[]string{"kit", "add", "GIFT", "--name", "Gift", "--part", "CARD:1", "--part", "MUG:1"}, []string{"at 3510:"}},
		{[]string{"kit", "list"}, []string{"Gift  3510"}},
	} {
		out := s.ok(tt.args...)
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("microshopctl %s:\n%s\nwant %q", strings.Join(tt.args, " "), out, w)
			}
		}
		if strings.Contains(out, ".00") {
			t.Errorf("microshopctl %s writes hundredths of a yen:\n%s", strings.Join(tt.args, " "), out)
		}
	}
	// The comparison of sources writes its rate with decimals, and its
	// amounts in whole yen, the holding cost per unit rounded.
	out := s.ok("source", "CARD")
	if !regexp.MustCompile(`PrintHaus \*\s+local\s+500\s+3 days\s+7 days\s+\d+\s+[0-9.]+\s+\d+\s+\d+\s+\d+\n`).MatchString(out) ||
		!regexp.MustCompile(`Recommended: PrintHaus is the only source: \d+ a unit sold`).MatchString(out) {
		t.Errorf("source CARD:\n%s\nwant its landed cost, cash tied, holding and total in whole yen", out)
	}

	pdf := filepath.Join(t.TempDir(), "close.pdf")
	s.ok("day", "--out", pdf)
	labels := filepath.Join(t.TempDir(), "labels.pdf")
	s.ok("labels", "CARD", "--out", labels)
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext (poppler-utils) is not installed")
		}
		t.Fatal("CI must have pdftotext (poppler-utils)")
	}
	for file, want := range map[string]string{pdf: "6900 JPY", labels: "1500 JPY"} {
		text, err := exec.Command(tool, file, "-").Output()
		if err != nil || !strings.Contains(string(text), want) || strings.Contains(string(text), ".00") {
			t.Errorf("%s reads %q (%v); want %s and no hundredths", filepath.Base(file), text, err, want)
		}
	}
}

// JSON is a contract scripts parse: money is a decimal string with two
// decimals in every currency, yen included.
func TestAYenShopsJSONKeepsTwoDecimals(t *testing.T) {
	s := &testShop{t: t, db: filepath.Join(t.TempDir(), "shop.db")}
	s.ok("init", "--shop", "Tokyo Prints", "--currency", "JPY")
	s.ok("factory", "add", "PrintHaus", "--kind", "print", "--lead-days", "3", "--established")
	checkFields(t, "sku add", s.object("sku", "add", "CARD", "--name", "Card", "--path", "print", "--factory", "PrintHaus",
		"--price", "1500", "--cost", "600"), obj{"price": "1500.00", "cost": "600.00"})
	s.ok("count", "CARD", "--qty", "10")
	checkFields(t, "sell", s.object("sell", "CARD", "--qty", "2"), obj{"price": "1500.00", "total": "3000.00"})
	checkFields(t, "sku show", s.object("sku", "show", "CARD"), obj{"price": "1500.00", "cost": "600.00"})
	checkFields(t, "day", s.object("day"), obj{"total": "3000.00", "discounts": "0.00", "refunds": "0.00",
		"by_payment": obj{"cash": "3000.00", "card": "0.00", "other": "0.00"}})
	if sales := s.objects("sales"); len(sales) != 1 {
		t.Fatalf("sales: %v, want the one line", sales)
	} else {
		checkFields(t, "sales", sales[0], obj{"price": "1500.00"})
	}
	if m := s.objects("margins"); len(m) != 1 {
		t.Fatalf("margins: %v, want CARD's row", m)
	} else {
		checkFields(t, "margins", m[0], obj{"revenue": "3000.00", "cost": "1200.00", "contribution": "1800.00"})
	}
}

// A price of 0 is kept for a SKU and a kit alike, as a give-away may be
// meant, and each warns that a sale then takes no money: `kit edit --price
// 0` said nothing but the kit's new price.
func TestAZeroPriceWarnsForASKUAndAKit(t *testing.T) {
	s := tillShop(t)
	s.ok("kit", "add", "GIFT", "--name", "Gift", "--part", "CARD:1", "--part", "MUG:1")
	for _, args := range [][]string{
		{"sku", "edit", "CARD", "--price", "0"},
		{"kit", "edit", "GIFT", "--price", "0"},
		{"kit", "add", "FREE", "--name", "Free", "--part", "CARD:2", "--price", "0.00"},
	} {
		r := s.run(args...)
		if r.code != 0 || !strings.Contains(r.stdout, "0.00") || !strings.Contains(r.stderr, "now sells at 0.00, so a sale of it takes no money") {
			t.Errorf("microshopctl %s: exit %d, %q %q; want the price kept and a warning", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	if r := s.run("kit", "edit", "GIFT", "--price", "30.00"); r.code != 0 || r.stderr != "" {
		t.Errorf("a price above 0: exit %d, %q; want no warning", r.code, r.stderr)
	}
}

// A price below the SKU's cost, the two swapped as a slip does, is kept
// and warned of: the till sells it at a loss. A cost given alone warns
// too; a price above the cost says nothing.
func TestAPriceBelowCostWarns(t *testing.T) {
	s := tillShop(t)
	for _, args := range [][]string{
		{"sku", "add", "FOX", "--name", "Fox card", "--path", "digital", "--price", "9.50", "--cost", "24.00"},
		{"sku", "edit", "CARD", "--cost", "99.00"},
	} {
		r := s.run(args...)
		if r.code != 0 || !strings.Contains(r.stderr, "below its cost") || !strings.Contains(r.stderr, "so each sale loses") {
			t.Errorf("microshopctl %s: exit %d, %q; want it kept, with a warning", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	if r := s.run("sku", "edit", "FOX", "--price", "30.00"); r.code != 0 || r.stderr != "" {
		t.Errorf("a price above the cost: exit %d, %q; want no warning", r.code, r.stderr)
	}
}
