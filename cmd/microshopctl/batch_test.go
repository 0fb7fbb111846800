package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// pinShop has Pin Factory, new, 21 days' lead, minimum order 100 in
// multiples of 50, and PIN-CAT made there.
func pinShop(t *testing.T) *testShop {
	t.Helper()
	s := newShop(t)
	s.ok("factory", "add", "Pin Factory", "--kind", "microfactory", "--lead-days", "21", "--location", "overseas", "--moq", "100", "--multiple", "50")
	s.ok("sku", "add", "PIN-CAT", "--name", "Cat pin", "--path", "microfactory", "--factory", "Pin Factory")
	return s
}

func onOrder(t *testing.T, s *testShop, code string) any {
	t.Helper()
	return byKey(t, s.objects("stock", code), "code")[code]["on_order"]
}

func TestBatchQAFailKeepsTheRestOnOrder(t *testing.T) {
	s := pinShop(t)
	id := s.object("batch", "order", "PIN-CAT", "--qty", "200", "--at", daysAgo(5))["id"].(string)
	s.ok("batch", "receive", id, "--qty", "80", "--at", daysAgo(3))
	out := s.ok("batch", "qa", id, "--fail", "--note", "chipped enamel")
	if !strings.Contains(out, "8 held units rejected") || !strings.Contains(out, "The 120 units still to come stay on order") ||
		!strings.Contains(out, "batch cancel "+id) {
		t.Errorf("qa --fail says %q, want the 120 units still to come kept on order and how to cancel them", out)
	}
	if got := onOrder(t, s, "PIN-CAT"); got != float64(120) {
		t.Errorf("PIN-CAT on order %v after a failed QA, want 120", got)
	}
	open := s.objects("batch", "list", "--open")
	if len(open) != 1 {
		t.Fatalf("open batches %v, want the failed one with units to come", open)
	}
	checkFields(t, "failed batch", open[0], obj{"id": id, "status": "failed", "on_order": 120, "received": 80})
	// The rest arrives after all.
	s.ok("batch", "receive", id, "--qty", "120")
	if got := onOrder(t, s, "PIN-CAT"); got != float64(0) {
		t.Errorf("PIN-CAT on order %v once the rest came, want 0", got)
	}
}

// A failed QA's confirmation names the batch as its factory's pause does,
// by its SKU and the day it was ordered, not by its 36-character id;
// the JSON keeps the id.
func TestBatchQAFailNamesTheBatch(t *testing.T) {
	s := pinShop(t)
	id := s.object("batch", "order", "PIN-CAT", "--qty", "200", "--at", daysAgo(5))["id"].(string)
	s.ok("batch", "receive", id, "--qty", "80", "--at", daysAgo(3))
	out := s.ok("batch", "qa", id, "--fail", "--cancel-rest")
	if want := "The batch of PIN-CAT ordered on " + daysAgo(5) + " failed QA: 8 held units rejected"; !strings.Contains(out, want) || strings.Contains(out, id) {
		t.Errorf("qa --fail says %q, want %q and not the id %s", out, want, id)
	}
	pause := byKey(t, s.objects("factory", "list"), "name")["Pin Factory"]["pause_reason"]
	if want := "the batch of PIN-CAT ordered on " + daysAgo(5) + " failed QA"; !strings.HasPrefix(fmt.Sprint(pause), want) {
		t.Errorf("Pin Factory's pause reason %q, want it to name the batch as the confirmation does, %q", pause, want)
	}
}

// A pass names the batch the same way.
func TestBatchQAPassNamesTheBatch(t *testing.T) {
	s := pinShop(t)
	id := s.object("batch", "order", "PIN-CAT", "--qty", "200", "--at", daysAgo(5))["id"].(string)
	s.ok("batch", "receive", id, "--qty", "80", "--at", daysAgo(3))
	out := s.ok("batch", "qa", id, "--pass")
	if want := "The batch of PIN-CAT ordered on " + daysAgo(5) + " passed QA: 8 held units released for sale"; !strings.Contains(out, want) || strings.Contains(out, id) {
		t.Errorf("qa --pass says %q, want %q and not the id %s", out, want, id)
	}
}

