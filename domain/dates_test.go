package domain_test

import (
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin even where the system has no zoneinfo

	"microshop/domain"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load Europe/Berlin: %v", err)
	}
	return loc
}

func TestParseAt(t *testing.T) {
	loc := berlin(t)
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"RFC 3339 with offset", "2026-05-01T14:30:00+02:00", time.Date(2026, 5, 1, 12, 30, 0, 0, time.UTC)},
		{"RFC 3339 in UTC", "2026-05-01T12:30:00Z", time.Date(2026, 5, 1, 12, 30, 0, 0, time.UTC)},
		{"RFC 3339 with fraction", "2026-05-01T12:30:00.250Z", time.Date(2026, 5, 1, 12, 30, 0, 250e6, time.UTC)},
		{"local date and time with T", "2026-05-01T14:30", time.Date(2026, 5, 1, 14, 30, 0, 0, loc)},
		{"local date and time with space", "2026-05-01 14:30", time.Date(2026, 5, 1, 14, 30, 0, 0, loc)},
		{"local with seconds and T", "2026-05-01T14:30:15", time.Date(2026, 5, 1, 14, 30, 15, 0, loc)},
		{"local with seconds and space", "2026-05-01 14:30:15", time.Date(2026, 5, 1, 14, 30, 15, 0, loc)},
		{"local in winter time", "2026-01-15 09:00", time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)},
		{"date is noon local", "2026-05-01", time.Date(2026, 5, 1, 12, 0, 0, 0, loc)},
		{"date on the spring DST change", "2026-03-29", time.Date(2026, 3, 29, 10, 0, 0, 0, time.UTC)},
		{"date on the autumn DST change", "2026-10-25", time.Date(2026, 10, 25, 11, 0, 0, 0, time.UTC)},
		{"surrounding space", "  2026-05-01  ", time.Date(2026, 5, 1, 12, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseAt(tt.in, loc)
			if err != nil {
				t.Fatalf("ParseAt(%q) error = %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseAt(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseAtDateKeepsTheDay(t *testing.T) {
	// A date must mean that day in the shop's zone, wherever the zone is.
	for _, name := range []string{"Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin", "America/New_York"} {
		t.Run(name, func(t *testing.T) {
			loc, err := time.LoadLocation(name)
			if err != nil {
				t.Fatalf("load %s: %v", name, err)
			}
			got, err := domain.ParseAt("2026-03-29", loc)
			if err != nil {
				t.Fatalf("ParseAt error = %v", err)
			}
			if y, m, d := got.In(loc).Date(); y != 2026 || m != time.March || d != 29 {
				t.Errorf("ParseAt(2026-03-29) in %s is on %d-%02d-%02d, want 2026-03-29", name, y, m, d)
			}
		})
	}
}

func TestParseAtRejects(t *testing.T) {
	loc := berlin(t)
	for _, in := range []string{"", "yesterday", "2026-13-01", "2026-02-30", "01/05/2026", "2026-05-01T25:00", "2026-05-01T14", "1714566600"} {
		t.Run(strconv.Quote(in), func(t *testing.T) {
			got, err := domain.ParseAt(in, loc)
			if err == nil {
				t.Fatalf("ParseAt(%q) = %v, nil; want an error", in, got)
			}
			checkInvalid(t, err, strconv.Quote(in), "2026-05-01")
		})
	}
}

func TestParseDate(t *testing.T) {
	loc := berlin(t)
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"summer", "2026-05-01", time.Date(2026, 4, 30, 22, 0, 0, 0, time.UTC)},
		{"winter", "2026-01-15", time.Date(2026, 1, 14, 23, 0, 0, 0, time.UTC)},
		{"spring DST day", "2026-03-29", time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC)},
		{"surrounding space", " 2026-05-01 ", time.Date(2026, 4, 30, 22, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseDate(tt.in, loc)
			if err != nil {
				t.Fatalf("ParseDate(%q) error = %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	for _, in := range []string{"", "2026-05-01T10:00", "1 May 2026", "2026-5-1"} {
		t.Run("reject "+strconv.Quote(in), func(t *testing.T) {
			_, err := domain.ParseDate(in, loc)
			checkInvalid(t, err, strconv.Quote(in), "YYYY-MM-DD")
		})
	}
}

func TestStartOfDayAndAddDays(t *testing.T) {
	loc := berlin(t)
	tests := []struct {
		name      string
		day       time.Time
		n         int
		want      time.Time
		wantHours float64
	}{
		{"ordinary day", time.Date(2026, 5, 1, 0, 0, 0, 0, loc), 1, time.Date(2026, 5, 2, 0, 0, 0, 0, loc), 24},
		{"spring DST day is 23 hours", time.Date(2026, 3, 29, 0, 0, 0, 0, loc), 1, time.Date(2026, 3, 30, 0, 0, 0, 0, loc), 23},
		{"autumn DST day is 25 hours", time.Date(2026, 10, 25, 0, 0, 0, 0, loc), 1, time.Date(2026, 10, 26, 0, 0, 0, 0, loc), 25},
		{"back across the spring change", time.Date(2026, 3, 30, 0, 0, 0, 0, loc), -2, time.Date(2026, 3, 28, 0, 0, 0, 0, loc), -47},
		{"across a month end", time.Date(2026, 1, 30, 0, 0, 0, 0, loc), 3, time.Date(2026, 2, 2, 0, 0, 0, 0, loc), 72},
		{"zero", time.Date(2026, 5, 1, 0, 0, 0, 0, loc), 0, time.Date(2026, 5, 1, 0, 0, 0, 0, loc), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.AddDays(tt.day, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddDays(%v, %d) = %v, want %v", tt.day, tt.n, got, tt.want)
			}
			if h := got.Sub(tt.day).Hours(); h != tt.wantHours {
				t.Errorf("AddDays(%v, %d) is %v hours later, want %v", tt.day, tt.n, h, tt.wantHours)
			}
		})
	}

	starts := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"afternoon", time.Date(2026, 5, 1, 15, 4, 5, 6, loc), time.Date(2026, 5, 1, 0, 0, 0, 0, loc)},
		{"midnight", time.Date(2026, 5, 1, 0, 0, 0, 0, loc), time.Date(2026, 5, 1, 0, 0, 0, 0, loc)},
		{"last moment", time.Date(2026, 5, 1, 23, 59, 59, 999999999, loc), time.Date(2026, 5, 1, 0, 0, 0, 0, loc)},
		{"after the spring change", time.Date(2026, 3, 29, 14, 0, 0, 0, loc), time.Date(2026, 3, 29, 0, 0, 0, 0, loc)},
	}
	for _, tt := range starts {
		t.Run("StartOfDay "+tt.name, func(t *testing.T) {
			if got := domain.StartOfDay(tt.in); !got.Equal(tt.want) {
				t.Errorf("StartOfDay(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestRateWindow(t *testing.T) {
	loc := berlin(t)
	tests := []struct {
		name      string
		asOf      time.Time
		wantFirst time.Time
		wantLast  time.Time
	}{
		{"ordinary", time.Date(2026, 5, 20, 15, 0, 0, 0, loc), time.Date(2026, 4, 23, 0, 0, 0, 0, loc), time.Date(2026, 5, 20, 0, 0, 0, 0, loc)},
		{"as of midnight", time.Date(2026, 5, 20, 0, 0, 0, 0, loc), time.Date(2026, 4, 23, 0, 0, 0, 0, loc), time.Date(2026, 5, 20, 0, 0, 0, 0, loc)},
		{"as of the last moment of the day", time.Date(2026, 5, 20, 23, 59, 59, 0, loc), time.Date(2026, 4, 23, 0, 0, 0, 0, loc), time.Date(2026, 5, 20, 0, 0, 0, 0, loc)},
		{"across the spring DST change", time.Date(2026, 4, 10, 9, 0, 0, 0, loc), time.Date(2026, 3, 14, 0, 0, 0, 0, loc), time.Date(2026, 4, 10, 0, 0, 0, 0, loc)},
		{"on the spring DST day", time.Date(2026, 3, 29, 12, 0, 0, 0, loc), time.Date(2026, 3, 2, 0, 0, 0, 0, loc), time.Date(2026, 3, 29, 0, 0, 0, 0, loc)},
		{"across the autumn DST change", time.Date(2026, 11, 1, 9, 0, 0, 0, loc), time.Date(2026, 10, 5, 0, 0, 0, 0, loc), time.Date(2026, 11, 1, 0, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end := tt.asOf.Add(time.Millisecond)
			w := domain.RateWindow(tt.asOf, end)
			if got, want := len(w.DayStarts), domain.RateWindowDays; got != want {
				t.Fatalf("len(DayStarts) = %d, want %d", got, want)
			}
			if got, want := w.End, end.UnixMilli(); got != want {
				t.Errorf("End = %d, want %d", got, want)
			}
			if got, want := w.Start(), tt.wantFirst.UnixMilli(); got != want {
				t.Errorf("first day starts %v, want %v", time.UnixMilli(got).In(loc), tt.wantFirst)
			}
			if got, want := w.DayStarts[len(w.DayStarts)-1], tt.wantLast.UnixMilli(); got != want {
				t.Errorf("last day starts %v, want %v", time.UnixMilli(got).In(loc), tt.wantLast)
			}
			for i, ms := range w.DayStarts {
				want := time.Date(tt.wantFirst.Year(), tt.wantFirst.Month(), tt.wantFirst.Day()+i, 0, 0, 0, 0, loc)
				if got := time.UnixMilli(ms).In(loc); !got.Equal(want) {
					t.Errorf("DayStarts[%d] = %v, want %v", i, got, want)
				}
			}
		})
	}
}

// A sale at 23:30 on the day before the spring DST change, and one at 00:30
// the day after it, fall into the right days of the window.
func TestRateWindowReplayAcrossDST(t *testing.T) {
	loc := berlin(t)
	asOf := time.Date(2026, 4, 10, 18, 0, 0, 0, loc)
	w := domain.RateWindow(asOf, asOf)
	moves := []domain.Movement{
		sale(time.Date(2026, 3, 28, 23, 30, 0, 0, loc).UnixMilli(), 1),
		sale(time.Date(2026, 3, 30, 0, 30, 0, 0, loc).UnixMilli(), 2),
	}
	r := domain.ReplayWindow(domain.Level{OnHand: 10}, moves, w)
	sold := map[string]int{}
	for _, d := range r.Days {
		if d.Sold > 0 {
			sold[time.UnixMilli(d.Start).In(loc).Format(time.DateOnly)] = d.Sold
		}
	}
	want := map[string]int{"2026-03-28": 1, "2026-03-30": 2}
	if len(sold) != len(want) || sold["2026-03-28"] != 1 || sold["2026-03-30"] != 2 {
		t.Errorf("sales by day = %v, want %v", sold, want)
	}
}

func TestCheckEventTime(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		at   time.Time
		want string // in the refusal; "" for accepted
	}{
		{"now", now, ""},
		{"a year ago", now.AddDate(-1, 0, 0), ""},
		{"23 hours ahead", now.Add(23 * time.Hour), ""},
		{"the first moment of 2000", domain.EarliestEvent, ""},
		{"25 hours ahead", now.Add(25 * time.Hour), "2026-06-02 13:00 is more than a day ahead"},
		{"a mistyped year", now.AddDate(30, 0, 0), "2056-06-01 12:00"},
		{"1999", time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC), "1999-12-31 23:00 is before the year 2000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.CheckEventTime(tt.at, now)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), tt.want) {
				t.Fatalf("err = %v, want a refusal saying %q", err, tt.want)
			}
		})
	}
}

// Today's date typed alone means now: a count of the shelf as it is. Any
// other date is noon of that day.
func TestParseAtNowTakesTodayAsNow(t *testing.T) {
	loc := time.FixedZone("fair", 2*3600)
	now := time.Date(2026, 12, 5, 17, 40, 0, 0, loc)
	if got, err := domain.ParseAtNow("2026-12-05", loc, now); err != nil || !got.Equal(now) {
		t.Errorf("today: %v, %v; want now, %v", got, err, now)
	}
	if got, err := domain.ParseAtNow("2026-12-04", loc, now); err != nil || !got.Equal(time.Date(2026, 12, 4, 12, 0, 0, 0, loc)) {
		t.Errorf("yesterday: %v, %v; want its noon", got, err)
	}
	if got, err := domain.ParseAtNow("2026-12-05T09:00", loc, now); err != nil || !got.Equal(time.Date(2026, 12, 5, 9, 0, 0, 0, loc)) {
		t.Errorf("today at 9: %v, %v; want 9:00 as typed", got, err)
	}
	if _, err := domain.ParseAtNow("05/12/2026", loc, now); err == nil {
		t.Error("a date in another form was accepted")
	}
}

// A report's day has begun and is from 2000 on: one ahead was answered as
// if nothing would sell until then.
func TestParseReportDay(t *testing.T) {
	now := time.Date(2026, 12, 5, 17, 0, 0, 0, time.UTC)
	for s, ok := range map[string]bool{"2026-12-05": true, "2026-12-04": true, "2000-01-01": true, "2026-12-06": false, "1999-12-31": false, "5/12/26": false} {
		if _, err := domain.ParseReportDay(s, time.UTC, now); (err == nil) != ok {
			t.Errorf("ParseReportDay(%q): %v, want accepted %v", s, err, ok)
		}
	}
}
