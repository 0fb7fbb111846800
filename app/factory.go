package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// FactoryView is a factory with what the shop's history says of it.
type FactoryView struct {
	domain.Factory
	Passed         int  // batches that passed QA
	New            bool // batches are held back until QA passes
	QualityPaused  bool // QualityOver, or held since QualityPausedAt
	QualityOver    bool // quality returns over the limit in the trailing 90 days
	Sold           int  // units sold from it in the trailing 90 days
	QualityReturns int  // quality returns in the trailing 90 days
	ResumedAt      int64
	// CountedSince is when Sold and QualityReturns start counting when a
	// resume or a QA pass that lifted a pause falls inside the 90 days:
	// the rule counts afresh from it. Zero when they cover all 90 days.
	CountedSince time.Time
	// QualityPausedAt is when a return recorded here put its quality
	// returns over the limit: the pause holds from then until a QA pass
	// or a resume (a later ResumedAt), whatever the window says since.
	QualityPausedAt int64
	wantSold        bool // count Sold even without quality returns, for display
	// pauseWords is a failed QA's PauseReason as a maker reads it
	// (nameFailures), "" for any other pause.
	pauseWords string
}

// LiftedBy reports whether batch b's QA pass lifted the factory's pause for
// quality returns: Decide resumes it at the pass's moment, so the maker is
// told it takes orders again (and the rule counts afresh from then).
func (f FactoryView) LiftedBy(b domain.Batch) bool {
	return b.QA == domain.QAPassed && f.ResumedAt == b.QAAt && !f.Blocked()
}

// Blocked reports whether no batch should be suggested from the factory.
func (f FactoryView) Blocked() bool { return f.Paused || f.QualityPaused }

// Reason says why the factory is paused, for people.
func (f FactoryView) Reason() string {
	switch {
	case f.Paused && f.pauseWords != "":
		return f.pauseWords
	case f.Paused:
		return f.PauseReason
	case f.QualityPaused:
		return f.qualityState() + "; inspect its stock, then " + f.LiftQualityPause("it")
	}
	return ""
}

// laterResume says what lifts a quality pause that a resume at a time
// gone would leave: a later resume, or a QA pass where f's receipts are
// held for QA (LiftQualityPause).
func laterResume(f FactoryView) string {
	if f.New {
		return "resume it at a later time, or pass a batch's QA"
	}
	return "resume it at a later time"
}

// LiftQualityPause says how the maker lifts a quality pause of f, it
// naming the factory: a QA pass lifts one, but only a new factory's
// receipts are held for QA, so an established factory's is lifted by a
// resume alone. Told to pass a batch's QA, the maker of an established
// workshop was refused: no units of it are held for QA.
func (f FactoryView) LiftQualityPause(it string) string {
	if f.New {
		return "pass a batch's QA or resume " + it
	}
	return "resume " + it
}