func TestBatchQAFailCancelRest(t *testing.T) {
	s := pinShop(t)
	id := s.object("batch", "order", "PIN-CAT", "--qty", "200", "--at", daysAgo(5))["id"].(string)
	s.ok("batch", "receive", id, "--qty", "80", "--at", daysAgo(3))
	out := s.ok("batch", "qa", id, "--fail", "--cancel-rest", "--note", "chipped enamel")
	if !strings.Contains(out, "The 120 units still to come are cancelled") {
		t.Errorf("qa --fail --cancel-rest says %q, want the 120 units cancelled", out)
	}
	if got := onOrder(t, s, "PIN-CAT"); got != float64(0) {
		t.Errorf("PIN-CAT on order %v, want 0", got)
	}
	b := s.objects("batch", "list")[0]
	checkFields(t, "batch", b, obj{"status": "failed", "on_order": 0})
	checkRefusal(t, s.run("batch", "receive", id, "--qty", "1"), 1, "was cancelled", "--force")
}

// An order off the factory's terms goes through, with a warning on stderr;
// with --json stdout still holds one document.
func TestBatchOrderOffTermsWarns(t *testing.T) {
	s := pinShop(t)
	if out := s.ok("batch", "order", "PIN-CAT", "--qty", "150"); !strings.Contains(out, "Ordered 150") {
		t.Errorf("an order on the terms says %q", out)
	}
	r := s.run("batch", "order", "PIN-CAT", "--qty", "30", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var b obj
	decodeOne(t, r.stdout, &b)
	checkFields(t, "order of 30", b, obj{"ordered": 30, "status": "ordered"})
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "warning: 30 units is below Pin Factory's minimum order of 100") ||
		!strings.HasPrefix(lines[1], "warning: 30 units is not a multiple of Pin Factory's batch multiple of 50") {
		t.Errorf("stderr %q, want a warning for the minimum and one for the multiple", r.stderr)
	}
	// Editing a batch off the terms warns the same way.
	r = s.run("batch", "edit", b["id"].(string), "--qty", "120")
	if r.code != 0 || !strings.Contains(r.stderr, "warning: 120 units is not a multiple") || strings.Contains(r.stderr, "minimum") {
		t.Errorf("batch edit --qty 120: exit %d, stderr %q; want one warning, for the multiple", r.code, r.stderr)
	}
}

func TestBatchReceiveOversNeedsForce(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	id := s.object("batch", "order", "MUG-01", "--qty", "10", "--at", daysAgo(3))["id"].(string)
	before := s.vector()
	checkRefusal(t, s.run("batch", "receive", id, "--qty", "12"), 1, "receiving 12 units", "12 received of the 10 ordered", "factory overs", "--force")
	if s.vector() != before {
		t.Fatal("refused overs wrote to the shop")
	}
	out := s.ok("batch", "receive", id, "--qty", "12", "--force")
	if !strings.Contains(out, "12 of 10 ordered") || !strings.Contains(out, "2 more than ordered") {
		t.Errorf("forced overs say %q", out)
	}
	checkFields(t, "batch", s.objects("batch", "list")[0], obj{"received": 12, "status": "received", "on_order": 0})
	checkFields(t, "MUG-01", byKey(t, s.objects("stock"), "code")["MUG-01"], obj{"on_hand": 12})
}

