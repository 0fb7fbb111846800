package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// partlyReceived is a shop with 100 PIN ordered from NewFab (a new
// factory, 21 days' lead) on day 0 and 40 received on day 1, 4 of them held
// for QA; the clock is at day 3.
func partlyReceived(t *testing.T) (*Shop, *fakeClock, domain.Batch) {
	t.Helper()
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(3))
	mustFactory(t, s, "NewFab", 21, false)
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "NewFab")
	o, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 100, At: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := s.ReceiveBatch(ctx, o.ID, 40, day(1))
	if err != nil {
		t.Fatal(err)
	}
	if rc.Held != 4 {
		t.Fatalf("held %d of 40 from a new factory, want 4", rc.Held)
	}
	return s, clock, rc.Batch
}

func TestFailedQAKeepsUnitsStillToComeOnOrder(t *testing.T) {
	ctx := context.Background()
	s, _, b := partlyReceived(t)
	got, err := s.DecideQA(ctx, b.ID, false, "chipped enamel", day(2))
	if err != nil {
		t.Fatal(err)
	}
	if got.OnOrder() != 60 || got.Cancelled() || got.Status() != domain.BatchFailed {
		t.Errorf("after a failed QA the batch has %d on order (cancelled %v, status %s), want 60 still to come, failed",
			got.OnOrder(), got.Cancelled(), got.Status())
	}
	row := mustStock(t, s, "PIN", s.AsOfNow())
	if row.OnHand != 36 || row.OnOrder != 60 {
		t.Errorf("PIN on hand %d, on order %d; want 36 (4 rejected) and the 60 still to come", row.OnHand, row.OnOrder)
	}
	// The rest may still arrive, inspected: it is received, not held again.
	rc, err := s.ReceiveBatch(ctx, b.ID, 60, day(3))
	if err != nil {
		t.Fatalf("receiving the rest of a failed batch: %v", err)
	}
	if rc.HeldUnits != 0 || rc.Received != 100 {
		t.Errorf("rest received: held %d, received %d; want 0 held, 100 received", rc.HeldUnits, rc.Received)
	}
	if row := mustStock(t, s, "PIN", s.AsOfNow()); row.OnHand != 96 || row.OnOrder != 0 {
		t.Errorf("after the rest came: on hand %d, on order %d; want 96 and 0", row.OnHand, row.OnOrder)
	}
}

func TestFailedQACanCancelTheRest(t *testing.T) {
	ctx := context.Background()
	s, _, b := partlyReceived(t)
	got, err := s.Decide(ctx, QADecision{Batch: b.ID, Note: "chipped enamel", At: day(2), CancelRest: true})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Cancelled() || got.OnOrder() != 0 || got.Status() != domain.BatchFailed {
		t.Errorf("after fail with the rest cancelled: cancelled %v, on order %d, status %s; want cancelled, 0, failed",
			got.Cancelled(), got.OnOrder(), got.Status())
	}
	if row := mustStock(t, s, "PIN", s.AsOfNow()); row.OnOrder != 0 || row.OnHand != 36 {
		t.Errorf("PIN on hand %d, on order %d; want 36 and nothing on order", row.OnHand, row.OnOrder)
	}
	// The day before, the rest was still to come.
	if row := mustStock(t, s, "PIN", s.AsOfDate(day(1))); row.OnOrder != 60 {
		t.Errorf("as of day 1, on order %d, want 60", row.OnOrder)
	}
	if _, err := s.Decide(ctx, QADecision{Batch: b.ID, Pass: true, CancelRest: true}); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("a pass that cancels the rest: err = %v, want a refusal", err)
	}
}

