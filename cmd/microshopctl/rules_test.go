package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// daysAgo is a date n days before today, for rules that look back from now.
func daysAgo(n int) string { return time.Now().AddDate(0, 0, -n).Format(time.DateOnly) }

// TestOddReturnNeedsForce checks that a return that is odd but possible
// (more back than ever sold, a SKU never sold) is refused without --force,
// writing nothing, as the desktop asks about it first: a return has no
// undo, and a restocked 100000 for 10 made stock that was never there.
// With --force it is recorded with a warning on stderr, and --json still
// prints one JSON document on stdout.
func TestOddReturnNeedsForce(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("sku", "add", "CUP-01", "--name", "Cup", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("count", "MUG-01", "--qty", "10", "--at", "2025-03-01")
	s.ok("sell", "MUG-01", "--qty", "2", "--at", "2025-03-02")
	// An ordinary return says nothing on stderr.
	s.ok("return", "MUG-01", "--qty", "1", "--reason", "packaging", "--at", "2025-03-03")

	before := s.vector()
	odd := []string{"return", "MUG-01", "--qty", "500", "--reason", "changed-mind", "--restock", "--at", "2025-03-03", "--json"}
	r := s.run(odd...)
	checkRefusal(t, r, 1, "501 units of MUG-01", "2 ever sold", "--force")
	if s.vector() != before {
		t.Fatal("the refused return wrote to the shop")
	}
	r = s.run(append(odd, "--force")...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var ret obj
	decodeOne(t, r.stdout, &ret)
	checkFields(t, "return", ret, obj{"code": "MUG-01", "qty": 500, "restock": true})
	if !strings.HasPrefix(r.stderr, "warning: ") || strings.Count(r.stderr, "\n") != 1 ||
		!strings.Contains(r.stderr, "501 units of MUG-01") || !strings.Contains(r.stderr, "2 ever sold") {
		t.Errorf("stderr %q, want one warning line naming 501 returned against 2 sold", r.stderr)
	}
	stock := byKey(t, s.objects("stock", "MUG-01", "--as-of", "2025-03-03"), "code")
	checkFields(t, "MUG-01 after the return", stock["MUG-01"], obj{"on_hand": 508}) // 10 − 2 + 500

	checkRefusal(t, s.run("return", "CUP-01", "--qty", "1", "--reason", "defect", "--at", "2025-03-03"), 1, "CUP-01 has no sale recorded", "--force")
	r = s.run("return", "CUP-01", "--qty", "1", "--reason", "defect", "--at", "2025-03-03", "--force")
	if r.code != 0 || !strings.HasPrefix(r.stderr, "warning: CUP-01 has no sale recorded") || !strings.Contains(r.stdout, "Recorded the return") {
		t.Errorf("forced return of a SKU never sold: exit %d, stdout %q, stderr %q; want it recorded with a warning", r.code, r.stdout, r.stderr)
	}
}

func TestBatchOrderFromQualityPausedFactoryNeedsForce(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("count", "MUG-01", "--qty", "100", "--at", daysAgo(20))
	s.ok("sell", "MUG-01", "--qty", "40", "--at", daysAgo(10))
	s.ok("return", "MUG-01", "--qty", "2", "--reason", "broke", "--at", daysAgo(5)) // 5 % of 40
	before := s.vector()
	r := s.run("batch", "order", "MUG-01", "--qty", "30")
	checkRefusal(t, r, 1, `"Kiln Co"`, "paused for quality returns", "5.0 %", "--force", "`microshopctl factory resume 'Kiln Co'`")
	if s.vector() != before {
		t.Fatal("the refused order wrote to the shop")
	}
	b := s.object("batch", "order", "MUG-01", "--qty", "30", "--force")
	checkFields(t, "forced order", b, obj{"sku": "MUG-01", "factory": "Kiln Co", "ordered": 30, "status": "ordered"})

	s.ok("factory", "pause", "Kiln Co", "--reason", "kiln repair")
	checkRefusal(t, s.run("batch", "order", "MUG-01", "--qty", "30"), 1, "kiln repair", "factory resume 'Kiln Co'", "--force")
}

// A factory paused for quality returns is one line of `alerts`, its
// quality_returns, as on Today: the text said the one pause twice. The
// JSON keeps both kinds of CLI.md, factory_paused for every pause; a pause
// by hand stays a factory_paused line.
func TestAlertsTellOfAQualityPauseOnce(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("factory", "add", "Press", "--kind", "print", "--lead-days", "3", "--established")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("count", "MUG-01", "--qty", "100", "--at", daysAgo(20))
	s.ok("sell", "MUG-01", "--qty", "40", "--at", daysAgo(10))
	s.ok("return", "MUG-01", "--qty", "2", "--reason", "broke", "--at", daysAgo(5)) // 5 % of 40
	s.ok("factory", "pause", "Press", "--reason", "press repair")
	out := s.ok("alerts")
	if strings.Count(out, "Kiln Co") != 1 || !regexp.MustCompile(`\nquality_returns +Kiln Co: quality returns are 5.0 %`).MatchString(out) {
		t.Errorf("alerts tell of Kiln Co's quality pause %d times, want once, as quality_returns:\n%s", strings.Count(out, "Kiln Co"), out)
	}
	if !regexp.MustCompile(`\nfactory_paused +Factory Press is paused: press repair\n`).MatchString(out) {
		t.Errorf("alerts lack Press paused by hand:\n%s", out)
	}
	kinds := map[string]bool{}
	for _, a := range s.objects("alerts") {
		if a["subject"] == "Kiln Co" {
			kinds[a["kind"].(string)] = true
		}
	}
	if !kinds["factory_paused"] || !kinds["quality_returns"] {
		t.Errorf("alerts --json of Kiln Co: %v, want both factory_paused and quality_returns", kinds)
	}
}

func TestBackdatedSaleRefusalNamesTheMoment(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "PrintHaus", "--kind", "print", "--lead-days", "3", "--established")
	s.ok("sku", "add", "POSTER-A3", "--name", "Poster", "--path", "print", "--factory", "PrintHaus")
	s.ok("count", "POSTER-A3", "--qty", "5", "--at", "2025-11-01")
	s.ok("sell", "POSTER-A3", "--qty", "5", "--at", "2025-11-10T15:00")
	before := s.vector()
	checkRefusal(t, s.run("sell", "POSTER-A3", "--qty", "3", "--at", "2025-11-05"), 1,
		"cannot sell 3 of POSTER-A3 on 5 November 2025", "none available on 10 November 2025 at 15:00", "--force")
	checkRefusal(t, s.run("adjust", "POSTER-A3", "--qty", "-1", "--note", "torn", "--at", "2025-11-05"), 1,
		"10 November 2025", "--force")
	if s.vector() != before {
		t.Fatal("the refused sale wrote to the shop")
	}
	sale := s.object("sell", "POSTER-A3", "--qty", "3", "--at", "2025-11-05", "--force")
	checkFields(t, "forced late sale", sale, obj{"available": -3})
	adj := s.object("adjust", "POSTER-A3", "--qty", "-1", "--note", "torn", "--at", "2025-11-05", "--force")
	checkFields(t, "forced adjustment", adj, obj{"qty": -1})
	// Sold before the first stocktake: that count holds it.
	s.ok("sell", "POSTER-A3", "--qty", "2", "--at", "2025-10-28")
}

func TestImplausibleInputFromTheCommandLine(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "PrintHaus", "--kind", "print", "--lead-days", "3", "--established")
	s.ok("sku", "add", "POSTER-A3", "--name", "Poster", "--path", "print", "--factory", "PrintHaus")
	b := s.object("batch", "order", "POSTER-A3", "--qty", "10", "--at", "2025-03-05")
	id := b["id"].(string)
	ahead := time.Now().AddDate(30, 0, 0).Format(time.DateOnly)
	before := s.vector()
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"count", "POSTER-A3", "--qty", "3", "--at", ahead}, []string{ahead, "more than a day ahead"}},
		{[]string{"sell", "POSTER-A3", "--at", "1925-03-05", "--force"}, []string{"1925-03-05", "2000"}},
		{[]string{"batch", "receive", id, "--qty", "10", "--at", "2025-03-01"}, []string{"ordered on 2025-03-05", "2025-03-01"}},
		{[]string{"batch", "order", "POSTER-A3", "--qty", "10", "--at", "2025-03-05", "--expected", "2025-03-01"}, []string{"2025-03-01", "before the order date 2025-03-05"}},
	} {
		checkRefusal(t, s.run(tt.args...), 1, tt.want...)
	}
	if s.vector() != before {
		t.Fatal("refused input wrote to the shop")
	}
}

