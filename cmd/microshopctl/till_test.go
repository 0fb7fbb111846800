package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tillShop is a shop with MUG (24.00, 10 counted) and CARD (4.50, 20).
func tillShop(t *testing.T) *testShop {
	s := newShop(t)
	s.ok("factory", "add", "Clay", "--kind", "microfactory", "--lead-days", "10", "--established")
	s.ok("sku", "add", "MUG", "--name", "Mug", "--path", "microfactory", "--factory", "Clay", "--price", "24.00")
	s.ok("sku", "add", "CARD", "--name", "Card", "--path", "print", "--factory", "Clay", "--price", "4.50")
	s.ok("count", "MUG", "--qty", "10")
	s.ok("count", "CARD", "--qty", "20")
	return s
}

// A Saturday at the stall on the command line: a basket paid by card
// with 10 % off, a single sale in cash, one void; the day adds up.
func TestTillDayOnTheCommandLine(t *testing.T) {
	s := tillShop(t)
	basket := s.object("sell", "MUG", "CARD:2", "--payment", "card", "--discount", "10")
	checkKeys(t, "sell of a basket", basket, keys("order items total payment", ""))
	items := basket["items"].([]any)
	if len(items) != 2 || basket["total"] != "29.70" || basket["payment"] != "card" {
		// MUG 24.00 - 2.40 = 21.60; CARD 4.50 - 0.45 = 4.05 × 2 = 8.10
		t.Fatalf("basket %v; want 2 items, total 29.70, card", basket)
	}
	for _, it := range items {
		checkKeys(t, "basket item", it.(obj), lineKeys)
	}
	single := s.object("sell", "MUG")
	checkKeys(t, "sell of one item", single, saleKeys)
	if single["payment"] != "cash" || single["total"] != "24.00" {
		t.Fatalf("single sale %v; want cash, 24.00", single)
	}

	sales := s.objects("sales")
	checkEach(t, "sales", sales, salesKeys)
	if len(sales) != 3 {
		t.Fatalf("%d sale lines, want 3", len(sales))
	}
	// The table says each line's channel, so a till's sale is told from
	// an imported Etsy or Shopify one without --json.
	if out := s.ok("sales"); !strings.Contains(strings.SplitN(out, "\n", 2)[0], "CHANNEL") || strings.Count(out, " fair ") != 3 {
		t.Errorf("sales:\n%s\nwant a CHANNEL column saying fair on each line", out)
	}
	s.ok("void", single["id"].(string), "--reason", "rung up twice")
	if r := s.run("void", single["id"].(string)); r.code != 1 || !strings.Contains(r.stderr, "voided already") {
		t.Fatalf("voiding twice: exit %d, %q", r.code, r.stderr)
	}
	if got := s.objects("stock", "MUG")[0]["available"]; got != 9.0 {
		t.Fatalf("MUG available %v after the void, want 9", got)
	}

	csvPath := filepath.Join(t.TempDir(), "saturday.csv")
	day := s.object("day", "--out", csvPath)
	checkKeys(t, "day", day, dayKeys)
	if day["orders"] != 1.0 || day["sales"] != 2.0 || day["units"] != 3.0 || day["total"] != "29.70" || day["discounts"] != "3.30" || day["voided"] != 1.0 || day["voided_total"] != "24.00" {
		t.Fatalf("day %v; want 1 order, 2 lines, 3 units, 29.70, discounts 3.30, 1 voided of 24.00", day)
	}
	if pay := day["by_payment"].(obj); pay["card"] != "29.70" || pay["cash"] != "0.00" {
		t.Fatalf("by payment %v; want card 29.70, cash 0.00", pay)
	}
	// Each of the shop's channels, as each way to pay: a script reads
	// "online" on a day without online sales too.
	if ch := day["by_channel"].(obj); len(ch) != 3 || ch["fair"] != "29.70" || ch["online"] != "0.00" || ch["other"] != "0.00" {
		t.Fatalf("by channel %v; want fair 29.70, online and other 0.00", ch)
	}
	b, err := os.ReadFile(csvPath)
	if err != nil || !strings.Contains(string(b), "total,29.70") || !strings.Contains(string(b), "\nvoided,1\nvoided_total,24.00\n") {
		t.Fatalf("day CSV: %v\n%s", err, b)
	}
	// The close says what the voided line came to, as it says the refunds.
	if out := s.ok("day"); !strings.Contains(out, "Returns: 0 units, 0.00 EUR refunded. Voided: 1 line, 24.00 EUR.") {
		t.Errorf("day:\n%s\nwant the voided line's 24.00 EUR beside its count", out)
	}
}

