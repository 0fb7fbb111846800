package ui

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/sync/client"
)

// Closing the window closes sync, not Disconnect: quitting is not the
// maker turning sync off, and the app came back offline after every
// restart.
func TestClosingTheWindowIsNoDisconnect(t *testing.T) {
	shop := stockedShop(t)
	fake := &fakeSync{}
	u, _ := newTestUI(t, shop, Options{NewSync: func(*app.Shop) SyncController { return fake }})
	u.Close()
	calls := fake.Calls()
	if !slices.Contains(calls, "close") || slices.Contains(calls, "disconnect") {
		t.Errorf("closing the window called %v, want close and no disconnect", calls)
	}
}

// Connect with the token left empty uses the one remembered for that
// relay, as the command line's sync does: a device joined with an invite
// never saw its token, and after a restart Connect said it was empty.
func TestConnectUsesTheRememberedToken(t *testing.T) {
	shop := stockedShop(t)
	if err := shop.SetSyncPeer(context.Background(), app.SyncPeer{Relay: "ws://127.0.0.1:7420", Token: "tok-remembered"}); err != nil {
		t.Fatal(err)
	}
	fake := &fakeSync{}
	u, _ := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	s.relay.SetText("ws://127.0.0.1:7420")
	s.token.SetText("")
	s.doConnect()
	if got := fieldError(t, s.relayForm, "Token"); got != "" || !slices.Contains(fake.Calls(), "connect ws://127.0.0.1:7420 tok-remembered") {
		t.Errorf("Connect with the token empty: %q under Token, calls %v; want the remembered token used", got, fake.Calls())
	}
}

// A device connected through a relay shows its token (as dots) beside the
// relay: the status filled the relay in first, and the token was then
// left out, so a device joined by an invite looked half set up. Enter in
// the token, the field typed last, connects.
func TestTheSyncScreenShowsTheTokenWithTheRelay(t *testing.T) {
	shop := stockedShop(t)
	if err := shop.SetSyncPeer(context.Background(), app.SyncPeer{Relay: "ws://127.0.0.1:7420", Token: "tok-remembered"}); err != nil {
		t.Fatal(err)
	}
	fake := &fakeSync{status: SyncStatus{State: client.StateUpToDate, Relay: "ws://127.0.0.1:7420"}}
	u, w := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	if s.relay.Text != "ws://127.0.0.1:7420" || s.token.Text != "tok-remembered" {
		t.Fatalf("the sync screen shows relay %q, token %q; want both", s.relay.Text, s.token.Text)
	}
	w.Canvas().Focus(s.token)
	s.token.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !slices.Contains(fake.Calls(), "connect ws://127.0.0.1:7420 tok-remembered") {
		t.Errorf("Enter in the token field: calls %v; want a connect", fake.Calls())
	}
}

// Connect and Disconnect show whole, without scrolling, at 800×600 and at
// 1280×1024, in every state of the screen: with the relay URL refused
// under its field, in a shop not yet sealed, and with changes refused.
// In each of those the text above them pushed Connect below the fold.
func TestTheRelayButtonsAreAlwaysInView(t *testing.T) {
	refused := SyncStatus{State: client.StateUpToDate, Relay: "wss://relay.example.com", LastSync: testNow.Add(-time.Hour),
		Err: "the shop was sealed on another device, so this device cannot read its changes; join with an invite from one of its devices to keep syncing"}
	cases := []struct {
		name     string
		unsealed bool
		status   SyncStatus
		prep     func(s *syncScreen)
	}{
		{"offline", false, SyncStatus{}, nil},
		{"up to date", false, SyncStatus{State: client.StateUpToDate, Relay: "wss://relay.example.com", LastSync: testNow.Add(-time.Hour)}, nil},
		{"connect with the relay URL blank", false, SyncStatus{}, func(s *syncScreen) {
			s.relay.SetText("")
			test.Tap(s.connect)
			if fieldError(t, s.relayForm, "Relay URL") == "" {
				t.Fatal("Connect with the relay URL blank says nothing under it")
			}
		}},
		{"not yet sealed", true, SyncStatus{}, nil},
		{"changes refused", false, refused, nil},
	}
	// The desktop window's menu bar takes some 30 of its height; the test
	// window has none.
	for _, size := range []fyne.Size{smallWindow.SubtractWidthHeight(0, 30), fyne.NewSize(1280, 994)} {
		for _, c := range cases {
			t.Run(fmt.Sprint(size, " ", c.name), func(t *testing.T) {
				shop := stockedShop(t)
				if c.unsealed {
					shop = unsealedShop(t)
				}
				fake := &fakeSync{status: c.status}
				u, w := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
				w.Resize(size)
				s := u.syncView
				if c.prep != nil {
					c.prep(s)
				}
				// The test canvas lays out again on a resize only, as the
				// desktop one does when what its objects need changes.
				w.Resize(size.AddWidthHeight(0, 1))
				w.Resize(size)
				for _, b := range []*widget.Button{s.connect, s.disconnect} {
					if why := outOfView(w, b); why != "" {
						t.Errorf("%s %s", b.Text, why)
					}
				}
			})
		}
	}
}

// Connect stands at the top of the screen, so at 800×600 what it says
// under the relay's fields, far below, is scrolled into view: the press
// had seemed to do nothing.
func TestConnectShowsWhatItSaysUnderTheFields(t *testing.T) {
	fake := &fakeSync{}
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	size := smallWindow.SubtractWidthHeight(0, 30)
	w.Resize(size)
	s := u.syncView
	s.relay.SetText("")
	s.token.SetText("")
	test.Tap(s.connect)
	if fieldError(t, s.relayForm, "Token") == "" {
		t.Fatal("Connect with the token blank says nothing under it")
	}
	for i, msg := range s.relayForm.msgs {
		if why := outOfView(w, msg); why != "" {
			t.Errorf("the error under field %d %s", i, why)
		}
	}
}

// outOfView says how o is not wholly in view in w, scrolled as it is, or
// "" when it is.
func outOfView(w fyne.Window, o fyne.CanvasObject) string {
	if !onScreen(w, o) {
		return "is not drawn"
	}
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(o).Y
	bottom := top + o.Size().Height
	if foot := w.Canvas().Size().Height; top < 0 || bottom > foot {
		return fmt.Sprintf("spans %.0f to %.0f, outside the window's 0 to %.0f", top, bottom, foot)
	}
	for _, sc := range scrollsAround(w.Canvas().Content(), o) {
		from := d.AbsolutePositionForObject(sc).Y
		if to := from + sc.Size().Height; top < from || bottom > to {
			return fmt.Sprintf("spans %.0f to %.0f, outside the %.0f to %.0f its scroll shows", top, bottom, from, to)
		}
	}
	return ""
}

// scrollsAround are the scrolls under root that hold o, outermost first.
func scrollsAround(root, o fyne.CanvasObject) []*container.Scroll {
	if root == o {
		return []*container.Scroll{}
	}
	var kids []fyne.CanvasObject
	switch c := root.(type) {
	case *container.Scroll:
		kids = []fyne.CanvasObject{c.Content}
	case fyne.Widget:
		kids = test.WidgetRenderer(c).Objects()
	case *fyne.Container:
		kids = c.Objects
	}
	for _, k := range kids {
		if inner := scrollsAround(k, o); inner != nil {
			if sc, ok := root.(*container.Scroll); ok {
				return append([]*container.Scroll{sc}, inner...)
			}
			return inner
		}
	}
	return nil
}
