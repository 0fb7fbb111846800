package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// A name pasted with a zero-width space in it is kept without it: it
// printed as "F8" and "F8" did not find it, and a second "F8" was added
// beside it, two rows that read the same.
func TestAnInvisibleCharacterIsDroppedFromAName(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "F\u200b8\ufeff", Kind: domain.KindPrint, LeadDays: 3}); err != nil {
		t.Fatal(err)
	}
	if f, err := s.Factory(ctx, "F8", s.AsOfNow()); err != nil || f.Name != "F8" {
		t.Fatalf("F8: %q, %v; want the factory typed as F\\u200b8 found by it", f.Name, err)
	}
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "F8", Kind: domain.KindPrint, LeadDays: 3}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("a second F8: %v; want it refused as the same name", err)
	}
}

// Names that differ only in the spaces between their words are one name:
// "Clay  Works" made a second factory that read like the first, and
// orders went to either.
func TestSpacesBetweenAFactorysWordsDoNotMakeAnother(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "Clay   Works ", Kind: domain.KindWorkshop, LeadDays: 7}); err != nil {
		t.Fatal(err)
	}
	if f, err := s.Factory(ctx, "clay works", s.AsOfNow()); err != nil || f.Name != "Clay Works" {
		t.Fatalf("clay works: %q, %v; want the factory named Clay Works", f.Name, err)
	}
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "CLAY  works", Kind: domain.KindWorkshop, LeadDays: 7}); domain.ErrorCode(err) != domain.EConflict ||
		!strings.Contains(domain.ErrorMessage(err), `"Clay Works"`) {
		t.Errorf("CLAY  works beside Clay Works: %v; want it refused, naming Clay Works as it is", err)
	}
	if _, err := s.Factory(ctx, "Clay \u00a0Works", s.AsOfNow()); err == nil {
		t.Error("a no-break space found Clay Works; only plain spaces are evened out")
	}
	renamed := " Riso  Corner "
	if f, err := s.EditFactory(ctx, "Clay    Works", FactoryFields{Name: &renamed}); err != nil || f.Name != "Riso Corner" {
		t.Fatalf("renamed to %q: %q, %v; want Riso Corner", renamed, f.Name, err)
	}
	list, err := s.Factories(ctx, s.AsOfNow())
	if err != nil || len(list) != 1 || list[0].Name != "Riso Corner" {
		t.Errorf("factories = %v, %v; want Riso Corner alone", list, err)
	}
}

