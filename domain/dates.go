package domain

import (
	"strings"
	"time"
)

// ParseAt reads when an event happened: RFC 3339 ("2026-05-01T14:30:00+02:00"),
// a local date and time ("2026-05-01T14:30" or "2026-05-01 14:30"), or a date
// ("2026-05-01"), which means noon local time so the day is right whatever
// the time zone's daylight-saving shifts.
func ParseAt(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc), nil
	}
	return time.Time{}, Errorf(EInvalid, "%q is not a time; use RFC 3339 like 2026-05-01T14:30:00+02:00 or a date like 2026-05-01", s)
}

// ParseAtNow is ParseAt for someone typing it at the moment now: a bare
// date of today means now, not noon. A count typed as today is of the
// shelf as it is, after the day's sales so far; at noon, the sales of the
// afternoon already made were taken off it again (8 counted, 16 shown),
// and a sale typed as today before noon was in the future.
func ParseAtNow(s string, loc *time.Location, now time.Time) (time.Time, error) {
	t, err := ParseAt(s, loc)
	if err != nil {
		return t, err
	}
	if d, derr := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc); derr == nil {
		if y, m, day := now.In(loc).Date(); d.Year() == y && d.Month() == m && d.Day() == day {
			return now, nil
		}
	}
	return t, nil
}

// ParseDate reads a calendar date ("2026-05-01") in loc and returns the
// start of that day.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}, Errorf(EInvalid, "%q is not a date; use YYYY-MM-DD like 2026-05-01", s)
	}
	return d, nil
}

// ParseReportDay reads the day a report describes: one that has begun by
// now, from 2000 on, as events are. A day ahead was answered as if
// nothing would sell until then, every rate 0.
func ParseReportDay(s string, loc *time.Location, now time.Time) (time.Time, error) {
	d, err := ParseDate(s, loc)
	if err != nil {
		return d, err
	}
	today := StartOfDay(now.In(loc))
	switch {
	case d.After(today):
		return time.Time{}, Errorf(EInvalid, "%s is after today (%s); a report describes a day that has begun", d.Format(time.DateOnly), today.Format(time.DateOnly))
	case d.Before(EarliestEvent):
		return time.Time{}, Errorf(EInvalid, "%s is before the year 2000, when the first events can be; give a day from 2000-01-01 on", d.Format(time.DateOnly))
	}
	return d, nil
}

// StartOfDay is midnight at the start of t's day in t's location.
func StartOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// AddDays moves a day start by n calendar days, keeping midnight across
// daylight-saving changes.
func AddDays(day time.Time, n int) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, day.Location())
}

// RateWindow is the window of a report as of t: the RateWindowDays days
// ending with t's day, ending at end (exclusive).
func RateWindow(t time.Time, end time.Time) Window {
	today := StartOfDay(t)
	w := Window{DayStarts: make([]int64, RateWindowDays), End: end.UnixMilli()}
	for i := range RateWindowDays {
		w.DayStarts[i] = AddDays(today, i-RateWindowDays+1).UnixMilli()
	}
	return w
}

// Limits on when an event can have happened. A time beyond them is a typing
// slip (a year off, a day and month swapped), and once recorded it would
// skew stock and rates for years.
const MaxAhead = 24 * time.Hour // a clock or time zone a little off is fine

// EarliestEvent is the first moment an event may be dated: nothing a maker
// records with Microshop happened before 2000.
var EarliestEvent = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// CheckEventTime refuses an event dated more than MaxAhead after now, or
// before EarliestEvent.
func CheckEventTime(at, now time.Time) error {
	const layout = "2006-01-02 15:04"
	if at.After(now.Add(MaxAhead)) {
		return Errorf(EInvalid, "%s is more than a day ahead of now (%s); record an event when it happened, and check the year and the day",
			at.Format(layout), now.In(at.Location()).Format(layout))
	}
	if at.Before(EarliestEvent) {
		return Errorf(EInvalid, "%s is before the year 2000; give when it happened, from 2000-01-01 on", at.Format(layout))
	}
	return nil
}
