package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"microshop/domain"
	"microshop/sync/changes"
)

// vetChange decides whether a well-formed change from another device may
// take effect here, and returns why not (a *domain.Error) when it may not.
// Such a change is quarantined: logged and forwarded like any other, so
// sync never stalls on it, but not applied. The decision rests on the
// change alone and the wall clock now, never on what the replica holds, so
// every replica decides alike and none is stuck waiting for another.
func vetChange(c changes.Change, e *event, st changes.Stamp, now time.Time) error {
	if ahead := st.Ahead(now); ahead > changes.MaxDrift {
		return domain.Errorf(domain.EInvalid, "its clock stamp is %s ahead of this device's clock, more than the %s allowed; check the date, time and time zone on that device",
			durationWords(ahead), durationWords(changes.MaxDrift))
	}
	return checkContent(c, e)
}

// checkContent checks a change's kind, id and body by the domain rules a
// local write follows. Local writes are checked too (see txn.append), so
// this device never sends what another would set aside.
func checkContent(c changes.Change, e *event) error {
	if err := domain.ValidateID("id", c.EntityID); err != nil {
		return err
	}
	switch {
	case isEvent(c.Entity):
		// The event decoder reads invalid UTF-8 as U+FFFD without a word.
		if !utf8.Valid(c.Body) {
			return domain.Errorf(domain.EInvalid, "it holds bytes that are not text")
		}
		if e == nil {
			return domain.Errorf(domain.EInvalid, "it is not a %s this version of Microshop can read", c.Entity)
		}
		return checkEvent(e)
	case isRecord(c.Entity):
		return checkRecord(c)
	}
	return domain.Errorf(domain.EInvalid, "it is a kind of change this version of Microshop does not know (%s)", domain.QuoteShort(c.Entity))
}

// quarantine records that a logged change was set aside, and why.
func quarantine(ctx context.Context, q queryer, c changes.Change, why error, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO quarantine (origin, seq, reason, at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, c.Origin, c.Seq, domain.ErrorMessage(why), now.UnixMilli())
	return err
}

// aheadStamps collects, over one batch, each origin's furthest-ahead stamp
// that was accepted although more than ReportDrift ahead.
type aheadStamps map[string]changes.Stamp

func (a *aheadStamps) note(st changes.Stamp, now time.Time) {
	if st.Ahead(now) <= changes.ReportDrift {
		return
	}
	if *a == nil {
		*a = aheadStamps{}
	}
	if prev, ok := (*a)[st.Device]; !ok || prev.Wall < st.Wall {
		(*a)[st.Device] = st
	}
}

// save keeps, per device, the furthest-ahead stamp seen, for the
// clock_ahead alert.
func (a aheadStamps) save(ctx context.Context, q queryer, now time.Time) error {
	for device, st := range a {
		if _, err := q.ExecContext(ctx, `INSERT INTO clock_ahead (origin, wall, ahead, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (origin) DO UPDATE SET wall = excluded.wall, ahead = excluded.ahead, at = excluded.at
			WHERE excluded.wall > clock_ahead.wall`, device, st.Wall, st.Ahead(now).Milliseconds(), now.UnixMilli()); err != nil {
			return err
		}
	}
	return nil
}

// Quarantined is a change from another device that was set aside.
type Quarantined struct {
	Origin string // the device that made it
	Seq    int64
	What   string // what it is, in words: "a sale of MUG"
	Reason string // why it was set aside
	At     time.Time
}

// maxQuarantineAlerts is how many set-aside changes the alerts name one by
// one; the rest are counted in one more.
const maxQuarantineAlerts = 20

