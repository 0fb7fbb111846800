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

// ParseDate reads a calendar date ("2026-05-01") in loc and returns the
// start of that day.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}, Errorf(EInvalid, "%q is not a date; use YYYY-MM-DD like 2026-05-01", s)
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