func TestOrderOffFactoryTermsWarns(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "Pin Factory", Kind: domain.KindMicrofactory, LeadDays: 21, MOQ: 100, Multiple: 50}); err != nil {
		t.Fatal(err)
	}
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "Pin Factory")
	for _, tt := range []struct {
		qty  int
		want []string
	}{
		{150, nil},
		{50, []string{"below Pin Factory's minimum order of 100"}},
		{120, []string{"not a multiple of Pin Factory's batch multiple of 50"}},
		{30, []string{"minimum order of 100", "batch multiple of 50"}},
	} {
		res, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: tt.qty})
		if err != nil {
			t.Fatalf("order of %d: %v", tt.qty, err)
		}
		if res.Ordered != tt.qty {
			t.Errorf("ordered %d, want %d as asked: a warning changes nothing", res.Ordered, tt.qty)
		}
		if len(res.Warnings) != len(tt.want) {
			t.Fatalf("order of %d warns %q, want %d warnings", tt.qty, res.Warnings, len(tt.want))
		}
		for i, w := range tt.want {
			if !strings.Contains(res.Warnings[i], w) {
				t.Errorf("order of %d: warning %q, want %q", tt.qty, res.Warnings[i], w)
			}
		}
	}
}

func TestReceivingOversNeedsConfirming(t *testing.T) {
	ctx := context.Background()
	s, clock := mustMugShop(t)
	clock.Set(day(3))
	o, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10, At: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	before := content(t, s)
	_, err = s.Receive(ctx, Delivery{Batch: o.ID, Qty: 12, At: day(1)})
	var overs *OversError
	if !errors.As(err, &overs) || domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("receiving 12 of 10: err = %v, want an *OversError", err)
	}
	if overs.Qty != 12 || overs.Ordered != 10 || overs.Received != 0 || overs.Cancelled {
		t.Errorf("refusal %+v, want 12 of 10, none received before", overs)
	}
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "12 received of the 10 ordered") || strings.Contains(msg, "--") {
		t.Errorf("refusal %q, want the counts and no command-line flag", msg)
	}
	if content(t, s) != before {
		t.Fatal("a refused delivery changed the shop")
	}
	rc, err := s.Receive(ctx, Delivery{Batch: o.ID, Qty: 12, At: day(1), Force: true})
	if err != nil {
		t.Fatalf("confirmed overs: %v", err)
	}
	if rc.Received != 12 || rc.Status() != domain.BatchReceived || rc.OnOrder() != 0 {
		t.Errorf("after overs: received %d, status %s, on order %d; want 12, received, 0", rc.Received, rc.Status(), rc.OnOrder())
	}
	if row := mustStock(t, s, "MUG", s.AsOfNow()); row.OnHand != 62 {
		t.Errorf("MUG on hand %d, want 50 + 12", row.OnHand)
	}
	// Up to what is still to come needs no confirming.
	o2, _ := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10, At: day(1)})
	if _, err := s.Receive(ctx, Delivery{Batch: o2.ID, Qty: 10, At: day(2)}); err != nil {
		t.Errorf("receiving exactly what was ordered: %v", err)
	}
}

func TestEditBatch(t *testing.T) {
	ctx := context.Background()
	s, _, b := partlyReceived(t)
	res, err := s.EditBatch(ctx, b.ID, BatchFields{Qty: ptr(120), Expected: ptr(day(30))})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ordered != 120 || res.ExpectedAt != day(30).UnixMilli() || res.Received != 40 {
		t.Errorf("edited batch %d ordered, expected %v, %d received; want 120, day 30, 40",
			res.Ordered, time.UnixMilli(res.ExpectedAt).UTC(), res.Received)
	}
	if row := mustStock(t, s, "PIN", s.AsOfNow()); row.OnOrder != 80 {
		t.Errorf("PIN on order %d after raising the batch to 120, want 80", row.OnOrder)
	}
	got, err := s.Batch(ctx, b.ID)
	if err != nil || got.Ordered != 120 || got.ExpectedAt != day(30).UnixMilli() {
		t.Fatalf("batch as stored: %+v, %v", got, err)
	}

	before := content(t, s)
	for name, tt := range map[string]struct {
		in   BatchFields
		code string
		want string
	}{
		"below what was received": {BatchFields{Qty: ptr(39)}, domain.EInvalid, "40 have been received already; give at least 40"},
		"no quantity":             {BatchFields{Qty: ptr(0)}, domain.EInvalid, "0 is not a valid quantity"},
		"before the order":        {BatchFields{Expected: ptr(day(-1))}, domain.EInvalid, "before the order date"},
		"nothing":                 {BatchFields{}, domain.EInvalid, "nothing to change"},
	} {
		_, err := s.EditBatch(ctx, b.ID, tt.in)
		if domain.ErrorCode(err) != tt.code || !strings.Contains(domain.ErrorMessage(err), tt.want) {
			t.Errorf("%s: err = %v, want %s saying %q", name, err, tt.code, tt.want)
		}
	}
	if content(t, s) != before {
		t.Fatal("a refused edit changed the shop")
	}
	// Down to exactly what was received closes the batch.
	if res, err := s.EditBatch(ctx, b.ID, BatchFields{Qty: ptr(40)}); err != nil || res.OnOrder() != 0 {
		t.Errorf("cut to the 40 received: %v, on order %d; want none on order", err, res.OnOrder())
	}
}