// A factory named with two spaces in a row before names were tidied is
// still found by its name typed as it is, or tidied.
func TestAFactoryNamedWithTwoSpacesBeforeIsFound(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	f, err := s.AddFactory(ctx, domain.Factory{Name: "Old Name", Kind: domain.KindPrint, LeadDays: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE factories SET name = 'Old  Name' WHERE id = ?`, f.ID); err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{"Old  Name", "old name"} {
		if v, err := s.Factory(ctx, typed, s.AsOfNow()); err != nil || v.ID != f.ID {
			t.Errorf("%q: %q, %v; want the factory named %q", typed, v.Name, err, "Old  Name")
		}
	}
}

// A report of a day gone shows each factory paused or not as it was that
// day: a pause or resume made since showed on every earlier day, and a
// batch failed today paused its factory on 1 October.
func TestAPastReportShowsThePausesOfItsDay(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(1))
	mustFactory(t, s, "Fab", 5, true)
	mustFactory(t, s, "Kiln", 5, true)
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "Fab")
	clock.Set(day(3))
	if err := s.PauseFactory(ctx, "Fab", "kiln repair"); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(6))
	if err := s.ResumeFactory(ctx, "Fab"); err != nil {
		t.Fatal(err)
	}
	if err := s.PauseFactory(ctx, "Kiln", "holiday"); err != nil {
		t.Fatal(err)
	}
	paused := func(name string, on time.Time) (bool, string) {
		t.Helper()
		f, err := s.Factory(ctx, name, s.AsOfDate(on))
		if err != nil {
			t.Fatal(err)
		}
		return f.Paused, f.PauseReason
	}
	for _, c := range []struct {
		name   string
		on     time.Time
		want   bool
		reason string
	}{
		{"Fab", day(2), false, ""},
		{"Fab", day(4), true, "kiln repair"},
		{"Fab", day(6), false, ""},
		{"Kiln", day(5), false, ""},
		{"Kiln", day(6), true, "holiday"},
	} {
		if got, why := paused(c.name, c.on); got != c.want || why != c.reason {
			t.Errorf("%s as of day %d: paused %v (%q), want %v (%q)", c.name, int(c.on.Sub(day(0)).Hours()/24), got, why, c.want, c.reason)
		}
	}
	if alerts, _ := s.Alerts(ctx, s.AsOfDate(day(5))); hasAlert(alerts, AlertFactoryPaused, "Kiln") || !hasAlert(alerts, AlertFactoryPaused, "Fab") {
		t.Errorf("alerts of day 5: %+v; want Fab paused, Kiln not yet", alerts)
	}
	list, err := s.Factories(ctx, s.AsOfDate(day(4)))
	if err != nil || len(list) != 2 || !list[0].Paused || list[1].Paused {
		t.Errorf("factories as of day 4: %+v, %v; want Fab paused and Kiln not", list, err)
	}
}

// shopFailedLate is a shop whose factory Fab failed a batch's QA on day 3,
// entered on day `entered`, for tests of reports of the days around it.
func shopFailedLate(t *testing.T, entered int) (*Shop, *fakeClock) {
	t.Helper()
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(1))
	mustFactory(t, s, "Fab", 5, false)
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "Fab")
	b, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 20, At: day(1)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReceiveBatch(ctx, b.ID, 20, day(2)); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(entered))
	if _, err := s.DecideQA(ctx, b.ID, false, "chipped", day(3)); err != nil {
		t.Fatal(err)
	}
	return s, clock
}

// checkPausedOn checks whether Fab reads paused in the report of each day.
func checkPausedOn(t *testing.T, s *Shop, want map[int]bool) {
	t.Helper()
	for on, paused := range want {
		f, err := s.Factory(context.Background(), "Fab", s.AsOfDate(day(on)))
		if err != nil {
			t.Fatal(err)
		}
		if f.Paused != paused {
			t.Errorf("as of day %d: paused %v (%q), want %v", on, f.Paused, f.PauseReason, paused)
		}
	}
}

// A failed QA entered a day late pauses its factory from the day it was
// decided, in reports of that day, also once the factory is resumed: the
// resume today made the day of the failure read as never paused.
func TestALateFailedQAPausesItsDayAfterAResume(t *testing.T) {
	s, clock := shopFailedLate(t, 5)
	clock.Set(day(6))
	if err := s.ResumeFactory(context.Background(), "Fab"); err != nil {
		t.Fatal(err)
	}
	checkPausedOn(t, s, map[int]bool{2: false, 3: true, 4: true, 6: false})
}

// A resume entered late (--at) lifts the pause from its own time in
// reports of the days since, as an event's --at records history; one more
// than a day ahead is refused.
func TestALateResumeLiftsItsDays(t *testing.T) {
	ctx := context.Background()
	s, _ := shopFailedLate(t, 6)
	if err := s.ResumeFactoryAt(ctx, "Fab", day(4)); err != nil {
		t.Fatal(err)
	}
	checkPausedOn(t, s, map[int]bool{2: false, 3: true, 4: false, 6: false})
	if err := s.PauseFactory(ctx, "Fab", "again"); err != nil {
		t.Fatal(err)
	}
	if err := s.ResumeFactoryAt(ctx, "Fab", day(9)); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("a resume 3 days ahead: %v, want it refused", err)
	}
}

// A resume dated before the pause it lifts was taken: `factory resume Fab
// --at 2026-01-01` on a factory paused in December said "Resumed", and
// the factory read as resumed months before it was paused. It is refused,
// naming when the pause began, and writes nothing; for a pause by a failed
// QA entered late, the pause begins at the QA's time, not its typing.
func TestAResumeBeforeItsPauseIsRefused(t *testing.T) {
	ctx := context.Background()
	s, clock := shopFailedLate(t, 5) // Fab failed QA on day 3, typed on day 5
	clock.Set(day(6))
	logged := func() int64 {
		v, err := s.Vector(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v.Total()
	}
	before := logged()
	err := s.ResumeFactoryAt(ctx, "Fab", day(2))
	if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(err.Error(), day(3).Format("2006-01-02")) {
		t.Fatalf("a resume the day before the failed QA: %v; want it refused, naming the day the pause began", err)
	}
	if f, _ := s.Factory(ctx, "Fab", s.AsOfNow()); !f.Blocked() || logged() != before {
		t.Fatalf("after the refused resume: blocked %v, %d changes logged; want still paused, nothing written", f.Blocked(), logged()-before)
	}
	if err := s.ResumeFactoryAt(ctx, "Fab", day(4)); err != nil {
		t.Fatalf("a resume after the failed QA, typed before it was: %v", err)
	}

	clock.Set(day(8))
	if err := s.PauseFactory(ctx, "Fab", "kiln repair"); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(9))
	before = logged()
	err = s.ResumeFactoryAt(ctx, "Fab", day(7))
	if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(err.Error(), day(8).Format("2006-01-02")) {
		t.Fatalf("a resume the day before a pause by hand: %v; want it refused, naming the day it was paused", err)
	}
	if logged() != before {
		t.Fatal("the refused resume wrote to the shop")
	}
	if err := s.ResumeFactoryAt(ctx, "Fab", day(8).Add(time.Hour)); err != nil {
		t.Fatalf("a resume an hour after the pause: %v", err)
	}
}

// A resume dated before the returns that paused a factory for quality
// counts them again, so it is refused, saying why, and writes nothing: it
// was taken, "Resumed", and the factory stayed paused. One dated after
// them lifts the pause.
func TestAResumeBeforeTheReturnsThatPausedIsRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := fortyMugsSold(t, day(3), 1000)
	for range 2 { // 2 of 40 = 5 %: paused for quality
		if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "defect", At: day(2)}); err != nil {
			t.Fatal(err)
		}
	}
	logged := func() int64 {
		v, err := s.Vector(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v.Total()
	}
	before := logged()
	err := s.ResumeFactoryAt(ctx, "Fab", day(1))
	if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(err.Error(), "would leave factory \"Fab\" paused") {
		t.Fatalf("a resume before the returns: %v; want it refused, saying the factory would stay paused", err)
	}
	if f, _ := s.Factory(ctx, "Fab", s.AsOfNow()); !f.Blocked() || logged() != before {
		t.Fatalf("after the refused resume: blocked %v, %d changes logged; want still paused, nothing written", f.Blocked(), logged()-before)
	}
	if err := s.ResumeFactoryAt(ctx, "Fab", day(2).Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Factory(ctx, "Fab", s.AsOfNow()); f.Blocked() {
		t.Fatalf("still paused after a resume after the returns: %s", f.Reason())
	}
}
