package main

import (
	"strings"
	"testing"
)

// TestFirstDays walks a shop through its first ten days in March 2025 and
// checks every report against numbers worked out by hand from the rules of
// DESIGN.md section 1. Events are at noon unless a time is given.
//
//	factories: Kiln Co (workshop, new, lead 5), PrintHaus (print, established,
//	  lead 3, MOQ 40, multiple 25), Loom Works (microfactory, established, lead 20)
//	SKUs: MUG-01 handmade from Kiln Co (cover 7/14), POSTER-A3 print from
//	  PrintHaus (cover 7/14), TOTE-01 microfactory from Loom Works (lead 20 > 14:
//	  cover 28/56), ZINE-PDF digital
func TestFirstDays(t *testing.T) {
	s := newShop(t)

	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5")
	s.ok("factory", "add", "PrintHaus", "--kind", "print", "--lead-days", "3", "--established", "--moq", "40", "--multiple", "25")
	s.ok("factory", "add", "Loom Works", "--kind", "microfactory", "--location", "overseas", "--lead-days", "20", "--established")
	factories := byKey(t, s.objects("factory", "list"), "name")
	checkFields(t, "Kiln Co", factories["Kiln Co"], obj{"kind": "workshop", "location": "local", "lead_days": 5, "new": true, "paused": false, "pause_reason": ""})
	checkFields(t, "PrintHaus", factories["PrintHaus"], obj{"kind": "print", "location": "local", "lead_days": 3, "new": false, "moq": 40, "multiple": 25})
	checkFields(t, "Loom Works", factories["Loom Works"], obj{"location": "overseas", "new": false})

	mug := s.object("sku", "add", "MUG-01", "--name", "Speckled mug", "--path", "handmade", "--factory", "Kiln Co", "--price", "24", "--cost", "9.50")
	checkFields(t, "sku add MUG-01", mug, obj{"code": "MUG-01", "path": "handmade", "factory": "Kiln Co", "price": "24.00", "cost": "9.50",
		"lead_days": 5, "min_cover": 7, "max_cover": 14, "archived": false})
	s.ok("sku", "add", "POSTER-A3", "--name", "Harbour poster", "--path", "print", "--factory", "PrintHaus", "--price", "18", "--cost", "4")
	tote := s.object("sku", "add", "TOTE-01", "--name", "Canvas tote", "--path", "microfactory", "--factory", "Loom Works", "--price", "15")
	checkFields(t, "sku add TOTE-01", tote, obj{"lead_days": 20, "min_cover": 28, "max_cover": 56})
	zine := s.object("sku", "add", "ZINE-PDF", "--name", "Glaze zine", "--path", "digital", "--price", "6")
	checkFields(t, "sku add ZINE-PDF", zine, obj{"factory": "", "lead_days": 0, "min_cover": 0, "max_cover": 0, "price": "6.00"})

	// 1 March: order a batch of mugs (expected 1 + 5 = 6 March), posters and
	// totes, the totes promised for 8 March.
	a := s.object("batch", "order", "MUG-01", "--qty", "40", "--at", "2025-03-01")
	checkFields(t, "batch A", a, obj{"sku": "MUG-01", "factory": "Kiln Co", "ordered": 40, "received": 0, "held": 0, "status": "ordered", "expected": "2025-03-06"})
	// 30 posters is below PrintHaus's minimum order and off its multiple:
	// agreed by phone, so it goes through, with warnings on stderr.
	r := s.run("batch", "order", "POSTER-A3", "--qty", "30", "--at", "2025-03-01", "--json")
	if r.code != 0 || !strings.Contains(r.stderr, "warning: 30 units is below PrintHaus's minimum order of 40") ||
		!strings.Contains(r.stderr, "warning: 30 units is not a multiple of PrintHaus's batch multiple of 25") {
		t.Errorf("ordering 30 posters: exit %d, stderr %q; want it ordered with two warnings", r.code, r.stderr)
	}
	var p obj
	decodeOne(t, r.stdout, &p)
	c := s.object("batch", "order", "TOTE-01", "--qty", "30", "--at", "2025-03-01", "--expected", "2025-03-08")
	checkFields(t, "batch C", c, obj{"expected": "2025-03-08"})
	batchA, batchP, batchC := a["id"].(string), p["id"].(string), c["id"].(string)

	// 2 March: the posters come from an established printer: nothing held.
	out := s.ok("batch", "receive", batchP, "--qty", "30", "--at", "2025-03-02")
	if !strings.Contains(out, "all 30 available") {
		t.Errorf("receive from an established factory says %q", out)
	}
	// 3 March: the mugs come from a new workshop: ⌈10 % of 40⌉ = 4 held.
	out = s.ok("batch", "receive", batchA, "--qty", "40", "--at", "2025-03-03")
	if !strings.Contains(out, "Received 40 of batch "+batchA) || !strings.Contains(out, "4 held for QA (new factory") {
		t.Errorf("receive from a new factory says %q", out)
	}

	// As of 3 March: 40 on hand, 4 held, 36 available; nothing sold, so the
	// rate is 0 and cover infinite. Totes: nothing on hand, 30 on order.
	stock := byKey(t, s.objects("stock", "--as-of", "2025-03-03"), "code")
	checkFields(t, "MUG-01 on 3 March", stock["MUG-01"], obj{"on_hand": 40, "held": 4, "available": 36, "on_order": 0,
		"daily_rate": 0, "cover_days": nil, "status": "ok"})
	checkFields(t, "TOTE-01 on 3 March", stock["TOTE-01"], obj{"on_hand": 0, "available": 0, "on_order": 30, "status": "stockout"})
	checkAlerts(t, s.objects("alerts", "--as-of", "2025-03-03"), [][2]string{
		{"stockout", "TOTE-01"},
		{"qa_hold", batchA},
	})

	// 4 March: 37 mugs cannot be sold, 36 are available; nothing is written.
	v := s.vector()
	r = s.run("sell", "MUG-01", "--qty", "37", "--at", "2025-03-04")
	if r.code != 1 || !strings.Contains(r.stderr, "only 36 available") || r.stdout != "" {
		t.Errorf("selling 37 of 36 available: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if got := s.vector(); got != v {
		t.Errorf("a refused sale wrote to the shop: vector %s, was %s", got, v)
	}
	out = s.ok("sell", "MUG-01", "--qty", "2", "--at", "2025-03-04")
	if want := "Sold 2 × MUG-01 at 24.00; 34 available.\n"; out != want {
		t.Errorf("sell says %q, want %q", out, want)
	}
	sale := s.object("sell", "POSTER-A3", "--qty", "3", "--channel", "online", "--price", "20", "--at", "2025-03-04")
	checkFields(t, "sell POSTER-A3", sale, obj{"code": "POSTER-A3", "qty": 3, "price": "20.00", "available": 27})

	// 5 March: QA passes the mugs' 4 held units: 38 available, then 3 sold.
	qa := s.object("batch", "qa", batchA, "--pass", "--at", "2025-03-05T10:00")
	checkFields(t, "QA pass", qa, obj{"status": "passed", "held": 4, "received": 40})
	s.ok("sell", "MUG-01", "--qty", "3", "--at", "2025-03-05")
	stock = byKey(t, s.objects("stock", "MUG-01", "--as-of", "2025-03-05"), "code")
	checkFields(t, "MUG-01 on 5 March", stock["MUG-01"], obj{"on_hand": 35, "held": 0, "available": 35})

	// 6 March: a second batch of 20 mugs; 18 posters sold.
	b := s.object("batch", "order", "MUG-01", "--qty", "20", "--at", "2025-03-06")
	batchB := b["id"].(string)
	s.ok("sell", "POSTER-A3", "--qty", "18", "--at", "2025-03-06")
	// 7 March: 10 of the 20 arrive. Kiln Co has passed 1 batch of 3, so it is
	// still new: ⌈10 % of 10⌉ = 1 held.
	b = s.object("batch", "receive", batchB, "--qty", "10", "--at", "2025-03-07")
	checkFields(t, "batch B received", b, obj{"received": 10, "held": 1, "status": "held", "ordered": 20})

	// As of 7 March: mugs 35 + 10 = 45 on hand, 1 held, 44 available, 10 on
	// order; 5 sold over the 5 days 3–7 March with units available, but a
	// rate divides by at least 7 days: 5/7 = 0.71 a day, cover 44 × 7/5 =
	// 61.6. Posters: 9 left; 21 sold over 2–7 March (6 days, so 7): 3 a
	// day, cover 9/3 = 3; reorder point 3 × (3 + 7) = 30 > 9.
	stock = byKey(t, s.objects("stock", "--as-of", "2025-03-07"), "code")
	checkFields(t, "MUG-01 on 7 March", stock["MUG-01"], obj{"on_hand": 45, "held": 1, "available": 44, "on_order": 10,
		"daily_rate": 0.71, "cover_days": 61.6, "status": "ok"})
	checkFields(t, "POSTER-A3 on 7 March", stock["POSTER-A3"], obj{"on_hand": 9, "available": 9, "daily_rate": 3, "cover_days": 3, "status": "reorder"})

	// 8 March: QA fails batch B: its held unit leaves stock, Kiln Co is
	// paused, and the 10 mugs still to come are cancelled (without
	// --cancel-rest they would stay on order). Returns: one mug restocked
	// (buyer), two defective mugs (quality), one poster damaged in transit
	// (logistics).
	qa = s.object("batch", "qa", batchB, "--fail", "--cancel-rest", "--note", "cracked glaze", "--at", "2025-03-08T10:00")
	checkFields(t, "QA fail", qa, obj{"status": "failed", "qa_note": "cracked glaze", "on_order": 0})
	kiln := s.object("factory", "show", "Kiln Co")
	checkFields(t, "Kiln Co after a failed QA", kiln, obj{"paused": true, "new": true})
	// The reason names batch B as a maker knows it, not by its id.
	if reason, _ := kiln["pause_reason"].(string); reason != "the batch of MUG-01 ordered on 2025-03-06 failed QA on 2025-03-08: inspect the rest of that batch" {
		t.Errorf("pause reason %q does not name batch B by its SKU and order date", reason)
	}
	ret := s.object("return", "MUG-01", "--qty", "1", "--reason", "changed-mind", "--restock", "--at", "2025-03-08")
	checkFields(t, "return", ret, obj{"code": "MUG-01", "qty": 1, "reason": "changed-mind", "class": "buyer", "restock": true})
	s.ok("return", "MUG-01", "--qty", "2", "--reason", "defect", "--at", "2025-03-08T13:00")
	s.ok("return", "POSTER-A3", "--qty", "1", "--reason", "damaged-in-transit", "--at", "2025-03-08T14:00")
	// 45 − 1 rejected + 1 restocked = 45.
	stock = byKey(t, s.objects("stock", "--as-of", "2025-03-08"), "code")
	checkFields(t, "MUG-01 on 8 March", stock["MUG-01"], obj{"on_hand": 45, "held": 0, "available": 45, "on_order": 0})

	// 9 March: a stocktake finds 12 mugs; 2 posters are written off.
	cnt := s.object("count", "MUG-01", "--qty", "12", "--at", "2025-03-09")
	checkFields(t, "count", cnt, obj{"code": "MUG-01", "qty": 12})
	adj := s.object("adjust", "POSTER-A3", "--qty", "-2", "--note", "water damage", "--at", "2025-03-09")
	checkFields(t, "adjust", adj, obj{"code": "POSTER-A3", "qty": -2, "note": "water damage"})
	// 10 March: 4 zines and 5 mugs sold.
	zs := s.object("sell", "ZINE-PDF", "--qty", "4", "--at", "2025-03-10")
	checkFields(t, "sell ZINE-PDF", zs, obj{"qty": 4, "price": "6.00", "available": nil})
	s.ok("sell", "MUG-01", "--qty", "5", "--at", "2025-03-10")

	// As of 10 March:
	//  MUG-01: 12 − 5 = 7. Sold 2 + 3 + 5 = 10 over 3–10 March (8 days):
	//   1.25 a day, cover 7/1.25 = 5.6. Position 7 < 1.25 × (5 + 7) = 15:
	//   reorder ⌈1.25 × (5 + 14) − 7⌉ = ⌈16.75⌉ = 17, but Kiln Co is paused.
	//  POSTER-A3: 30 − 3 − 18 − 2 = 7. Sold 21 over 2–10 March (9 days):
	//   2.33 a day, cover 3.0. Position 7 < 21/9 × 10 = 23.33: reorder
	//   ⌈21/9 × 17 − 7⌉ = ⌈32.67⌉ = 33, raised to the MOQ 40, rounded up to
	//   the multiple 25: 50.
	//  TOTE-01: none on hand, 30 on order (overdue since 8 March): nothing
	//   sells, but with nothing available its cover is 0 days, not endless.
	//  Both reorders rest on under 14 days of history (the first events
	//  were on 2 and 3 March): short_history.
	stock = byKey(t, s.objects("stock", "--as-of", "2025-03-10"), "code")
	checkFields(t, "MUG-01 on 10 March", stock["MUG-01"], obj{"on_hand": 7, "held": 0, "available": 7, "on_order": 0,
		"daily_rate": 1.25, "cover_days": 5.6, "status": "reorder"})
	checkFields(t, "POSTER-A3 on 10 March", stock["POSTER-A3"], obj{"on_hand": 7, "held": 0, "available": 7, "on_order": 0,
		"daily_rate": 2.33, "cover_days": 3, "status": "reorder"})
	checkFields(t, "TOTE-01 on 10 March", stock["TOTE-01"], obj{"on_hand": 0, "available": 0, "on_order": 30,
		"daily_rate": 0, "cover_days": 0, "status": "stockout"})
	checkFields(t, "ZINE-PDF on 10 March", stock["ZINE-PDF"], obj{"status": "digital", "cover_days": nil})

	reorder := s.objects("reorder", "--as-of", "2025-03-10")
	if len(reorder) != 2 {
		t.Fatalf("reorder as of 10 March has %d rows, want MUG-01 and POSTER-A3: %v", len(reorder), reorder)
	}
	checkFields(t, "reorder MUG-01", reorder[0], obj{"code": "MUG-01", "factory": "Kiln Co", "position": 7, "daily_rate": 1.25,
		"lead_days": 5, "min_cover": 7, "max_cover": 14, "reorder_point": 15, "suggested_qty": 0, "need_qty": 17, "blocked": true, "short_history": true})
	checkFields(t, "reorder POSTER-A3", reorder[1], obj{"code": "POSTER-A3", "factory": "PrintHaus", "position": 7, "daily_rate": 2.33,
		"lead_days": 3, "min_cover": 7, "max_cover": 14, "reorder_point": 23.33, "suggested_qty": 50, "need_qty": 50, "blocked": false, "short_history": true})

	// Logistics returns 1 of 21 posters sold is over 3 %: packaging advice.
	// The quality rule needs 30 mugs sold, and only 10 were.
	checkAlerts(t, s.objects("alerts", "--as-of", "2025-03-10"), [][2]string{
		{"stockout", "TOTE-01"},
		{"reorder", "MUG-01"},
		{"reorder", "POSTER-A3"},
		{"batch_overdue", batchC},
		{"factory_paused", "Kiln Co"},
		{"packaging_returns", "POSTER-A3"},
	})

	// Digital sales have no factory: their row is named "".
	returns := byKey(t, s.objects("returns", "--as-of", "2025-03-10"), "factory")
	checkFields(t, "returns Kiln Co", returns["Kiln Co"], obj{"sold": 10, "quality": 2, "logistics": 0, "buyer": 1, "quality_rate": 0.2})
	checkFields(t, "returns PrintHaus", returns["PrintHaus"], obj{"sold": 21, "quality": 0, "logistics": 1, "buyer": 0, "quality_rate": 0})
	checkFields(t, "returns Loom Works", returns["Loom Works"], obj{"sold": 0, "quality": 0, "logistics": 0, "buyer": 0,
		"quality_rate": nil, "logistics_rate": nil})
	checkFields(t, "returns digital", returns[""], obj{"sold": 4, "quality": 0})
	if len(returns) != 4 {
		t.Errorf("returns has %d rows, want 4: %v", len(returns), returns)
	}

	// Buyer messages: mugs in stock ship after 1 handling day; totes are back
	// by tomorrow at best, their batch being overdue, and ship a day after.
	checkFields(t, "message MUG-01", s.object("message", "MUG-01", "--as-of", "2025-03-10"),
		obj{"code": "MUG-01", "message": "In stock: ships in 1 day.", "ships_by": "2025-03-11"})
	checkFields(t, "message TOTE-01", s.object("message", "TOTE-01", "--as-of", "2025-03-10"),
		obj{"code": "TOTE-01", "message": "Back in stock by 11 March 2025: order now and it ships by 12 March 2025.", "ships_by": "2025-03-12"})
	checkFields(t, "message ZINE-PDF", s.object("message", "ZINE-PDF", "--as-of", "2025-03-10"), obj{"ships_by": "2025-03-10"})

	batches := byKey(t, s.objects("batch", "list"), "id")
	for id, want := range map[string]obj{
		batchA: {"status": "passed", "received": 40, "held": 4},
		batchB: {"status": "failed", "received": 10, "held": 1},
		batchC: {"status": "ordered", "received": 0},
		batchP: {"status": "received", "received": 30, "held": 0},
	} {
		checkFields(t, "batch "+id, batches[id], want)
	}
	open := s.objects("batch", "list", "--open")
	if len(open) != 1 || open[0]["id"] != batchC {
		t.Errorf("open batches %v, want only %s", open, batchC)
	}

	// Resuming Kiln Co that day unblocks the mugs' reorder.
	if out := s.ok("factory", "resume", "Kiln Co", "--at", "2025-03-10"); !strings.Contains(out, "counts its returns from 2025-03-10") {
		t.Errorf("a resume dated 2025-03-10 says %q; want the rule counted from that day, not from now", out)
	}
	reorder = s.objects("reorder", "--as-of", "2025-03-10")
	checkFields(t, "reorder MUG-01 resumed", reorder[0], obj{"code": "MUG-01", "suggested_qty": 17, "blocked": false})

	// A sale that really happened beyond stock is recorded with --force:
	// 7 − 9 = −2, oversold.
	forced := s.object("sell", "MUG-01", "--qty", "9", "--force", "--at", "2025-03-10T15:00")
	checkFields(t, "forced sale", forced, obj{"available": -2})
	stock = byKey(t, s.objects("stock", "MUG-01", "--as-of", "2025-03-10"), "code")
	checkFields(t, "MUG-01 oversold", stock["MUG-01"], obj{"available": -2, "status": "oversold"})
	alerts := s.objects("alerts", "--as-of", "2025-03-10")
	if len(alerts) == 0 || alerts[0]["kind"] != "oversold" || alerts[0]["subject"] != "MUG-01" {
		t.Errorf("first alert after the forced sale is %v, want oversold MUG-01", alerts)
	}
}

// checkAlerts compares alerts' kinds and subjects, in order.
func checkAlerts(t *testing.T, got []obj, want [][2]string) {
	t.Helper()
	var g [][2]string
	for _, a := range got {
		k, _ := a["kind"].(string)
		s, _ := a["subject"].(string)
		g = append(g, [2]string{k, s})
		if m, _ := a["message"].(string); m == "" {
			t.Errorf("alert %s %s has no message", k, s)
		}
	}
	if len(g) != len(want) {
		t.Errorf("alerts:\n got %v\nwant %v", g, want)
		return
	}
	for i := range want {
		if g[i] != want[i] {
			t.Errorf("alerts:\n got %v\nwant %v", g, want)
			return
		}
	}
}

// TestFactoryEstablishedAfterThreePasses: a new factory's batches are held
// until 3 of them pass QA; the fourth comes in whole.
func TestFactoryEstablishedAfterThreePasses(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "2")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	for i, day := range []string{"2025-04-01", "2025-04-02", "2025-04-03"} {
		b := s.object("batch", "order", "MUG-01", "--qty", "25", "--at", day)
		id := b["id"].(string)
		// ⌈10 % of 25⌉ = 3.
		b = s.object("batch", "receive", id, "--qty", "25", "--at", day+"T13:00")
		checkFields(t, "receipt "+day, b, obj{"held": 3})
		s.ok("batch", "qa", id, "--pass", "--at", day+"T14:00")
		f := s.object("factory", "show", "Kiln Co")
		checkFields(t, "Kiln Co after pass "+day, f, obj{"passed_batches": i + 1, "new": i+1 < 3})
	}
	b := s.object("batch", "order", "MUG-01", "--qty", "25", "--at", "2025-04-04")
	b = s.object("batch", "receive", b["id"].(string), "--qty", "25", "--at", "2025-04-04T13:00")
	checkFields(t, "fourth receipt", b, obj{"held": 0, "status": "received"})
	stock := s.objects("stock", "--as-of", "2025-04-04")
	checkFields(t, "MUG-01", stock[0], obj{"on_hand": 100, "held": 0, "available": 100})
}