func TestEditBatchWarnsOffFactoryTerms(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "Pin Factory", Kind: domain.KindMicrofactory, LeadDays: 21, MOQ: 100, Multiple: 50}); err != nil {
		t.Fatal(err)
	}
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "Pin Factory")
	o, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 100})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.EditBatch(ctx, o.ID, BatchFields{Qty: ptr(75)})
	if err != nil || len(res.Warnings) != 2 {
		t.Fatalf("cut to 75: %v, warnings %q; want the minimum and the multiple", err, res.Warnings)
	}
	if res, _ := s.EditBatch(ctx, o.ID, BatchFields{Expected: ptr(testStart.AddDate(0, 0, 30))}); len(res.Warnings) != 0 {
		t.Errorf("a new date warns %q about a quantity it did not change", res.Warnings)
	}
}

func TestCancelBatch(t *testing.T) {
	ctx := context.Background()
	s, clock, b := partlyReceived(t)
	got, err := s.CancelBatch(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status() != domain.BatchCancelled || got.OnOrder() != 0 || got.CancelledAt != day(3).UnixMilli() {
		t.Errorf("cancelled batch: status %s, on order %d, cancelled at %d; want cancelled, 0, now", got.Status(), got.OnOrder(), got.CancelledAt)
	}
	row := mustStock(t, s, "PIN", s.AsOfNow())
	// Only the units still to come leave: the 40 received stay, their 4
	// held units still wait for QA.
	if row.OnOrder != 0 || row.OnHand != 40 || row.Held != 4 {
		t.Errorf("PIN on hand %d, held %d, on order %d; want 40, 4, 0", row.OnHand, row.Held, row.OnOrder)
	}
	if row := mustStock(t, s, "PIN", s.AsOfDate(day(2))); row.OnOrder != 60 {
		t.Errorf("as of the day before the cancel, on order %d, want 60", row.OnOrder)
	}
	if open, _ := s.Batches(ctx, true); len(open) != 0 {
		t.Errorf("open batches %+v after the cancel, want none", open)
	}
	if _, err := s.DecideQA(ctx, b.ID, true, "", time.Time{}); err != nil {
		t.Errorf("QA of a cancelled batch's held units: %v", err)
	}

	before := content(t, s)
	if _, err := s.CancelBatch(ctx, b.ID); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), "already cancelled") {
		t.Errorf("cancelling twice: err = %v", err)
	}
	if _, err := s.EditBatch(ctx, b.ID, BatchFields{Qty: ptr(50)}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("editing a cancelled batch: err = %v, want a refusal", err)
	}
	_, err = s.Receive(ctx, Delivery{Batch: b.ID, Qty: 5})
	var overs *OversError
	if !errors.As(err, &overs) || !overs.Cancelled {
		t.Errorf("receiving into a cancelled batch: err = %v, want an *OversError naming the cancel", err)
	}
	if content(t, s) != before {
		t.Fatal("a refused command changed the shop")
	}
	if _, err := s.Receive(ctx, Delivery{Batch: b.ID, Qty: 5, Force: true}); err != nil {
		t.Errorf("confirmed units of a cancelled batch: %v", err)
	}

	clock.Set(day(4))
	o, _ := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 10, At: day(4), Force: true})
	if _, err := s.ReceiveBatch(ctx, o.ID, 10, day(4)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CancelBatch(ctx, o.ID); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), "fully received") {
		t.Errorf("cancelling a fully received batch: err = %v", err)
	}
}