func TestBatchEditAndCancel(t *testing.T) {
	s := pinShop(t)
	id := s.object("batch", "order", "PIN-CAT", "--qty", "200", "--at", daysAgo(5))["id"].(string)
	s.ok("batch", "receive", id, "--qty", "50", "--at", daysAgo(3))
	b := s.object("batch", "edit", id, "--qty", "150", "--expected", daysAgo(-20))
	checkFields(t, "edited", b, obj{"ordered": 150, "received": 50, "on_order": 100, "expected": daysAgo(-20)})
	if got := onOrder(t, s, "PIN-CAT"); got != float64(100) {
		t.Errorf("on order %v after the edit, want 100", got)
	}
	out := s.ok("batch", "cancel", id)
	if !strings.Contains(out, "the 100 units still to come are no longer on order; the 50 received stay") {
		t.Errorf("batch cancel says %q", out)
	}
	checkFields(t, "cancelled", s.objects("batch", "list")[0], obj{"status": "cancelled", "on_order": 0, "received": 50, "cancelled": daysAgo(0)})
	if got := onOrder(t, s, "PIN-CAT"); got != float64(0) {
		t.Errorf("on order %v after the cancel, want 0", got)
	}
	if n := len(s.objects("batch", "list", "--open")); n != 0 {
		t.Errorf("%d open batches after the cancel, want none", n)
	}
	checkRefusal(t, s.run("batch", "cancel", id), 1, "already cancelled")
	checkRefusal(t, s.run("batch", "edit", id, "--qty", "60"), 1, "was cancelled")

	full := s.object("batch", "order", "PIN-CAT", "--qty", "100", "--at", daysAgo(2))["id"].(string)
	s.ok("batch", "receive", full, "--qty", "100", "--at", daysAgo(1))
	before := s.vector()
	checkRefusal(t, s.run("batch", "cancel", full), 1, "fully received", "nothing is left to cancel")
	if s.vector() != before {
		t.Fatal("a refused cancel wrote to the shop")
	}
}

func TestFactoryEdit(t *testing.T) {
	s := pinShop(t)
	f := s.object("factory", "edit", "pin factory", "--name", "Pin Works", "--lead-days", "14", "--location", "local", "--moq", "50", "--multiple", "25")
	checkFields(t, "edited factory", f, obj{"name": "Pin Works", "lead_days": 14, "location": "local", "moq": 50, "multiple": 25})
	checkFields(t, "PIN-CAT", s.object("sku", "show", "PIN-CAT"), obj{"factory": "Pin Works", "lead_days": 14})
	checkRefusal(t, s.run("factory", "show", "Pin Factory"), 1, `"Pin Factory"`)
	// The SKU's orders follow the new terms.
	r := s.run("batch", "order", "PIN-CAT", "--qty", "60")
	if r.code != 0 || !strings.Contains(r.stderr, "multiple of 25") || strings.Contains(r.stderr, "minimum") {
		t.Errorf("order of 60 from the edited factory: exit %d, stderr %q", r.code, r.stderr)
	}
}

// Edits travel to another device as record fields.
func TestBatchAndFactoryEditsReachAReplica(t *testing.T) {
	a := pinShop(t)
	id := a.object("batch", "order", "PIN-CAT", "--qty", "200")["id"].(string)
	b := replicaOf(t, a, "b")
	exchange(t, a.db, b.db)
	a.ok("factory", "edit", "Pin Factory", "--name", "Pin Works")
	b.ok("batch", "edit", id, "--qty", "250")
	exchange(t, a.db, b.db)
	exchange(t, b.db, a.db)
	for name, s := range map[string]*testShop{"a": a, "b": b} {
		checkFields(t, name+"'s batch", s.objects("batch", "list")[0], obj{"factory": "Pin Works", "ordered": 250, "status": "ordered"})
	}
	b.ok("batch", "cancel", id)
	exchange(t, b.db, a.db)
	checkFields(t, "a's batch after b cancelled it", a.objects("batch", "list")[0], obj{"status": "cancelled", "on_order": 0})
}