func TestTillRefusesBadInputOnTheCommandLine(t *testing.T) {
	s := tillShop(t)
	before := s.vector()
	for _, args := range [][]string{
		{"sell", "MUG", "--payment", "bitcoin"},
		{"sell", "MUG", "--discount", "101"},
		{"sell", "MUG", "--discount", "-5"},
		{"sell", "MUG", "CARD", "NOPE"},
		{"sell", "MUG:0"},
		{"sell", "MUG:two"},
		{"sell", "MUG", "CARD", "--qty", "2"},
		{"sell", "MUG:11"},
		{"sell", "MUG:2", "--qty", "3"},
		{"sell", "MUG", "--qty", "1000000", "--price", "9999999999999.99", "--force"},
		{"void", "0190e3a4-0000-7000-8000-00000000beef"},
		{"return", "MUG", "--qty", "1", "--reason", "broke", "--refund", "5.00", "--payment", "iou"},
	} {
		r := s.run(args...)
		if r.code == 0 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || r.stderr == "" {
			t.Errorf("microshopctl %s: exit %d, stderr %q; want a one-sentence refusal", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	if s.vector() != before {
		t.Fatal("a refused till command changed the shop")
	}
}

// day --out FILE.pdf writes the close as a PDF that reads back as text.
func TestDayAsPDF(t *testing.T) {
	s := tillShop(t)
	s.ok("sell", "MUG", "CARD:2", "--payment", "card")
	if out := s.ok("day"); !strings.Contains(out, ": 1 order, 2 lines, 3 units;") || !strings.Contains(out, "By payment, less refunds:\n") || !strings.Contains(out, "Returns: 0 units, 0.00 EUR refunded. Voided: 0 lines, 0.00 EUR.") ||
		!regexp.MustCompile(`By channel:\n\s+fair\s+\S+ EUR\n\s+online\s+0\.00 EUR`).MatchString(out) {
		t.Errorf("day:\n%s\nwant 1 order, 2 lines, 3 units", out)
	}
	pdf := filepath.Join(t.TempDir(), "close.pdf")
	s.ok("day", "--out", pdf)
	b, err := os.ReadFile(pdf)
	if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("day --out %s: %v, starts %q", pdf, err, b[:min(8, len(b))])
	}
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext (poppler-utils) is not installed")
		}
		t.Fatal("CI must have pdftotext (poppler-utils)")
	}
	text, err := exec.Command(tool, pdf, "-").Output()
	if err != nil || !strings.Contains(string(text), "33.00 EUR") || !strings.Contains(string(text), "Paid by card") ||
		!strings.Contains(string(text), "Voided lines, as sold") {
		t.Fatalf("the PDF reads %q (%v); want the takings 33.00 EUR paid by card, and what voided lines came to", text, err)
	}
	if r := s.run("day", "--out", filepath.Join(t.TempDir(), "close.txt")); r.code != 2 {
		t.Fatalf("day --out close.txt: exit %d, %q", r.code, r.stderr)
	}
}