func TestEditFactory(t *testing.T) {
	ctx := context.Background()
	s, _ := mustMugShop(t)
	mustFactory(t, s, "Kiln Co", 7, true)
	o, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10})
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.EditFactory(ctx, "fab", FactoryFields{Name: ptr("Fab Lab"), LeadDays: ptr(9), Location: ptr(domain.LocationOverseas), MOQ: ptr(20), Multiple: ptr(5)})
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "Fab Lab" || f.LeadDays != 9 || f.Location != domain.LocationOverseas || f.MOQ != 20 || f.Multiple != 5 {
		t.Errorf("edited factory %+v", f)
	}
	sku, err := s.SKU(ctx, "MUG")
	if err != nil || sku.Factory != "Fab Lab" || sku.LeadDays != 9 {
		t.Errorf("MUG after the edit: factory %q, lead %d (%v); want Fab Lab, 9", sku.Factory, sku.LeadDays, err)
	}
	if b, err := s.Batch(ctx, o.ID); err != nil || b.Factory != "Fab Lab" {
		t.Errorf("the batch names %q (%v), want the new name", b.Factory, err)
	}
	if _, err := s.Factory(ctx, "Fab", s.AsOfNow()); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("the old name still finds a factory: %v", err)
	}
	// Only a change of case: the same factory, so not taken.
	if f, err := s.EditFactory(ctx, "Fab Lab", FactoryFields{Name: ptr("FAB LAB")}); err != nil || f.Name != "FAB LAB" {
		t.Errorf("recasing its own name: %q, %v", f.Name, err)
	}

	before := content(t, s)
	for name, tt := range map[string]struct {
		in   FactoryFields
		code string
		want string
	}{
		"another's name": {FactoryFields{Name: ptr("kiln co")}, domain.EConflict, `already a factory named "Kiln Co"`},
		"empty name":     {FactoryFields{Name: ptr(" ")}, domain.EInvalid, "factory name is empty"},
		"lead too long":  {FactoryFields{LeadDays: ptr(400)}, domain.EInvalid, "400 is not a valid lead time"},
		"multiple of 0":  {FactoryFields{Multiple: ptr(0)}, domain.EInvalid, "0 is not a batch multiple"},
		"negative MOQ":   {FactoryFields{MOQ: ptr(-1)}, domain.EInvalid, "-1 is not a minimum order"},
		"bad location":   {FactoryFields{Location: ptr(domain.Location("moon"))}, domain.EInvalid, `"moon" is not a location`},
	} {
		_, err := s.EditFactory(ctx, "fab lab", tt.in)
		if domain.ErrorCode(err) != tt.code || !strings.Contains(domain.ErrorMessage(err), tt.want) {
			t.Errorf("%s: err = %v, want %s saying %q", name, err, tt.code, tt.want)
		}
	}
	if content(t, s) != before {
		t.Fatal("a refused edit changed the shop")
	}
}