// Amounts as the shop's currency writes them.
func TestMoneyInTheShopsCurrency(t *testing.T) {
	eur := newShop(t) // EUR
	eur.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	sku := eur.object("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co", "--price", "9,50", "--cost", "2,5")
	checkFields(t, "MUG-01 priced 9,50 in euros", sku, obj{"price": "9.50", "cost": "2.50"})
	checkRefusal(t, eur.run("sku", "edit", "MUG-01", "--price", "1,000"), 2, `"1,000"`, "ambiguous")

	usd := &testShop{t: t, db: filepath.Join(t.TempDir(), "usd.db")}
	usd.ok("init", "--shop", "Brooklyn Prints", "--currency", "usd")
	if cur := usd.object("shop")["currency"]; cur != "USD" {
		t.Errorf("init --currency usd made a shop in %v, want USD", cur)
	}
	usd.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	before := usd.vector()
	checkRefusal(t, usd.run("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co", "--price", "9,50"), 2,
		`"9,50" is not an amount in USD`, "decimal point", "type 9.50")
	checkRefusal(t, usd.run("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co", "--price", "1,000"), 2,
		`"1,000"`, "thousands separators are not accepted", "type 1000")
	if usd.vector() != before {
		t.Fatal("a refused amount wrote to the shop")
	}

	r := runCLI(t, "--db", filepath.Join(t.TempDir(), "x.db"), "init", "--shop", "Fern", "--currency", "euro")
	checkRefusal(t, r, 1, `"euro" is not a currency code`, "EUR")
	if strings.Contains(r.stderr, "EURO") {
		t.Errorf("the refusal %q quotes EURO, not what was typed", r.stderr)
	}
}

// The batch list's HELD says what became of held units once QA decided:
// a passed batch read "5" held, where the desktop said they were released.
func TestBatchListSaysHeldUnitsReleasedOrRejected(t *testing.T) {
	s := pinShop(t)
	passed := s.object("batch", "order", "PIN-CAT", "--qty", "100", "--at", daysAgo(5))["id"].(string)
	s.ok("batch", "receive", passed, "--qty", "50", "--at", daysAgo(3))
	s.ok("batch", "qa", passed, "--pass")
	failed := s.object("batch", "order", "PIN-CAT", "--qty", "100", "--at", daysAgo(4))["id"].(string)
	s.ok("batch", "receive", failed, "--qty", "30", "--at", daysAgo(2))
	s.ok("batch", "qa", failed, "--fail", "--note", "chipped")
	out := s.ok("batch", "list")
	for id, want := range map[string]string{passed: "5 released", failed: "3 rejected"} {
		if line := lineWith(out, id); !strings.Contains(line, want) {
			t.Errorf("batch list shows %s as %q; want %q held", id, line, want)
		}
	}
}

// lineWith is the line of out that holds s, "" when none does.
func lineWith(out, s string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, s) {
			return line
		}
	}
	return ""
}

// One unit held is said as one: "1 held units released" read wrong.
func TestQAOfOneHeldUnitSaysOneUnit(t *testing.T) {
	s := pinShop(t)
	id := s.object("batch", "order", "PIN-CAT", "--qty", "100", "--at", daysAgo(5))["id"].(string)
	s.ok("batch", "receive", id, "--qty", "10", "--at", daysAgo(3))
	if out := s.ok("batch", "qa", id, "--pass"); !strings.Contains(out, "1 held unit released") {
		t.Errorf("qa --pass of one held unit says %q", out)
	}
}

// One unit too many is "1 unit": receiving one unit of a cancelled batch,
// or one past what was ordered, said "confirm the 1 units arrived" and
// "receiving 1 units".
func TestOversOfOneUnitSayOneUnit(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	full := s.object("batch", "order", "MUG-01", "--qty", "2", "--at", daysAgo(3))["id"].(string)
	s.ok("batch", "receive", full, "--qty", "2", "--at", daysAgo(1))
	checkRefusal(t, s.run("batch", "receive", full, "--qty", "1"), 1, "receiving 1 unit of", "3 received of the 2 ordered")
	cancelled := s.object("batch", "order", "MUG-01", "--qty", "5", "--at", daysAgo(3))["id"].(string)
	s.ok("batch", "cancel", cancelled)
	checkRefusal(t, s.run("batch", "receive", cancelled, "--qty", "1"), 1, "confirm the 1 unit arrived")
	checkRefusal(t, s.run("batch", "receive", cancelled, "--qty", "2"), 1, "confirm the 2 units arrived")
}

