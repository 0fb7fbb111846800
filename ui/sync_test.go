package ui

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

// At 800×600 the relay's Connect and Disconnect show whole without
// scrolling, under the Devices card: they were half below the fold. The
// state and when the shop last synced share a line, where each took one.
func TestTheRelayButtonsShowWithoutScrolling(t *testing.T) {
	states := map[string]SyncStatus{
		"offline":    {},
		"up to date": {State: client.StateUpToDate, Relay: "wss://relay.example.com", LastSync: testNow.Add(-time.Hour)},
	}
	// The desktop window's menu bar takes some 30 of its height; the test
	// window has none.
	for _, size := range []fyne.Size{smallWindow.SubtractWidthHeight(0, 30), fyne.NewSize(1280, 994)} {
		for name, st := range states {
			t.Run(fmt.Sprint(size, " ", name), func(t *testing.T) {
				fake := &fakeSync{status: st}
				u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
				w.Resize(size)
				s := u.syncView
				var cards *container.Scroll
				walk(s.obj, func(o fyne.CanvasObject) bool {
					if sc, ok := o.(*container.Scroll); ok && cards == nil {
						walk(sc.Content, func(o fyne.CanvasObject) bool {
							if o == s.connect {
								cards = sc
							}
							return cards == nil
						})
					}
					return cards == nil
				})
				if cards == nil {
					t.Fatal("Connect is in no scroll")
				}
				d := fyne.CurrentApp().Driver()
				foot := d.AbsolutePositionForObject(cards).Y + cards.Size().Height
				for _, b := range []*widget.Button{s.connect, s.disconnect} {
					if bottom := d.AbsolutePositionForObject(b).Y + b.Size().Height; !b.Visible() || bottom > foot {
						t.Errorf("%s ends at %.0f, below the cards' foot at %.0f", b.Text, bottom, foot)
					}
				}
			})
		}
	}
}
