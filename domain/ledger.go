package domain

import "math"

// Movement is one change to a SKU's stock, in the order it happened, at a
// location (Place, a location id). A count sets on hand there to OnHand
// (held units included); a move takes Moved units from Place to To; any
// other movement adds OnHand and Held to the running totals and Sold to
// the day's sales. ReplayWindow plays totals: Settle first turns movements
// at locations into what they do to the total.
type Movement struct {
	At     int64 // unix milliseconds
	Count  bool
	OnHand int
	Held   int
	Sold   int
	Place  string
	To     string
	Moved  int
}

// Level is a SKU's stock at one moment.
type Level struct {
	OnHand int // physical units, held ones included
	Held   int // units in QA hold: on hand but not sellable
}

// Available is on hand minus held: what can be sold.
func (l Level) Available() int { return l.OnHand - l.Held }

// Apply is the level after a movement.
func (l Level) Apply(m Movement) Level {
	if m.Count {
		l.OnHand = m.OnHand
	} else {
		l.OnHand += m.OnHand
	}
	l.Held += m.Held
	return l
}

// Window is a report's period: DayStarts are the starts of the days of the
// rate window, oldest first, in unix milliseconds; End is the exclusive end
// of the report (the end of its last day, or the moment just after now).
type Window struct {
	DayStarts []int64
	End       int64
}

// Start is the first instant of the window.
func (w Window) Start() int64 { return w.DayStarts[0] }

// Day is one day of the rate window.
type Day struct {
	Start     int64 // unix milliseconds
	Sold      int
	Available int  // available at the end of the day
	Active    bool // units were available at some moment, or something sold
}

// Replay is the result of playing a SKU's movements through a window.
type Replay struct {
	AtStart   Level // the level at the window's start
	AtLastDay Level // the level at the start of the window's last day
	AtEnd     Level // the level at the window's end
	Days      []Day
	// FirstAt is when the first movement played happened, NoEvents when
	// there was none: the SKU's first ledger event when play began at the
	// start of its ledger.
	FirstAt int64
	// Places are the levels at each location at the window's start and
	// end; nil when everything is at main.
	PlacesAtStart, Places Places
}

// NoEvents stands for the moment of a first event that has not happened.
const NoEvents = math.MaxInt64

// Rate is the daily rate over the window's active days.
func (r Replay) Rate() Rate { return WindowRate(r.Days) }

// WindowRate is the daily rate over a window's days: the units sold in
// them over the days on which units were available or something sold.
func WindowRate(days []Day) Rate {
	sold, active := 0, 0
	for _, d := range days {
		sold += d.Sold
		if d.Active {
			active++
		}
	}
	return DailyRate(sold, active)
}

// ReplayWindow plays movements, sorted by time, from a starting level that
// holds every movement before the first one given. Movements before the
// window only move the level; those at or after its end are ignored.
func ReplayWindow(start Level, moves []Movement, w Window) Replay {
	r := Replay{Days: make([]Day, len(w.DayStarts)), FirstAt: NoEvents}
	if len(moves) > 0 && moves[0].At < w.End {
		r.FirstAt = moves[0].At
	}
	level := start
	i := 0
	for i < len(moves) && moves[i].At < w.Start() {
		level = level.Apply(moves[i])
		i++
	}
	r.AtStart = level
	for d := range w.DayStarts {
		end := w.End
		if d+1 < len(w.DayStarts) {
			end = w.DayStarts[d+1]
		}
		if d == len(w.DayStarts)-1 {
			r.AtLastDay = level
		}
		day := Day{Start: w.DayStarts[d], Active: level.Available() > 0}
		for i < len(moves) && moves[i].At < end {
			level = level.Apply(moves[i])
			day.Sold += moves[i].Sold
			if level.Available() > 0 || moves[i].Sold > 0 {
				day.Active = true
			}
			i++
		}
		day.Available = level.Available()
		r.Days[d] = day
	}
	r.AtEnd = level
	return r
}