// qualityPausedPins is pinShop with a batch held for QA whose factory 2 of
// the 40 units sold came back broken from: Pin Factory is paused for
// quality returns; id is the batch's.
func qualityPausedPins(t *testing.T) (*testShop, string) {
	t.Helper()
	s := pinShop(t)
	id := s.object("batch", "order", "PIN-CAT", "--qty", "100", "--at", daysAgo(20))["id"].(string)
	s.ok("batch", "receive", id, "--qty", "100", "--at", daysAgo(18))
	s.ok("sell", "PIN-CAT", "--qty", "40", "--at", daysAgo(10))
	s.ok("return", "PIN-CAT", "--qty", "2", "--reason", "defect")
	return s, id
}

// A QA pass lifts a pause for quality returns, as the pause's message
// asked; the confirmation says so, where it spoke only of the held units
// and the maker had to look at the factory to learn it takes orders again.
func TestBatchQAPassSaysThePauseIsLifted(t *testing.T) {
	s, id := qualityPausedPins(t)
	if got := byKey(t, s.objects("factory", "list"), "name")["Pin Factory"]["quality_paused"]; got != true {
		t.Fatalf("Pin Factory quality_paused %v after 2 of 40 came back broken, want true", got)
	}
	out := s.ok("batch", "qa", id, "--pass")
	if want := "Pin Factory takes orders again"; !strings.Contains(out, want) {
		t.Errorf("qa --pass of a quality-paused factory's batch says %q, want %q", out, want)
	}
	next := s.object("batch", "order", "PIN-CAT", "--qty", "100", "--at", daysAgo(2))["id"].(string)
	s.ok("batch", "receive", next, "--qty", "100")
	out = s.ok("batch", "qa", next, "--pass")
	if strings.Contains(out, "takes orders again") {
		t.Errorf("qa --pass of a factory that was not paused says %q", out)
	}
}

// Counted afresh from a lifted pause, a quality return of a unit sold
// before has nothing sold to be a share of: factory show said "0 sold, 1
// quality return (0.0 %)", a rate that read as no problem.
func TestFactoryShowRatesNoReturnsOfNothingSold(t *testing.T) {
	s, id := qualityPausedPins(t)
	s.ok("batch", "qa", id, "--pass")
	s.ok("return", "PIN-CAT", "--qty", "1", "--reason", "broke")
	out := s.ok("factory", "show", "Pin Factory")
	if strings.Contains(out, "0.0 %") || !strings.Contains(out, "0 sold, 1 quality return (no rate until units sell)") {
		t.Errorf("factory show after a return with none sold since the pause was lifted:\n%s\nwant no rate until units sell", out)
	}
}

// A reason typed as the README writes it, words apart, is the reason it
// names: "not as described" was refused for not being not-as-described.
func TestReturnTakesAReasonAsTyped(t *testing.T) {
	s := pinShop(t)
	id := s.object("batch", "order", "PIN-CAT", "--qty", "100", "--at", daysAgo(20))["id"].(string)
	s.ok("batch", "receive", id, "--qty", "100", "--at", daysAgo(18))
	s.ok("batch", "qa", id, "--pass")
	s.ok("sell", "PIN-CAT", "--qty", "10", "--at", daysAgo(5))
	got := s.object("return", "PIN-CAT", "--qty", "1", "--reason", "Not as described")
	if got["reason"] != "not-as-described" {
		t.Errorf("return --reason %q recorded %v, want not-as-described", "Not as described", got["reason"])
	}
}