func TestYenAmountsAreWhole(t *testing.T) {
	s := &testShop{t: t, db: t.TempDir() + "/shop.db"}
	s.ok("init", "--shop", "Tokyo Prints", "--currency", "JPY")
	s.ok("factory", "add", "PrintHaus", "--kind", "print", "--lead-days", "3", "--established")
	checkRefusal(t, s.run("sku", "add", "CARD", "--name", "Card", "--path", "print", "--factory", "PrintHaus", "--price", "15.50"), 2,
		`"15.50"`, "JPY", "like 15")
	sku := s.object("sku", "add", "CARD", "--name", "Card", "--path", "print", "--factory", "PrintHaus", "--price", "15")
	checkFields(t, "CARD", sku, obj{"code": "CARD"})
	// Quoted as typed, naming the flag, as the desktop's SKU form says it:
	// it read "1555.50".
	for _, args := range [][]string{
		{"sku", "add", "BIG", "--name", "Big card", "--path", "print", "--factory", "PrintHaus", "--price", "1555.5"},
		{"sku", "edit", "CARD", "--price", "1555.5"},
		{"sku", "edit", "CARD", "--cost", "300", "--price", "1555,5"},
	} {
		res := s.run(args...)
		checkRefusal(t, res, 2, `--price "1555`, "JPY", "only whole yen are accepted, like 1555")
		if strings.Contains(res.stderr, "1555.50") {
			t.Errorf("%v says %q; want the price as typed", args, res.stderr)
		}
	}
	// In yen a comma only ever separates thousands: "1,250" is refused as
	// a thousands separator, not as a number with three decimals, which
	// no yen amount has.
	res := s.run("sku", "edit", "CARD", "--price", "1,250")
	checkRefusal(t, res, 2, `--price "1,250"`, "thousands separators are not accepted", "1250")
	if strings.Contains(res.stderr, "decimals") {
		t.Errorf("--price 1,250 in yen says %q; want no talk of decimals", res.stderr)
	}
}

