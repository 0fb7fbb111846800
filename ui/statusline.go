package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
)

// statusLine is the bar under every screen: online or offline, unsynced
// changes and the last sync, honestly.
type statusLine struct {
	u        *UI
	obj      fyne.CanvasObject
	icon     *widget.Icon
	online   *widget.Label
	unsynced *widget.Label
	last     *widget.Label
	trouble  *widget.Label
	gen      int
	// stored is when the shop file says it last synced, as load last read
	// it: `microshopctl sync` and a join record it there, where the
	// controller, which counts this window's syncs, does not see it.
	stored time.Time
	// busy is set while a change asked for here waits for another
	// program writing to the shop: the line says so until it goes on.
	busy bool
}

// waitingText is what the line says while a change waits for another
// program writing to the shop (an import or a sync of microshopctl).
const waitingText = "Waiting: another program is writing to the shop…"

func newStatusLine(u *UI) *statusLine {
	s := &statusLine{u: u, icon: widget.NewIcon(nil), online: widget.NewLabel("Offline"),
		unsynced: widget.NewLabel(""), last: widget.NewLabel(""), trouble: widget.NewLabel("")}
	s.trouble.Importance = widget.DangerImportance
	s.trouble.Truncation = fyne.TextTruncateEllipsis
	s.trouble.Hide()
	s.obj = container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil,
		container.NewHBox(s.icon, s.online, widget.NewSeparator(), s.unsynced, widget.NewSeparator(), s.last),
		nil, s.trouble))
	return s
}

func (s *statusLine) content() fyne.CanvasObject { return s.obj }

// load reads the shop's sync state and shows it with the controller's.
// It leaves the count of changes the screens have shown alone: it is
// called when the app's sync reports, and a change that came meanwhile
// (a conflict settled on another device, through microshopctl sync) was
// counted as shown, the screens never read again.
func (s *statusLine) load() {
	s.gen++
	gen := s.gen
	s.u.run(func(ctx context.Context) (func(), error) {
		st, err := s.u.shop.Status(ctx)
		if err != nil {
			return nil, err
		}
		var stored time.Time
		if ms, err := s.u.shop.LastSync(ctx); err == nil && ms > 0 {
			stored = time.UnixMilli(ms)
		}
		return func() {
			if gen != s.gen {
				return
			}
			moved := !stored.Equal(s.stored)
			s.stored = stored
			s.show(st, s.syncStatus())
			// The Sync screen says when the shop last synced too, from
			// the same two clocks: from the controller's alone it said
			// 04:50 under the status line's 04:55, the time of a
			// `microshopctl sync` run beside the app.
			if moved && s.u.syncView != nil && s.u.currentScreen() == s.u.syncView {
				s.u.syncView.showStatus()
			}
		}, nil
	})
}

// syncStatus is the controller's status with the shop's last sync, the
// later of the controller's and the one the shop file records.
func (s *statusLine) syncStatus() SyncStatus {
	st := s.u.sync.Status()
	if s.stored.After(st.LastSync) {
		st.LastSync = s.stored
	}
	return st
}

func (s *statusLine) show(st app.SyncStatus, sync SyncStatus) {
	s.icon.SetResource(syncIcon(sync))
	// The state in a few words; a sync error's reason goes on the line's
	// right, where it is cut to fit: whole here, a long one made the
	// window wider than the screen, and it could not be made narrower.
	state, reason, _ := strings.Cut(syncText(sync), ": ")
	if sync.Online() {
		state = "Online · " + state
	}
	s.online.SetText(state)
	switch st.Unsynced {
	case 0:
		s.unsynced.SetText("all changes synced")
		if sync.LastSync.IsZero() {
			s.unsynced.SetText("no unsynced changes")
		}
	case 1:
		s.unsynced.SetText("1 unsynced change")
	default:
		s.unsynced.SetText(formatInt(st.Unsynced) + " unsynced changes")
	}
	s.last.SetText(lastSyncText(sync.LastSync, s.u.shop.Now()))
	if s.busy {
		return
	}
	s.trouble.SetText(reason)
	s.trouble.Hidden = reason == ""
	s.trouble.Refresh()
}

// waiting says, while on, that a change asked for here waits for another
// program writing to the shop, and is recorded once it has finished: a
// tap that showed nothing for seconds was tapped again.
func (s *statusLine) waiting(on bool) {
	s.busy = on
	if on {
		s.trouble.Importance = widget.WarningImportance
		s.trouble.SetText(waitingText)
		s.trouble.Show()
		return
	}
	s.trouble.Importance = widget.DangerImportance
	s.trouble.Hide()
	s.load()
}

// problem shows a failed read; the next successful one clears it.
func (s *statusLine) problem(err error) {
	s.trouble.SetText(errorText(err))
	s.trouble.Show()
}

func formatInt(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	digits := []byte{}
	for i := 0; ; i++ {
		if i > 0 && i%3 == 0 {
			digits = append(digits, ',')
		}
		digits = append(digits, byte('0'+n%10))
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		digits = append(digits, '-')
	}
	for i, j := 0, len(digits)-1; i < j; i, j = i+1, j-1 {
		digits[i], digits[j] = digits[j], digits[i]
	}
	return string(digits)
}