// Edits of batches and factories are record fields: they reach a replica,
// and a replica's own edits come back.
func TestBatchAndFactoryEditsSync(t *testing.T) {
	ctx := context.Background()
	a, clock, b := partlyReceived(t)
	mustFactory(t, a, "Kiln Co", 7, true)
	other, err := a.OrderBatch(ctx, Order{Code: "PIN", Qty: 30, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	r := mustReplica(t, a, clock.Now)
	syncPair(t, a, r)

	// The desk edits a batch and renames the factory; the laptop cancels
	// the other batch.
	if _, err := a.EditBatch(ctx, b.ID, BatchFields{Qty: ptr(80)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.EditFactory(ctx, "NewFab", FactoryFields{Name: ptr("Pin Works"), MOQ: ptr(50)}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Minute))
	if _, err := r.CancelBatch(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, r)
	if ga, gr := content(t, a), content(t, r); ga != gr {
		t.Fatalf("replicas differ after sync\n a: %s\n r: %s", ga, gr)
	}
	for name, s := range map[string]*Shop{"desk": a, "laptop": r} {
		got, err := s.Batch(ctx, b.ID)
		if err != nil || got.Ordered != 80 || got.Factory != "Pin Works" {
			t.Errorf("%s: edited batch %d ordered from %q (%v), want 80 from Pin Works", name, got.Ordered, got.Factory, err)
		}
		c, err := s.Batch(ctx, other.ID)
		if err != nil || c.Status() != domain.BatchCancelled {
			t.Errorf("%s: other batch status %s (%v), want cancelled", name, c.Status(), err)
		}
		if row := mustStock(t, s, "PIN", s.AsOfNow()); row.OnOrder != 40 {
			t.Errorf("%s: PIN on order %d, want the 40 still to come of 80", name, row.OnOrder)
		}
		f, err := s.Factory(ctx, "pin works", s.AsOfNow())
		if err != nil || f.MOQ != 50 {
			t.Errorf("%s: factory Pin Works MOQ %d (%v), want 50", name, f.MOQ, err)
		}
	}

	// Both rename the factory while apart: the later edit wins everywhere
	// and the other shows as a conflict.
	if _, err := r.EditFactory(ctx, "Pin Works", FactoryFields{Name: ptr("Laptop's name")}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Minute))
	if _, err := a.EditFactory(ctx, "Pin Works", FactoryFields{Name: ptr("Desk's name")}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, r)
	for name, s := range map[string]*Shop{"desk": a, "laptop": r} {
		if _, err := s.Factory(ctx, "Desk's name", s.AsOfNow()); err != nil {
			t.Errorf("%s: the later name did not win: %v", name, err)
		}
		cs, err := s.Conflicts(ctx)
		if err != nil || len(cs) != 1 || cs[0].Field != "name" || cs[0].Lost.String() != "Laptop's name" {
			t.Errorf("%s: conflicts %+v (%v), want the laptop's name lost", name, cs, err)
		}
	}
}

// A device whose build did not know cancelled_at kept the cancellations it
// received as field versions only; upgrading puts them in force.
func TestUpgradeAppliesCancellationsKeptAsFieldVersions(t *testing.T) {
	ctx := context.Background()
	s, clock, b := partlyReceived(t)
	r := mustReplica(t, s, clock.Now)
	syncPair(t, s, r)
	if _, err := s.CancelBatch(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	syncPair(t, s, r)
	path := r.path
	// The replica as the old build left it: no column, no migration, the
	// cancellation in field_versions.
	for _, q := range []string{
		`ALTER TABLE batches DROP COLUMN cancelled_at`,
		`DELETE FROM migrations WHERE name = '0008_batches.sql'`,
	} {
		if _, err := r.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	r.Close()
	up, err := Open(path, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	got, err := up.Batch(ctx, b.ID)
	if err != nil || got.CancelledAt != day(3).UnixMilli() || got.Status() != domain.BatchCancelled {
		t.Fatalf("after the upgrade the batch is %s, cancelled at %d (%v); want cancelled at day 3", got.Status(), got.CancelledAt, err)
	}
	if ga, gu := content(t, s), content(t, up); ga != gu {
		t.Fatalf("the upgraded replica differs\n a: %s\n up: %s", ga, gu)
	}
}

// A conflict over a batch names it by its SKU and factory, as one over a
// SKU names its code: it showed the batch's id.
func TestABatchsConflictNamesIt(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustCreate(t)
	mustFactory(t, desk, "Fab", 5, false)
	mustSKU(t, desk, "PIN", domain.PathMicrofactory, "Fab")
	b, err := desk.OrderBatch(ctx, Order{Code: "PIN", Qty: 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.ReceiveBatch(ctx, b.ID, 20, clock.Now()); err != nil {
		t.Fatal(err)
	}
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	if _, err := desk.DecideQA(ctx, b.ID, true, "fine", clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.DecideQA(ctx, b.ID, false, "cracked", clock.Now()); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	cs, err := desk.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Entity == "batch" && c.Subject != "PIN from Fab" {
			t.Errorf("a conflict over the batch names it %q, want \"PIN from Fab\"", c.Subject)
		}
	}
	if len(cs) == 0 {
		t.Fatal("two QA decisions on one batch made no conflict")
	}
}