// TestQualityPause: quality returns over 3 % of at least 30 units sold from a
// factory in 90 days pause it; at 29 sold the rule does not apply yet.
func TestQualityPause(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("count", "MUG-01", "--qty", "60", "--at", "2025-05-01")
	s.ok("sell", "MUG-01", "--qty", "29", "--at", "2025-05-02")
	s.ok("return", "MUG-01", "--qty", "1", "--reason", "broke", "--at", "2025-05-03")

	// 1 of 29: the rule needs 30 sold.
	f := s.object("factory", "show", "Kiln Co", "--as-of", "2025-05-03")
	checkFields(t, "29 sold", f, obj{"paused": false, "quality_paused": false})

	// 1 of 30 is 3.3 % > 3 %: paused; the mugs still show their need,
	// blocked by the pause.
	s.ok("sell", "MUG-01", "--qty", "1", "--at", "2025-05-02T13:00")
	f = s.object("factory", "show", "Kiln Co", "--as-of", "2025-05-03")
	checkFields(t, "30 sold", f, obj{"paused": true, "quality_paused": true})
	reorder := s.objects("reorder", "--as-of", "2025-05-03")
	if len(reorder) != 1 {
		t.Fatalf("reorder: %v", reorder)
	}
	// 60 − 30 = 30 on hand (the broken one is not restocked). Rate over
	// 1–3 May, all with units available, but at least 7 days: 30/7 = 4.29 a
	// day; point 30/7 × (5 + 7) = 51.43 > 30; need ⌈30/7 × (5 + 14) − 30⌉ =
	// ⌈51.43⌉ = 52.
	checkFields(t, "reorder", reorder[0], obj{"daily_rate": 4.29, "reorder_point": 51.43, "blocked": true, "suggested_qty": 0, "need_qty": 52,
		"short_history": true})
	checkAlerts(t, s.objects("alerts", "--as-of", "2025-05-03"), [][2]string{
		{"reorder", "MUG-01"},
		{"factory_paused", "Kiln Co"},
		{"quality_returns", "Kiln Co"},
	})
}