// AddFactory records a new primary supplier.
func (s *Shop) AddFactory(ctx context.Context, f domain.Factory) (domain.Factory, error) {
	if f.Location == "" {
		f.Location = domain.LocationLocal
	}
	if f.Multiple == 0 {
		f.Multiple = 1
	}
	// "Riso  Corner " is "Riso Corner": the check for a factory of that
	// name below then finds it.
	f.Name, f.PauseReason = domain.TidyName(f.Name), domain.CleanText(f.PauseReason)
	if err := f.Validate(); err != nil {
		return f, err
	}
	err := s.write(ctx, func(t *txn) error {
		if other, err := findFactory(ctx, t.tx, f.Name); err == nil {
			return domain.Errorf(domain.EConflict, "there is already a factory named %q; choose another name", other.Name)
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
		f.ID = newID()
		return t.setRecord("factory", f.ID, map[string]any{
			"name": f.Name, "kind": f.Kind, "location": f.Location, "lead_days": f.LeadDays,
			"moq": f.MOQ, "multiple": f.Multiple, "established": f.Established,
			"paused": false, "pause_reason": "", "resumed_at": 0,
		})
	})
	return f, err
}

// FactoryFields are the parts of a factory an edit may change; nil leaves
// a field as it is.
type FactoryFields struct {
	Name     *string
	LeadDays *int
	Location *domain.Location
	MOQ      *int
	Multiple *int
}

// EditFactory changes the given fields of a factory. SKUs and batches name
// their factory by its id, so a renamed factory keeps them; a name another
// factory has is refused. A new lead time moves the SKUs that follow it,
// not the batches already ordered.
func (s *Shop) EditFactory(ctx context.Context, name string, in FactoryFields) (domain.Factory, error) {
	var f domain.Factory
	err := s.write(ctx, func(t *txn) error {
		v, err := findFactory(ctx, t.tx, name)
		if err != nil {
			return err
		}
		f = v.Factory
		fields := map[string]any{}
		if in.Name != nil && domain.TidyName(*in.Name) != f.Name {
			newName := domain.TidyName(*in.Name)
			if other, err := findFactory(ctx, t.tx, newName); err == nil && other.ID != f.ID {
				return domain.Errorf(domain.EConflict, "there is already a factory named %q; choose another name", other.Name)
			} else if err != nil && domain.ErrorCode(err) != domain.ENotFound {
				return err
			}
			f.Name, fields["name"] = newName, newName
		}
		if in.LeadDays != nil && *in.LeadDays != f.LeadDays {
			f.LeadDays, fields["lead_days"] = *in.LeadDays, *in.LeadDays
		}
		if in.Location != nil && *in.Location != f.Location {
			f.Location, fields["location"] = *in.Location, *in.Location
		}
		if in.MOQ != nil && *in.MOQ != f.MOQ {
			f.MOQ, fields["moq"] = *in.MOQ, *in.MOQ
		}
		if in.Multiple != nil && *in.Multiple != f.Multiple {
			f.Multiple, fields["multiple"] = *in.Multiple, *in.Multiple
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if len(fields) == 0 {
			return nil // as it was: nothing to write, nothing to sync
		}
		return t.setRecord("factory", f.ID, fields)
	})
	return f, err
}

// factoryColumns are a factory's columns as FactoryView holds them. A
// pause that a batch's failed QA set does not hold once that batch reads
// passed: two devices deciding one batch apart keep the later decision,
// and a pass that won left the factory paused by the fail that lost, its
// reason naming a failure no longer there. Read so, every device holding
// the same changes agrees, and applying them writes nothing more.
const factoryColumns = `f.id, f.name, f.kind, f.location, f.lead_days, f.moq, f.multiple, f.established,
	f.paused AND NOT (f.pause_reason LIKE 'batch % of %' AND EXISTS (SELECT 1 FROM batches b
		WHERE b.factory_id = f.id AND b.qa = 'passed' AND substr(f.pause_reason, 1, length(b.id) + 10) = 'batch ' || b.id || ' of '
		AND substr(f.pause_reason, -length(` + failTailSQL + `)) = ` + failTailSQL + `)),
	f.pause_reason, f.resumed_at, f.quality_paused_at,
	(SELECT count(*) FROM batches b WHERE b.factory_id = f.id AND b.qa = 'passed')`

func scanFactory(sc interface{ Scan(...any) error }) (FactoryView, error) {
	var v FactoryView
	err := sc.Scan(&v.ID, &v.Name, &v.Kind, &v.Location, &v.LeadDays, &v.MOQ, &v.Multiple, &v.Established, &v.Paused, &v.PauseReason, &v.ResumedAt, &v.QualityPausedAt, &v.Passed)
	v.New = v.IsNew(v.Passed)
	return v, err
}

// findFactory looks a factory up by name, ignoring case and how many
// spaces are between its words.
func findFactory(ctx context.Context, q queryer, name string) (FactoryView, error) {
	name = domain.TidyName(name)
	v, err := scanFactory(q.QueryRowContext(ctx, `SELECT `+factoryColumns+` FROM factories f WHERE f.name = ? COLLATE NOCASE ORDER BY f.id LIMIT 1`, name))
	if err == sql.ErrNoRows {
		id, ferr := untidyFactory(ctx, q, name)
		if ferr != nil {
			return v, ferr
		}
		v, err = scanFactory(q.QueryRowContext(ctx, `SELECT `+factoryColumns+` FROM factories f WHERE f.id = ?`, id))
	}
	if err == sql.ErrNoRows {
		return v, notFound("factory", name, domain.RemedyListFactories)
	}
	return v, err
}

// untidyFactory is the id of the factory whose name, tidied, is name, ""
// if none: one named before names were tidied (or by an older device) may
// hold two spaces in a row, which no one sees in a list.
func untidyFactory(ctx context.Context, q queryer, name string) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM factories WHERE instr(name, '  ') > 0 ORDER BY id`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var id, n string
		if err := rows.Scan(&id, &n); err != nil {
			return "", err
		}
		if strings.EqualFold(domain.TidyName(n), name) {
			return id, nil
		}
	}
	return "", rows.Err()
}

// Factories lists every factory by name, with its quality record as of t.
func (s *Shop) Factories(ctx context.Context, asOf AsOf) ([]FactoryView, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+factoryColumns+` FROM factories f ORDER BY f.name COLLATE NOCASE, f.id`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	var out []FactoryView
	for rows.Next() {
		v, err := scanFactory(rows)
		if err != nil {
			rows.Close()
			return nil, storeError(s.path, err)
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	fs := make([]*FactoryView, len(out))
	for i := range out {
		out[i].wantSold = true
		fs[i] = &out[i]
	}
	if err := pausedAsOf(ctx, s.db, fs, asOf, s.Now()); err != nil {
		return nil, storeError(s.path, err)
	}
	if err := nameFailures(ctx, s.db, fs, s.loc); err != nil {
		return nil, storeError(s.path, err)
	}
	if err := judgeQuality(ctx, s.db, fs, asOf); err != nil {
		return nil, storeError(s.path, err)
	}
	return out, nil
}

// Factory is one factory by name, with its quality record as of asOf.
func (s *Shop) Factory(ctx context.Context, name string, asOf AsOf) (FactoryView, error) {
	v, err := findFactory(ctx, s.db, name)
	if err != nil {
		return v, err
	}
	v.wantSold = true
	if err := pausedAsOf(ctx, s.db, []*FactoryView{&v}, asOf, s.Now()); err != nil {
		return v, storeError(s.path, err)
	}
	if err := nameFailures(ctx, s.db, []*FactoryView{&v}, s.loc); err != nil {
		return v, storeError(s.path, err)
	}
	return v, judgeQuality(ctx, s.db, []*FactoryView{&v}, asOf)
}

// batchDecidedBefore reports whether the batch a failure's pause reason
// names (failReason) is of the factory, reads qa now, and was decided
// before end.
func batchDecidedBefore(ctx context.Context, q queryer, factoryID, reason string, qa domain.QA, end time.Time) (bool, error) {
	var found bool
	err := q.QueryRowContext(ctx, `SELECT 1 FROM batches WHERE factory_id = ?1 AND qa = ?2 AND qa_at < ?3
		AND substr(?4, 1, length(id) + 10) = 'batch ' || id || ' of '`, factoryID, qa, end.UnixMilli(), reason).Scan(&found)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return found, err
}

// failedLate finds a failed QA entered after end but decided before it:
// its pause holds from the decision's time, not from when it was typed,
// and a resume made after it was typed had not come yet at end.
func failedLate(ctx context.Context, q queryer, factoryID, before string, end time.Time) (bool, string, error) {
	rows, err := q.QueryContext(ctx, `SELECT value FROM field_versions
		WHERE entity = 'factory' AND entity_id = ? AND field = 'pause_reason' AND stamp >= ? ORDER BY stamp`, factoryID, before)
	if err != nil {
		return false, "", err
	}
	var reasons []string
	for rows.Next() {
		var raw []byte
		var reason string
		if err := rows.Scan(&raw); err != nil {
			rows.Close()
			return false, "", err
		}
		if json.Unmarshal(raw, &reason) == nil && strings.HasSuffix(reason, failTail) {
			reasons = append(reasons, reason)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, "", err
	}
	for _, reason := range reasons {
		failed, err := batchDecidedBefore(ctx, q, factoryID, reason, domain.QAFailed, end)
		if err != nil || failed {
			return failed, reason, err
		}
	}
	return false, "", nil
}

// pausedAsOf sets each factory's pause, resume and quality pause to what
// they were at asOf's end, for a report of a day gone: they are fields of
// the factory's record, and a pause or resume made since showed on every
// earlier day ("paused" on 1 October for a pause of 5 December). Every
// version of a field is kept with its clock stamp (field_versions), so the
// value at a moment is the last one stamped before it. A pause a failed
// QA set holds only while that batch had not passed, as now.
func pausedAsOf(ctx context.Context, q queryer, fs []*FactoryView, asOf AsOf, now time.Time) error {
	if !asOf.gone(now) {
		return nil
	}
	before := stampBefore(asOf.End)
	for _, f := range fs {
		then, err := pauseFieldsBefore(ctx, q, f.ID, before)
		if err != nil {
			return err
		}
		if !then.Paused {
			if then.Paused, then.PauseReason, err = failedLate(ctx, q, f.ID, before, asOf.End); err != nil {
				return err
			}
		}
		if then.Paused && strings.HasSuffix(then.PauseReason, failTail) {
			passed, err := batchDecidedBefore(ctx, q, f.ID, then.PauseReason, domain.QAPassed, asOf.End)
			if err != nil {
				return err
			}
			then.Paused = !passed
		}
		// A resume entered late (--at) lifts the pause from its own time.
		if !f.Paused && f.ResumedAt > then.ResumedAt && f.ResumedAt < asOf.End.UnixMilli() {
			then.Paused, then.ResumedAt, then.QualityPausedAt = false, f.ResumedAt, 0
		}
		if !then.Paused {
			then.PauseReason = ""
		}
		f.Paused, f.PauseReason, f.ResumedAt, f.QualityPausedAt = then.Paused, then.PauseReason, then.ResumedAt, then.QualityPausedAt
	}
	return nil
}

// pausedThen is a factory's pause fields at a moment.
type pausedThen struct {
	Paused          bool
	PauseReason     string
	ResumedAt       int64
	QualityPausedAt int64
}

// pauseFieldsBefore reads the factory's pause fields as the versions
// stamped before `before` left them; a field not set yet is false, "" or 0.
func pauseFieldsBefore(ctx context.Context, q queryer, id, before string) (pausedThen, error) {
	var p pausedThen
	for _, v := range []struct {
		field string
		into  any
	}{{"paused", &p.Paused}, {"pause_reason", &p.PauseReason}, {"resumed_at", &p.ResumedAt}, {"quality_paused_at", &p.QualityPausedAt}} {
		var raw []byte
		err := q.QueryRowContext(ctx, `SELECT value FROM field_versions
			WHERE entity = 'factory' AND entity_id = ? AND field = ? AND stamp < ? ORDER BY stamp DESC LIMIT 1`, id, v.field, before).Scan(&raw)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return p, err
		}
		// A value this build cannot read counts as unset, as materializing
		// it does.
		_ = json.Unmarshal(raw, v.into)
	}
	return p, nil
}

// judgeQuality applies the quality pause rule to factories: units sold
// from each and its quality returns over the trailing 90 days, counted from
// when it was last resumed if that is later. Each start needs one pass over
// the window's returns, and its sales only when a return counts.
func judgeQuality(ctx context.Context, q queryer, fs []*FactoryView, asOf AsOf) error {
	return judgeQualityWith(ctx, q, fs, asOf, ledgerCounts{})
}

// qualityCounts counts what the quality rule weighs over [from, to): each
// factory's quality returns (only's alone when only is set) and units
// sold, straight from the store or through the shop's cache.
type qualityCounts interface {
	returns(ctx context.Context, q queryer, from, to int64, only string) (map[string]int, error)
	sold(ctx context.Context, q queryer, from, to int64) (map[string]int, error)
}

// ledgerCounts counts from the store.
type ledgerCounts struct{}

func (ledgerCounts) returns(ctx context.Context, q queryer, from, to int64, only string) (map[string]int, error) {
	return qualityReturns(ctx, q, from, to, only)
}

func (ledgerCounts) sold(ctx context.Context, q queryer, from, to int64) (map[string]int, error) {
	return soldByFactory(ctx, q, from, to)
}

// judgeQualityWith is judgeQuality counting with count.
func judgeQualityWith(ctx context.Context, q queryer, fs []*FactoryView, asOf AsOf, count qualityCounts) error {
	base := domain.AddDays(asOf.Day, -domain.ReturnWindowDays+1).UnixMilli()
	end := asOf.End.UnixMilli()
	byFrom := map[int64][]*FactoryView{}
	for _, f := range fs {
		from := max(base, f.ResumedAt) // a report of a day gone has it as of then (pausedAsOf)
		byFrom[from] = append(byFrom[from], f)
	}
	only := "" // one factory: its own rows are read, not every factory's
	if len(fs) == 1 {
		only = fs[0].ID
	}
	for from, group := range byFrom {
		countedSince(group, from, base, asOf.Day.Location())
		quality, err := count.returns(ctx, q, from, end, only)
		if err != nil {
			return err
		}
		needSold := false
		for _, f := range group {
			f.QualityReturns = quality[f.ID]
			needSold = needSold || f.QualityReturns > 0 || f.wantSold
		}
		if !needSold {
			continue // no quality return, no pause: the sales need no counting
		}
		sold, err := count.sold(ctx, q, from, end)
		if err != nil {
			return err
		}
		for _, f := range group {
			f.Sold = sold[f.ID]
			f.QualityOver = domain.QualityPause(f.Sold, f.QualityReturns)
		}
	}
	for _, f := range fs {
		held := f.QualityPausedAt > f.ResumedAt && f.QualityPausedAt < end
		f.QualityPaused = f.QualityOver || held
	}
	return nil
}

// QualityWindow says over what Sold and QualityReturns were counted: "in
// the last 90 days", or since the day a pause was lifted within them.
// Said as 90 days alone, a factory resumed after a quality pause read "0
// sold" beside the return rates' 30 sold and 3.3 % for the same days.
func (f FactoryView) QualityWindow() string {
	if f.CountedSince.IsZero() {
		return fmt.Sprintf("in the last %d days", domain.ReturnWindowDays)
	}
	return "since its pause was lifted on " + f.CountedSince.Format(time.DateOnly)
}

// countedSince notes on each factory of group when its quality counts
// start: from, when a lifted pause moved it past the window's base.
func countedSince(group []*FactoryView, from, base int64, loc *time.Location) {
	for _, f := range group {
		f.CountedSince = time.Time{}
		if from > base {
			f.CountedSince = time.UnixMilli(from).In(loc)
		}
	}
}

// qualityState says where a quality-paused factory's returns stand: over
// the limit, or under it again while the pause holds.
func (f FactoryView) qualityState() string {
	rate := domain.ReturnPercent(f.Sold, f.QualityReturns)
	if f.QualityOver {
		return fmt.Sprintf("quality returns are %s of %d units sold %s, above %d %%",
			rate, f.Sold, f.QualityWindow(), domain.ReturnLimitPercent)
	}
	return fmt.Sprintf("quality returns went above %d %% of units sold, and the pause holds: they are %s of %d %s now",
		domain.ReturnLimitPercent, rate, f.Sold, f.QualityWindow())
}

// noteQualityPause keeps, on the factory's record, the moment its quality
// returns went over the limit, once a return recorded here puts them
// there: the pause then holds until a QA pass or a resume, as its reason
// says. Judged only by the window, it lifted itself with the next few
// sales. A device that sees the limit passed only once another's returns
// arrive holds the pause by the window alone.
// It returns the factory when it paused it now, else nil.
func (t *txn) noteQualityPause(ctx context.Context, factoryID string) (*FactoryView, error) {
	if factoryID == "" {
		return nil, nil
	}
	f, err := findFactoryByID(ctx, t.tx, factoryID)
	if err != nil {
		return nil, err
	}
	if err := judgeQuality(ctx, t.tx, []*FactoryView{&f}, t.shop.AsOfNow()); err != nil {
		return nil, err
	}
	if !f.QualityPaused || f.QualityPausedAt > f.ResumedAt {
		return nil, nil // not over the limit, or noted already
	}
	return &f, t.setRecord("factory", f.ID, map[string]any{"quality_paused_at": t.now.UnixMilli()})
}

// qualityReturns is each factory's units returned for quality reasons in
// [from, to), or just one factory's when only names it.
func qualityReturns(ctx context.Context, q queryer, from, to int64, only string) (map[string]int, error) {
	query := `SELECT factory_id, sum(qty) FROM events
		WHERE kind = 'return' AND at >= ?1 AND at < ?2 AND factory_id <> '' AND reason IN (` + reasonList(domain.ClassQuality) + `)
		GROUP BY factory_id`
	if only != "" {
		query = `SELECT factory_id, sum(qty) FROM events
		WHERE kind = 'return' AND factory_id = ?3 AND at >= ?1 AND at < ?2 AND reason IN (` + reasonList(domain.ClassQuality) + `)
		GROUP BY factory_id`
	}
	return sumByID(ctx, q, query, from, to, only)
}

// soldByFactory is each factory's sales less voided sales in [from, to),
// digital SKUs' under "": the whole days between from factory_sales, the
// partial days at both ends from the time-led index.
func soldByFactory(ctx context.Context, q queryer, from, to int64) (map[string]int, error) {
	first, last := dayOf(from), dayOf(to-1)
	_, firstEnd := dayBounds(first)
	lastStart, _ := dayBounds(last)
	return sumByID(ctx, q, `SELECT factory_id, sum(n) FROM (
			SELECT factory_id, sold AS n FROM factory_sales WHERE day > ?1 AND day < ?2
			UNION ALL
			SELECT factory_id, CASE kind WHEN 'sale' THEN qty ELSE -qty END FROM events
			WHERE at >= ?3 AND at < min(?4, ?6) AND kind IN ('sale', 'void')
			UNION ALL
			SELECT factory_id, CASE kind WHEN 'sale' THEN qty ELSE -qty END FROM events
			WHERE at >= max(?5, ?3, ?4) AND at < ?6 AND kind IN ('sale', 'void'))
		GROUP BY factory_id`, first, last, from, firstEnd, lastStart, to)
}

// sumByID reads a query of (id, sum) rows into a map.
func sumByID(ctx context.Context, q queryer, query string, args ...any) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// PauseFactory stops batches being suggested from a factory.
func (s *Shop) PauseFactory(ctx context.Context, name, reason string) error {
	reason, err := domain.CleanNote("reason for the pause", reason)
	if err != nil {
		return err
	}
	if reason == "" {
		reason = "paused by hand"
	}
	return s.write(ctx, func(t *txn) error {
		f, err := findFactory(ctx, t.tx, name)
		if err != nil {
			return err
		}
		if f.Paused {
			if err := nameFailures(ctx, t.tx, []*FactoryView{&f}, s.loc); err != nil {
				return err
			}
			return domain.Errorf(domain.EConflict, "factory %q is already paused (%s)", f.Name, f.Reason()).With(domain.RemedyResumeFactory)
		}
		return t.setRecord("factory", f.ID, map[string]any{"paused": true, "pause_reason": reason})
	})
}

// ResumeFactory lifts a pause now, and starts the quality rule's count
// afresh.
func (s *Shop) ResumeFactory(ctx context.Context, name string) error {
	return s.ResumeFactoryAt(ctx, name, time.Time{})
}

// ResumeFactoryAt lifts a pause as of at (zero: now), as an event's --at
// records history: reports of days from then show it resumed (pausedAsOf).
func (s *Shop) ResumeFactoryAt(ctx context.Context, name string, at time.Time) error {
	dated := !at.IsZero()
	return s.write(ctx, func(t *txn) error {
		at := orNow(at, t.now)
		if err := t.checkAt(at); err != nil {
			return err
		}
		f, err := findFactory(ctx, t.tx, name)
		if err != nil {
			return err
		}
		if err := judgeQuality(ctx, t.tx, []*FactoryView{&f}, t.shop.AsOfNow()); err != nil {
			return err
		}
		if !f.Blocked() {
			return domain.Errorf(domain.EConflict, "factory %q is not paused; nothing to resume", f.Name)
		}
		// A resume of now is never refused for a pause stamped later: that
		// is another device's clock running ahead, not a date mistyped.
		if dated {
			if err := resumeAfterPause(ctx, t, f, at); err != nil {
				return err
			}
		}
		if err := t.setRecord("factory", f.ID, map[string]any{"paused": false, "pause_reason": "", "resumed_at": at.UnixMilli(), "quality_paused_at": 0}); err != nil {
			return err
		}
		// The quality rule counts returns from the resume on: one dated
		// before the returns that paused it counts them again, and the
		// factory stayed paused under a "resumed" that changed nothing.
		after, err := findFactory(ctx, t.tx, f.Name)
		if err != nil {
			return err
		}
		if err := judgeQuality(ctx, t.tx, []*FactoryView{&after}, t.shop.AsOfNow()); err != nil {
			return err
		}
		if after.Blocked() {
			return domain.Errorf(domain.EInvalid, "a resume at %s would leave factory %q paused: its quality returns counted from then are still over %d %% of units sold; %s",
				at.In(t.shop.loc).Format("2006-01-02 15:04"), f.Name, domain.ReturnLimitPercent, laterResume(after))
		}
		return nil
	})
}

// resumeAfterPause refuses a resume at a moment before the stored pause
// it lifts began: it was taken, and the factory read as resumed months
// before it was paused. A quality pause is left to the check after the
// resume, which counts the returns from it.
func resumeAfterPause(ctx context.Context, t *txn, f FactoryView, at time.Time) error {
	since, err := pausedSince(ctx, t.tx, f)
	if err != nil || since.IsZero() || !at.Before(since) {
		return err
	}
	return domain.Errorf(domain.EInvalid, "factory %q was paused on %s, after the resume's %s; a resume comes after the pause it lifts: give a time from %s on",
		f.Name, since.In(t.shop.loc).Format("2006-01-02 15:04"), at.In(t.shop.loc).Format("2006-01-02 15:04"), since.In(t.shop.loc).Format("2006-01-02 15:04"))
}

// pausedSince is when the factory's stored pause began: the failed QA's
// own time for a pause by QA (entered late, it is dated with --at), else
// when the pause was recorded. Zero when no pause is stored.
func pausedSince(ctx context.Context, q queryer, f FactoryView) (time.Time, error) {
	if !f.Paused {
		return time.Time{}, nil
	}
	var ms int64
	var err error
	if strings.HasSuffix(f.PauseReason, failTail) {
		err = q.QueryRowContext(ctx, `SELECT qa_at FROM batches WHERE factory_id = ?1 AND qa = ?2
			AND substr(?3, 1, length(id) + 10) = 'batch ' || id || ' of '`, f.ID, domain.QAFailed, f.PauseReason).Scan(&ms)
	} else {
		var stamp string
		err = q.QueryRowContext(ctx, `SELECT stamp FROM field_versions
			WHERE entity = 'factory' AND entity_id = ? AND field = 'paused' ORDER BY stamp DESC LIMIT 1`, f.ID).Scan(&stamp)
		if err == nil {
			var st changes.Stamp
			st, err = changes.ParseStamp(stamp)
			ms = st.Wall
		}
	}
	if err == sql.ErrNoRows || (err == nil && ms <= 0) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("when factory %s was paused: %w", f.Name, err)
	}
	return time.UnixMilli(ms), nil
}

// AsOf is the moment a report describes: the end of Day, or now.
type AsOf struct {
	Day time.Time // start of the report's day, in the shop's time zone
	End time.Time // exclusive: events before it count
	// now marks AsOfNow's: its records are read as they are stored,
	// however far the clock has moved since it was taken.
	now bool
}

// AsOfNow is the state right now.
func (s *Shop) AsOfNow() AsOf {
	now := s.Now()
	return AsOf{Day: domain.StartOfDay(now), End: now.Add(time.Millisecond), now: true}
}

// gone reports whether a is a moment gone by now: a report of it reads
// records (a factory's pause, a SKU) as they were at its end, from the
// versions of their fields (pausedAsOf, skusAsOf); a report of now, or of
// a day not over yet, reads them as they are.
func (a AsOf) gone(now time.Time) bool { return !a.now && a.End.Before(now) }

// AsOfDate is the state at the end of the given day.
func (s *Shop) AsOfDate(day time.Time) AsOf {
	d := domain.StartOfDay(day.In(s.loc))
	return AsOf{Day: d, End: domain.AddDays(d, 1)}
}

// Window is the report's 28-day rate window.
func (a AsOf) Window() domain.Window { return domain.RateWindow(a.Day, a.End) }