// A factory whose quality returns are past 3 % before it sold the units
// the pause needs says why it is not paused.
func TestQualityReturnsBeforeThePauseCanJudgeSayWhy(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("sku", "add", "MUG", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("count", "MUG", "--qty", "40")
	s.ok("sell", "MUG", "--qty", "12")
	s.ok("return", "MUG", "--qty", "1", "--reason", "defect")
	out := s.ok("factory", "show", "Kiln Co")
	if !strings.Contains(out, "past 3 %, but only 12 of the 30 units sold that the pause waits for") {
		t.Errorf("Kiln Co, 1 of 12 back defective, shows:\n%s", out)
	}
	if !strings.Contains(out, "12 sold, 1 quality return (8.3 %)") {
		t.Errorf("Kiln Co, 1 of 12 back defective, shows:\n%s\nwant \"12 sold, 1 quality return (8.3 %%)\"", out)
	}
}

// The return that pauses a factory says so: it paused it without a word.
func TestAReturnThatPausesAFactorySaysSo(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("sku", "add", "MUG", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("count", "MUG", "--qty", "40")
	s.ok("sell", "MUG", "--qty", "30") // 1 back of 30 sold is 3.3 %
	if out := s.ok("return", "MUG", "--qty", "1", "--reason", "defect"); !strings.Contains(out, "Factory Kiln Co is now paused") {
		t.Errorf("the return that took Kiln Co over 3 %% says:\n%s", out)
	}
}

// A bundle idea of a shop's first day is marked new, as a new reorder is.
func TestABundleIdeaOfTheFirstDayIsMarkedNew(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	for _, code := range []string{"MUG", "CUP"} {
		s.ok("sku", "add", code, "--name", code, "--path", "handmade", "--factory", "Kiln Co")
	}
	s.ok("count", "MUG", "--qty", "100")
	s.ok("count", "CUP", "--qty", "200")
	s.ok("sell", "CUP", "--qty", "5")
	s.ok("sell", "MUG")
	ideas := s.objects("kit", "suggest")
	if len(ideas) != 1 || ideas[0]["short_history"] != true {
		t.Fatalf("kit suggest --json: %v; want the one idea, short_history true", ideas)
	}
	if out := s.ok("kit", "suggest"); !strings.Contains(out, "new") || !strings.Contains(out, "under 14 days of history") {
		t.Errorf("kit suggest says:\n%s\nwant the idea marked new, and why", out)
	}
}

// A factory resumed after a quality pause counts its returns afresh, and
// `factory show` says since when: under "Last 90 days" its "0 sold" stood
// against `returns`' 30 sold and 3.3 % for the same days.
func TestFactoryShowAfterAResumeSaysItsCountsAreSinceThen(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("sku", "add", "MUG", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("count", "MUG", "--qty", "40")
	s.ok("sell", "MUG", "--qty", "30")
	s.ok("return", "MUG", "--qty", "1", "--reason", "defect")
	s.ok("factory", "resume", "Kiln Co")
	out := s.ok("factory", "show", "Kiln Co")
	if strings.Contains(out, "Last 90 days") || !strings.Contains(out, "0 sold, 0 quality returns (0.0 %), counted afresh since its pause was lifted") {
		t.Errorf("Kiln Co, resumed after 1 of 30 came back defective, shows:\n%s", out)
	}
}