// TestSKUEditChangesOnlyGivenFlags: `sku edit` leaves alone what it is not
// told to change.
func TestSKUEditChangesOnlyGivenFlags(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "PrintHaus", "--kind", "print", "--lead-days", "10")
	s.ok("factory", "add", "Riso Club", "--kind", "print", "--lead-days", "4")
	// Print with lead 10 > 7: cover 14 to 28.
	sku := s.object("sku", "add", "POSTER-A3", "--name", "Poster", "--path", "print", "--factory", "PrintHaus", "--price", "18", "--cost", "4.25")
	checkFields(t, "added", sku, obj{"lead_days": 10, "min_cover": 14, "max_cover": 28})

	sku = s.object("sku", "edit", "POSTER-A3", "--price", "19.50")
	checkFields(t, "price edited", sku, obj{"name": "Poster", "price": "19.50", "cost": "4.25", "factory": "PrintHaus", "lead_days": 10, "min_cover": 14})
	// Another printer with lead 4 ≤ 7: the defaults follow, cover 7 to 14.
	sku = s.object("sku", "edit", "POSTER-A3", "--factory", "Riso Club")
	checkFields(t, "factory edited", sku, obj{"factory": "Riso Club", "lead_days": 4, "min_cover": 7, "max_cover": 14, "price": "19.50"})
	// A chosen minimum sets the maximum to twice it, unless that is chosen too.
	sku = s.object("sku", "edit", "POSTER-A3", "--min-cover", "10")
	checkFields(t, "min cover edited", sku, obj{"min_cover": 10, "max_cover": 20})
	sku = s.object("sku", "edit", "POSTER-A3", "--max-cover", "25")
	checkFields(t, "max cover edited", sku, obj{"min_cover": 10, "max_cover": 25, "name": "Poster", "cost": "4.25"})
	shown := s.object("sku", "show", "poster-a3")
	checkFields(t, "shown", shown, obj{"code": "POSTER-A3", "price": "19.50", "factory": "Riso Club", "min_cover": 10, "max_cover": 25})
	// default gives an override up: the minimum follows the supply path again,
	// and the maximum stays as chosen.
	sku = s.object("sku", "edit", "POSTER-A3", "--min-cover", "default")
	checkFields(t, "min cover back to default", sku, obj{"min_cover": 7, "max_cover": 25})
	sku = s.object("sku", "edit", "POSTER-A3", "--max-cover", "default", "--lead-days", "9")
	checkFields(t, "max cover back to default", sku, obj{"lead_days": 9, "min_cover": 14, "max_cover": 28})
	// A new code: the SKU answers to it, and keeps everything else.
	sku = s.object("sku", "edit", "POSTER-A3", "--code", "POSTER-A2")
	checkFields(t, "code edited", sku, obj{"code": "POSTER-A2", "name": "Poster", "price": "19.50"})
	if r := s.run("sku", "show", "POSTER-A3"); r.code == 0 {
		t.Errorf("the old code still shows a SKU: %s", r.stdout)
	}
}