// Quarantine lists the changes from other devices that were set aside,
// newest first; limit ≤ 0 lists them all.
func (s *Shop) Quarantine(ctx context.Context, limit int) ([]Quarantined, error) {
	if limit <= 0 {
		limit = -1 // SQLite's "no limit"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT q.origin, q.seq, q.reason, q.at, coalesce(c.entity, ''), coalesce(c.entity_id, ''), coalesce(c.body, '')
		FROM quarantine q LEFT JOIN changes c ON c.origin = q.origin AND c.seq = q.seq
		ORDER BY q.at DESC, q.origin, q.seq DESC LIMIT ?`, limit)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	type held struct {
		Quarantined
		entity, id string
		body       []byte
	}
	var list []held
	for rows.Next() {
		var h held
		var at int64
		if err := rows.Scan(&h.Origin, &h.Seq, &h.Reason, &at, &h.entity, &h.id, &h.body); err != nil {
			rows.Close()
			return nil, storeError(s.path, err)
		}
		h.At = time.UnixMilli(at).In(s.loc)
		list = append(list, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	out := make([]Quarantined, len(list))
	for i, h := range list {
		if h.What, err = s.describeChange(ctx, h.entity, h.id, h.body); err != nil {
			return nil, storeError(s.path, err)
		}
		out[i] = h.Quarantined
	}
	return out, nil
}

// describeChange says what a change is, in words, naming the SKU, factory
// or batch it is about as this shop knows it.
func (s *Shop) describeChange(ctx context.Context, entity, id string, body []byte) (string, error) {
	lookup := func(query, id string) (string, error) {
		var name string
		err := s.db.QueryRowContext(ctx, query, id).Scan(&name)
		if isNoRows(err) {
			return "", nil
		}
		return name, err
	}
	of := func(noun, query, id, unknown string) (string, error) {
		name, err := lookup(query, id)
		if name == "" {
			return noun + " " + unknown, err
		}
		return noun + " " + domain.QuoteShort(name), err
	}
	const skuCode = `SELECT code FROM skus WHERE id = ?`
	if noun, ok := eventNouns[entity]; ok {
		var e struct {
			SKUID string `json:"sku_id"`
		}
		json.Unmarshal(body, &e) // a body that is no event names no SKU
		return of(noun, skuCode, e.SKUID, "a SKU this shop does not have")
	}
	switch entity {
	case "sku":
		return of("an edit of SKU", skuCode, id, "that has not arrived here")
	case "factory":
		return of("an edit of factory", `SELECT name FROM factories WHERE id = ?`, id, "that has not arrived here")
	case "batch":
		return "an edit of batch " + domain.QuoteShort(id), nil
	case "shop":
		return "an edit of the shop's settings", nil
	case "location":
		return "an edit of location " + domain.QuoteShort(id), nil
	case "order":
		var fields changes.RecordBody
		json.Unmarshal(body, &fields) // a body that is no record says nothing of cancelling
		if _, shipped := fields["shipped_at"]; !shipped {
			if _, cancelled := fields["withdrawn_at"]; cancelled {
				return "the cancelling of an imported order", nil
			}
		}
		return "the shipping of an imported order", nil
	}
	return "a change of the unknown kind " + domain.QuoteShort(entity), nil
}

// eventNouns say what each kind of event is, before the SKU it is about.
var eventNouns = map[string]string{
	kindSale:    "a sale of",
	kindVoid:    "the undoing of a sale of",
	kindReceipt: "a delivery of",
	kindReturn:  "a return of",
	kindCount:   "a stock count of",
	kindAdjust:  "a stock adjustment of",
	kindMove:    "a move between locations of",
}

// syncAlerts are the alerts about what other devices sent: changes set
// aside, and devices whose clocks run ahead.
func (s *Shop) syncAlerts(ctx context.Context) ([]Alert, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM quarantine`).Scan(&total); err != nil {
		return nil, storeError(s.path, err)
	}
	var out []Alert
	if total > 0 {
		list, err := s.Quarantine(ctx, maxQuarantineAlerts)
		if err != nil {
			return nil, err
		}
		for _, q := range list {
			out = append(out, Alert{Kind: AlertQuarantined, Subject: fmt.Sprintf("%s/%d", q.Origin, q.Seq), Message: fmt.Sprintf(
				"Device %s sent %s that was set aside, not applied: %s. It is kept and passed on to your other devices, but changes nothing here; check Microshop on that device",
				q.Origin, q.What, q.Reason)})
		}
		if more := total - len(list); more > 0 {
			msg := fmt.Sprintf("%d more changes from other devices were set aside, not applied, before these", more)
			if more == 1 {
				msg = "1 more change from another device was set aside, not applied, before these"
			}
			out = append(out, Alert{Kind: AlertQuarantined, Subject: "more", Message: msg})
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT origin, ahead, at FROM clock_ahead WHERE wall > ? ORDER BY origin`, s.now().UnixMilli())
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var origin string
		var ahead, at int64
		if err := rows.Scan(&origin, &ahead, &at); err != nil {
			return nil, storeError(s.path, err)
		}
		out = append(out, Alert{Kind: AlertClockAhead, Subject: origin, Message: fmt.Sprintf(
			"Device %s's clock is %s ahead of this one's: changes it made arrived here on %s stamped that far in the future. Set the date, time and time zone right on that device; a change stamped more than %s ahead is set aside",
			origin, durationWords(time.Duration(ahead)*time.Millisecond), time.UnixMilli(at).In(s.loc).Format("2006-01-02 15:04"), durationWords(changes.MaxDrift))})
	}
	return out, rows.Err()
}

// durationWords says how long d is, roughly, for people: "12 minutes",
// "3 hours", "2 days", "40 years".
func durationWords(d time.Duration) string {
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	switch {
	case d >= 2*year:
		return plural(int(d/year), "year")
	case d >= 2*day:
		return plural(int(d/day), "day")
	case d >= time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(max(int(d/time.Minute), 1), "minute")
}