// A period whose end comes before its start is refused with the dates as
// typed: --to names the period's last day.
func TestABackwardPeriodIsRefusedWithTheDatesTyped(t *testing.T) {
	s := tillShop(t)
	for _, args := range [][]string{
		{"sales", "--from", "2026-12-05", "--to", "2026-12-01"},
		{"export", "sales", "--from", "2026-12-05", "--to", "2026-12-01", "--out", filepath.Join(t.TempDir(), "sales.csv")},
	} {
		r := s.run(args...)
		if r.code == 0 || !strings.Contains(r.stderr, "from 2026-12-05 to 2026-12-01 is empty") {
			t.Errorf("microshopctl %s: exit %d, %q; want the period from 2026-12-05 to 2026-12-01 refused", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

// `sales --to DATE` alone lists that day: it had been read as from today
// to DATE, refused when DATE was past. `--from DATE` alone lists from
// then to today: it had listed that day alone.
func TestSalesToAloneListsThatDayAndFromAloneToToday(t *testing.T) {
	s := tillShop(t)
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	s.ok("sell", "MUG", "--at", yesterday+"T12:00:00Z", "--force")
	s.ok("sell", "CARD")
	sales := s.objects("sales", "--to", yesterday)
	if len(sales) != 1 || sales[0]["code"] != "MUG" {
		t.Fatalf("sales --to %s: %v, want yesterday's MUG alone", yesterday, sales)
	}
	sales = s.objects("sales", "--from", yesterday)
	if len(sales) != 2 || sales[0]["code"] != "CARD" || sales[1]["code"] != "MUG" {
		t.Fatalf("sales --from %s: %v, want today's CARD and yesterday's MUG", yesterday, sales)
	}
}

// `sales` refuses a day ahead as `day` does: it listed nothing and exited
// 0, as if the day had been looked at and found empty.
func TestSalesRefusesADayAhead(t *testing.T) {
	s := tillShop(t)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	want := tomorrow + " is after today"
	for _, args := range [][]string{{"sales", "--from", tomorrow}, {"sales", "--to", tomorrow}, {"day", tomorrow}} {
		if r := s.run(args...); r.code == 0 || !strings.Contains(r.stderr, want) || r.stdout != "" {
			t.Errorf("microshopctl %s: exit %d, %q %q; want %q", strings.Join(args, " "), r.code, r.stdout, r.stderr, want)
		}
	}
}

// `void` takes a sale line's id or its first or last 6 characters or
// more, as batch commands take a batch's; a part that matches no line or
// several is refused and changes nothing.
func TestVoidTakesTheEndOfASaleID(t *testing.T) {
	s := tillShop(t)
	sale := s.object("sell", "MUG")
	id := sale["id"].(string)
	before := s.vector()
	checkRefusal(t, s.run("void", id[len(id)-5:]), 1, "at least its first or last 6 characters")
	checkRefusal(t, s.run("void", "zzzzzzzz"), 1, "there is no sale")
	if s.vector() != before {
		t.Fatal("a refused void changed the shop")
	}
	got := s.object("void", id[len(id)-8:])
	if got["id"] != id {
		t.Fatalf("void of the last 8 characters: %v, want the line %s", got, id)
	}
	if available := s.objects("stock", "MUG")[0]["available"]; available != 10.0 {
		t.Errorf("MUG available %v after the void, want 10", available)
	}
}

// `sell` of a basket prints the order's id, the one id a maker sees at the
// till: voiding it said there was no such sale. It says it is an order,
// what its lines are, and where their ids are.
func TestAVoidOfAnOrderSaysItIsOneAndNamesItsLines(t *testing.T) {
	s := tillShop(t)
	order := s.object("sell", "MUG", "CARD:2")["order"].(string)
	before := s.vector()
	for _, ref := range []string{order, order[len(order)-12:]} {
		checkRefusal(t, s.run("void", ref), 1, "is an order of 2 lines (1 × MUG, 2 × CARD), not one sale line", "void the line you mean", "microshopctl sales")
	}
	if s.vector() != before {
		t.Fatal("a refused void changed the shop")
	}
}

// A fair day with the stall laptop at the stall and a walk-in at the
// workshop: the close said one cash figure for both, which neither cash
// box holds. It says each location's takings less its refunds, by
// payment, when more than one sold or paid back that day.
func TestTheDaySaysEachLocationsCash(t *testing.T) {
	s := tillShop(t)
	s.ok("location", "add", "Stall")
	s.ok("move", "MUG", "--qty", "3", "--from", "main", "--to", "stall")
	s.ok("move", "CARD", "--qty", "3", "--from", "main", "--to", "stall")
	s.ok("sell", "MUG:2", "--location", "stall")                     // 48.00 cash at the stall
	s.ok("sell", "CARD", "--payment", "card", "--location", "stall") // 4.50 card at the stall
	s.ok("sell", "CARD:2")                                           // 9.00 cash at main
	s.ok("return", "MUG", "--qty", "1", "--reason", "changed-mind", "--refund", "24", "--payment", "cash", "--location", "stall", "--restock")
	day := s.object("day")
	byLoc, ok := day["by_location"].(obj)
	if !ok {
		t.Fatalf("day %v; want by_location", day)
	}
	stall, main := byLoc["Stall"].(obj), byLoc["main"].(obj)
	if stall["cash"] != "24.00" || stall["card"] != "4.50" || main["cash"] != "9.00" || main["card"] != "0.00" {
		t.Fatalf("by_location %v; want the stall's cash 48.00 - 24.00 refunded and card 4.50, main's cash 9.00", byLoc)
	}
	want := "By location, less refunds:\n  main   cash 9.00 · card 0.00 · other 0.00 EUR\n  Stall  cash 24.00 · card 4.50 · other 0.00 EUR\n"
	if out := s.ok("day"); !strings.Contains(out, want) {
		t.Fatalf("day:\n%s\nwant it to say\n%s", out, want)
	}
	csvPath := filepath.Join(t.TempDir(), "close.csv")
	s.ok("day", "--out", csvPath)
	if b, err := os.ReadFile(csvPath); err != nil || !strings.Contains(string(b), "payment cash at Stall,24.00\n") {
		t.Fatalf("the close's CSV reads %q (%v); want the stall's cash", b, err)
	}
}

// A void of a sale a later count has counted changes no stock: the count
// stands. It said the units were back in stock all the same.
func TestAVoidAfterACountSaysTheCountStands(t *testing.T) {
	s := tillShop(t)
	sale := s.object("sell", "MUG")
	time.Sleep(2 * time.Millisecond) // the count comes after the sale
	s.ok("count", "MUG", "--qty", "9")
	if out := s.ok("void", sale["id"].(string)); !strings.Contains(out, "its units stay as the count since found them") {
		t.Errorf("void after a count: %q", out)
	}
	if available := s.objects("stock", "MUG")[0]["available"]; available != 9.0 {
		t.Errorf("MUG available %v after the void, want the count's 9", available)
	}
	time.Sleep(2 * time.Millisecond)
	other := s.object("sell", "MUG")
	if out := s.ok("void", other["id"].(string)); !strings.Contains(out, "its units are back in stock") {
		t.Errorf("void without a count since: %q", out)
	}
}

// A return names no sale: a void of a sale whose units came back since,
// refunded and restocked, counted the money out twice at the close of day
// and the unit back twice, without a word. It is refused with the one
// sentence the desktop asks with, writing nothing, unless --force; then
// it is voided with the warning on stderr, and --json still prints one
// document of the keys it always had. A sale made after the return is
// voided as before.
func TestVoidAfterARefundedReturnNeedsForce(t *testing.T) {
	s := tillShop(t)
	id := s.object("sell", "MUG")["id"].(string)
	time.Sleep(2 * time.Millisecond) // the return comes after the sale
	if out := s.ok("return", "MUG", "--qty", "1", "--reason", "changed-mind", "--refund", "24.00", "--restock"); !strings.Contains(out, "back in stock; refunded 24.00 EUR in cash.") {
		t.Errorf("return --refund 24.00 says %q; want the refund and how it was paid", out)
	}
	time.Sleep(2 * time.Millisecond)
	later := s.object("sell", "MUG")["id"].(string)

	before := s.vector()
	for _, args := range [][]string{{"void", id}, {"void", id, "--json"}, {"void", id[len(id)-8:], "--reason", "rung up twice"}} {
		checkRefusal(t, s.run(args...), 1, "not voided: 1 unit of MUG came back after this sale, on ", "refunded 24.00 and put back in stock",
			"if it was this sale's unit, the return settled it, and voiding the sale too counts the money and the unit back twice; if not, void it with --force")
	}
	if s.vector() != before {
		t.Fatal("a refused void wrote to the shop")
	}
	if out := s.ok("void", later); !strings.Contains(out, "its units are back in stock") {
		t.Errorf("void of the sale after the return: %q", out)
	}

	r := s.run("void", id, "--force", "--json")
	if r.code != 0 {
		t.Fatalf("forced void: exit %d, stderr %q", r.code, r.stderr)
	}
	var got obj
	decodeOne(t, r.stdout, &got)
	checkKeys(t, "void", got, keys("id voided", ""))
	if got["id"] != id || got["voided"] != true {
		t.Errorf("forced void printed %v, want the line %s voided", got, id)
	}
	if !strings.HasPrefix(r.stderr, "warning: 1 unit of MUG came back after this sale") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one warning line", r.stderr)
	}
	day := s.object("day")
	if day["voided"] != 2.0 || day["refunds"] != "24.00" || day["sales"] != 0.0 {
		t.Errorf("day %v; want both lines voided and the refund counted", day)
	}
	// The maker said the returned unit was another sale's: the void and the
	// return each put one back, 10 − 1 + 1 + 1.
	if available := s.objects("stock", "MUG")[0]["available"]; available != 11.0 {
		t.Errorf("MUG available %v after the forced void, want 11", available)
	}
}

// A void of a download's sale says it no longer counts as sold: it had
// said its units were back in stock, of a SKU that holds none.
func TestAVoidOfADownloadSaysNothingComesBack(t *testing.T) {
	s := newShop(t)
	s.ok("sku", "add", "GUIDE", "--name", "Guide", "--path", "digital", "--price", "5")
	id := s.object("sell", "GUIDE")["id"].(string)
	if out := s.ok("void", id); !strings.Contains(out, "no longer counts as sold") || strings.Contains(out, "back in stock") {
		t.Errorf("void of a download says %q", out)
	}
}

// An empty list of delayed or open orders says why it is empty, not that
// orders appear there once imported: four had been.
func TestAnEmptyOrdersListSaysWhy(t *testing.T) {
	s := newShop(t)
	for args, want := range map[string]string{"--delayed": "No delayed orders", "--open": "No open orders", "": "imported Etsy and Shopify orders appear here"} {
		cmd := []string{"orders"}
		if args != "" {
			cmd = append(cmd, args)
		}
		if out := s.ok(cmd...); !strings.Contains(out, want) {
			t.Errorf("orders %s says %q; want %q", args, out, want)
		}
	}
}

// An exchange at the stall, --refund 0, paid nothing back: the margins
// keep the mug's takings, where a return without --refund is counted at
// the sale price as before. MUG (24.00, no cost) sells 2 and one is
// swapped: returns 0.00, contribution 48.00. CARD (4.50) sells 2 and one
// comes back naming no refund: returns 4.50, contribution 4.50.
func TestAnExchangeRefundsNothingInTheMargins(t *testing.T) {
	s := tillShop(t)
	s.ok("sell", "MUG:2", "CARD:2")
	time.Sleep(2 * time.Millisecond) // the returns come after the sale
	if out := s.ok("return", "MUG", "--qty", "1", "--reason", "wrong-size", "--restock", "--refund", "0"); !strings.Contains(out, "back in stock; nothing paid back.") {
		t.Errorf("return --refund 0 says %q; want that nothing was paid back", out)
	}
	checkKeys(t, "return", s.object("return", "CARD", "--qty", "1", "--reason", "wrong-size", "--restock"), returnKeys)
	for _, r := range s.objects("margins") {
		switch r["code"] {
		case "MUG":
			checkFields(t, "MUG exchanged", r, obj{"units": float64(2), "revenue": "48.00", "returns": "0.00", "contribution": "48.00"})
		case "CARD":
			checkFields(t, "CARD naming no refund", r, obj{"units": float64(2), "revenue": "9.00", "returns": "4.50", "contribution": "4.50"})
		}
	}
}

// A code given twice in a basket is one line of both: apart, MUG MUG:12
// with 10 on the shelf was refused as "only 9 available", the second
// line checked against what the first left; together it is 13 of 10.
func TestACodeTwiceInABasketIsOneLine(t *testing.T) {
	s := tillShop(t)
	r := s.run("sell", "MUG", "mug:12")
	if r.code != 1 || !strings.Contains(r.stderr, "cannot sell 13 of MUG: only 10 available") {
		t.Fatalf("sell MUG mug:12 with 10 MUG: exit %d, %q; want the 13 refused against 10", r.code, r.stderr)
	}
	basket := s.object("sell", "MUG", "CARD", "MUG:2")
	items := basket["items"].([]any)
	if len(items) != 2 || items[0].(obj)["code"] != "MUG" || items[0].(obj)["qty"] != 3.0 || items[1].(obj)["qty"] != 1.0 {
		t.Fatalf("sell MUG CARD MUG:2: items %v; want 3 MUG and 1 CARD", items)
	}
}
