package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/sync/changes"
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
	if err := shop.SetSyncPeer(context.Background(), app.SyncPeer{Relay: "ws://127.0.0.1:7420", Token: someToken}); err != nil {
		t.Fatal(err)
	}
	fake := &fakeSync{status: SyncStatus{State: client.StateUpToDate, Relay: "ws://127.0.0.1:7420"}}
	u, w := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	if s.relay.Text != "ws://127.0.0.1:7420" || s.token.Text != someToken {
		t.Fatalf("the sync screen shows relay %q, token %q; want both", s.relay.Text, s.token.Text)
	}
	w.Canvas().Focus(s.token)
	s.token.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !slices.Contains(fake.Calls(), "connect ws://127.0.0.1:7420 "+someToken) {
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
		{"hosting", false, SyncStatus{State: client.StateUpToDate, Relay: "ws://192.168.1.20:7420"}, func(s *syncScreen) {
			test.Tap(s.host)
			if s.disconnect.Text != disconnectHostingText {
				t.Fatalf("while hosting Disconnect reads %q", s.disconnect.Text)
			}
		}},
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

// Connect is the screen's primary button (blue) only once it has what a
// connection needs: a relay URL, and a token typed or remembered for that
// relay. Blue over empty fields, it invited a press that could only fail.
// It stays enabled all the same: pressed too early, it says under each
// field what is missing.
func TestConnectIsPrimaryOnlyOnceItHasWhatItNeeds(t *testing.T) {
	fake := &fakeSync{}
	u, _ := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	primary := func() bool { return s.connect.Importance == widget.HighImportance }
	if primary() || s.connect.Disabled() {
		t.Fatalf("with the fields empty Connect is primary %v, disabled %v; want neither", primary(), s.connect.Disabled())
	}
	test.Tap(s.connect)
	if fieldError(t, s.relayForm, "Relay URL") == "" || fieldError(t, s.relayForm, "Token") == "" || len(fake.Calls()) != 0 {
		t.Fatalf("Connect pressed with the fields empty: %q, %q, calls %v; want both said missing, no connection",
			fieldError(t, s.relayForm, "Relay URL"), fieldError(t, s.relayForm, "Token"), fake.Calls())
	}
	s.relay.SetText("ws://127.0.0.1:7420")
	if primary() {
		t.Error("with a relay URL and no token Connect is primary")
	}
	s.token.SetText(someToken)
	if !primary() {
		t.Error("with a relay URL and a token Connect is not primary")
	}
	s.relay.SetText("  ")
	if primary() {
		t.Error("with the relay URL blanked again Connect stays primary")
	}
}

// A token remembered for the relay counts as typed: Connect uses it, so it
// is primary when the screen opens on a relay synced with before.
func TestConnectIsPrimaryWithTheRememberedToken(t *testing.T) {
	shop := stockedShop(t)
	if err := shop.SetSyncPeer(context.Background(), app.SyncPeer{Relay: "ws://127.0.0.1:7420", Token: "tok-remembered", Off: true}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return &fakeSync{} }})
	s := u.syncView
	if s.relay.Text != "ws://127.0.0.1:7420" || s.connect.Importance != widget.HighImportance {
		t.Fatalf("opened on relay %q, Connect's importance %v; want the relay remembered, Connect primary", s.relay.Text, s.connect.Importance)
	}
	s.token.SetText("")
	if s.connect.Importance != widget.HighImportance {
		t.Error("with the token field emptied Connect is no longer primary, though it would use the remembered one")
	}
	s.relay.SetText("ws://127.0.0.1:7421")
	if s.connect.Importance == widget.HighImportance {
		t.Error("on another relay, with no token, Connect is primary")
	}
}

// An error under a relay field leaves as soon as that field is edited,
// where it stayed, greyed, under what was being retyped; the other
// field's error stays. Its room is kept while the field is typed in, so
// the field below does not move under the pointer, and goes once the
// field is left. The error comes back only at the next Connect.
func TestARelayFieldsErrorGoesAsItIsEdited(t *testing.T) {
	fake := &fakeSync{}
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	w.Resize(smallWindow.SubtractWidthHeight(0, 30))
	s := u.syncView
	c := w.Canvas()
	relayLine, tokenLine := s.relayForm.msgs[0], s.relayForm.msgs[1]
	y := func(o fyne.CanvasObject) float32 { return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y }

	test.Tap(s.connect)
	if !relayLine.Visible() || !tokenLine.Visible() {
		t.Fatal("Connect with the fields empty does not say both are missing")
	}
	c.Focus(s.relay)
	token := y(s.token)
	typeFocused(t, w, "relay.example.com")
	if relayLine.Visible() {
		t.Errorf("while the relay URL is typed, %q (importance %v) stays under it", relayLine.Text, relayLine.Importance)
	}
	if got := fieldError(t, s.relayForm, "Token"); got == "" {
		t.Error("typing the relay URL took the token's error with it")
	}
	if got := y(s.token); got != token {
		t.Errorf("typing the relay URL moved Token from %.0f to %.0f", token, got)
	}
	c.Focus(s.token) // the relay URL is left, still wrong
	if relayLine.Visible() {
		t.Errorf("the relay URL left says %q before the next Connect", relayLine.Text)
	}
	if got := y(s.token); got >= token {
		t.Errorf("with the relay URL left, Token stays at %.0f, want it up from %.0f", got, token)
	}
	typeFocused(t, w, someToken)
	if tokenLine.Visible() {
		t.Errorf("while the token is typed, %q stays under it", tokenLine.Text)
	}
	test.Tap(s.connect)
	if got := fieldError(t, s.relayForm, "Relay URL"); !containsFold(got, "not a relay address") || len(fake.Calls()) != 0 {
		t.Errorf("the next Connect says %q under the relay URL, calls %v; want the URL refused again", got, fake.Calls())
	}
	if tokenLine.Visible() {
		t.Errorf("the next Connect with a token says %q under it", tokenLine.Text)
	}
}

// Connect and Disconnect, beside the screen's title, say they are about
// the relay: as "Connect" and "Disconnect" they read as the whole
// screen's, the local network and the files too. The button read as
// "Connect to relay" connects to the relay typed in; "Disconnect from
// relay" disconnects. While this computer hosts, Disconnect stops hosting
// too, and says so.
func TestTheRelayButtonsSayTheyAreTheRelays(t *testing.T) {
	fake := &fakeSync{}
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	s.relay.SetText("ws://127.0.0.1:7420")
	s.token.SetText(someToken)
	tapButton(t, w, "Connect to relay")
	tapButton(t, w, "Disconnect from relay")
	if got, want := strings.Join(fake.Calls(), ","), "connect ws://127.0.0.1:7420 "+someToken+",disconnect"; got != want {
		t.Fatalf("Connect to relay, then Disconnect from relay: calls %q, want %q", got, want)
	}
	test.Tap(s.host)
	fake.set(SyncStatus{State: client.StateUpToDate, Relay: "ws://192.168.1.20:7420"})
	tapButton(t, w, "Disconnect, stop hosting")
	if calls := fake.Calls(); calls[len(calls)-1] != "disconnect" {
		t.Errorf("Disconnect, stop hosting: calls %v, want a disconnect", calls)
	}
	if err := fake.StopHosting(); err != nil {
		t.Fatal(err)
	}
	fake.set(SyncStatus{})
	if s.disconnect.Text != "Disconnect from relay" {
		t.Errorf("with hosting stopped Disconnect reads %q", s.disconnect.Text)
	}
}

// A click in Token, just below the relay URL whose error was hidden as it
// was retyped, gives Token the focus: the error's room, given back as the
// press took the focus from the relay URL, moved Token up from under the
// pointer, and the release, on what came there, took the focus away
// again. The room goes at the release.
func TestAClickBelowARetypedRelayURLLands(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return &fakeSync{} }})
	w.Resize(smallWindow.SubtractWidthHeight(0, 30))
	s := u.syncView
	y := func(o fyne.CanvasObject) float32 { return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y }
	test.Tap(s.connect)
	w.Canvas().Focus(s.relay)
	typeFocused(t, w, "ws://127.0.0.1:7420")
	token := y(s.token)
	click := &desktop.MouseEvent{Button: desktop.MouseButtonPrimary}
	s.token.MouseDown(click)
	if got := y(s.token); got != token || w.Canvas().Focused() != s.token {
		t.Fatalf("pressed, Token moved from %.0f to %.0f (focused %v); want it in place, focused", token, got, w.Canvas().Focused() == s.token)
	}
	s.token.MouseUp(click)
	if got := y(s.token); got >= token || w.Canvas().Focused() != s.token {
		t.Errorf("released, Token is at %.0f (was %.0f), focused %v; want it up, in the room the error left, and focused", got, token, w.Canvas().Focused() == s.token)
	}
}

// At 800×600 the Token field's hint reads whole: it said "the token made
// for this shop on the r", cut beside the eye that shows the token.
func TestTheTokenHintFitsASmallWindow(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return &fakeSync{} }})
	w.Resize(smallWindow.SubtractWidthHeight(0, 30)) // the desktop window's menu bar takes some 30
	tok := u.syncView.token
	text := fyne.MeasureText(tok.PlaceHolder, theme.TextSize(), fyne.TextStyle{}).Width
	if room := tok.Size().Width - 2*theme.InnerPadding() - tok.ActionItem.MinSize().Width; text > room {
		t.Errorf("the Token field's hint %q is %.0f wide in a field with %.0f for it", tok.PlaceHolder, text, room)
	}
}

// While this computer hosts, the Sync screen says so, not "Up to date"
// beside "never synced" and changes no other device holds, and does not
// offer the hosted relay's own address as the relay to connect to: once
// hosting stopped, that dead address came back in the emptied Relay URL
// field on every visit, and Connect retried it for ever. (That the
// controller lets go of the address when hosting stops is its own test,
// TestStoppingHostingOffersNoDeadRelay; a real controller here reported
// from its goroutines into widgets the test goroutine was using.)
func TestHostingLeavesNoRelayBehind(t *testing.T) {
	fake := &fakeSync{}
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	s.doHost()
	if _, hosting := u.sync.Hosting(); !hosting {
		t.Fatal("Host sync on this computer did not host")
	}
	fake.set(SyncStatus{State: client.StateUpToDate, Relay: "ws://127.0.0.1:7420", Hosting: true}) // as the controller reports hosting
	if got := richText(s.state); !strings.HasPrefix(got, "Hosting · no device connected · never synced") {
		t.Errorf("while hosting the screen says %q, want Hosting · no device connected · never synced", got)
	}
	if s.relay.Text != "" {
		t.Errorf("while hosting the Relay URL field shows %q, want it left empty", s.relay.Text)
	}
	s.relay.SetText("wss://relay.example.com")
	s.showStatus()
	if got := richText(s.state); !strings.Contains(got, "the relay below is not in use") || strings.Contains(got, "127.0.0.1") {
		t.Errorf("hosting, with a relay typed, the screen says %q; want that relay unused, and no address of its own", got)
	}
	tapButton(t, w, disconnectHostingText)
	if calls := fake.Calls(); !slices.Contains(calls, "disconnect") {
		t.Errorf("Disconnect, stop hosting made the calls %q; want a disconnect", calls)
	}
}

// richText is what r reads.
func richText(r *widget.RichText) string {
	var b strings.Builder
	for _, seg := range r.Segments {
		b.WriteString(seg.Textual())
	}
	return b.String()
}

// While hosting, the status line says how many devices are connected,
// and the Sync screen that devices left on another relay are apart: with
// nobody connected, "Online · Hosting · all changes synced" read as every
// device agreeing while a laptop on the remote relay sold units it never
// saw.
func TestHostingSaysWhoIsConnected(t *testing.T) {
	fake := &fakeSync{}
	u, _ := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	if err := u.shop.SetSyncPeer(u.ctx, app.SyncPeer{Relay: "wss://relay.example.com", Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	s := u.syncView
	s.doHost()
	for n, want := range map[int]string{0: "Online · Hosting · no device connected", 1: "Online · Hosting · 1 device connected", 3: "Online · Hosting · 3 devices connected"} {
		fake.set(SyncStatus{State: client.StateUpToDate, Relay: "ws://127.0.0.1:7420", Hosting: true, Connected: n})
		u.status.load()
		if got := u.status.online.Text; got != want {
			t.Errorf("hosting with %d devices connected, the status line says %q, want %q", n, got, want)
		}
	}
	if got, want := s.hostHint.Text, "Devices still using wss://relay.example.com do not see this computer's changes, nor it theirs, until they connect here"; !strings.Contains(got, want) {
		t.Errorf("while hosting the Sync screen says %q; want it to say %q", got, want)
	}
}

// The Sync screen and the status line say the same last sync: the screen
// read the controller's alone, which counts this window's syncs, and
// said "last sync today 04:50" under the status line's 04:55, the time
// of a `microshopctl sync` run beside the app, recorded in the shop.
func TestTheSyncScreenAndTheStatusLineAgreeOnTheLastSync(t *testing.T) {
	fake := &fakeSync{}
	u, _ := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	fake.set(SyncStatus{State: client.StateConnecting, Relay: "ws://127.0.0.1:7420", LastSync: testNow.Add(-2 * time.Hour), Err: "cannot reach the relay"})
	if err := u.shop.SetLastSync(u.ctx, testNow.Add(-time.Hour).UnixMilli()); err != nil { // as microshopctl sync records it
		t.Fatal(err)
	}
	u.status.load()
	want := lastSyncText(testNow.Add(-time.Hour), u.shop.Now())
	if got := u.status.last.Text; got != want {
		t.Fatalf("the status line says %q, want %q", got, want)
	}
	if got := richText(s.state); !strings.Contains(got, want) {
		t.Errorf("the Sync screen says %q while the status line says %q", got, want)
	}
}

// While retrying, Try now tries the relay at once: after the relay came
// back, the desktop said "Retrying: Cannot reach the relay" until the
// end of a wait, while `microshopctl sync` connected at once.
func TestTryNowRetriesWhileRetrying(t *testing.T) {
	fake := &fakeSync{}
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	if s.tryNow.Visible() {
		t.Error("offline, the Sync screen offers Try now")
	}
	fake.set(SyncStatus{State: client.StateConnecting, Relay: "ws://127.0.0.1:7420", Err: "cannot reach the relay at ws://127.0.0.1:7420"})
	if !s.tryNow.Visible() {
		t.Fatal("retrying, the Sync screen offers no Try now")
	}
	tapButton(t, w, "Try now")
	if calls := fake.Calls(); !slices.Contains(calls, "retry now") {
		t.Errorf("Try now made the calls %q; want a retry now", calls)
	}
	fake.set(SyncStatus{State: client.StateUpToDate, Relay: "ws://127.0.0.1:7420", LastSync: testNow})
	if s.tryNow.Visible() {
		t.Error("up to date, the Sync screen still offers Try now")
	}
}

// A `microshopctl sync` run beside the app shows on its status line within
// a poll: it sent this device's changes and logged none, and the app said
// "31 unsynced changes · never synced" until the next sale.
func TestASyncByAnotherProgramShowsOnTheStatusLine(t *testing.T) {
	shop := stockedShop(t)
	u, _ := newTestUI(t, shop, Options{Screen: "sell"})
	u.poll() // the window has seen the shop as it is
	if got := u.status.unsynced.Text; got == "no unsynced changes" || got == "all changes synced" {
		t.Fatalf("before any sync the status line says %q", got)
	}
	// microshopctl sync, as it records a relay holding every change.
	other, err := app.Open(shop.Path(), app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	v, err := other.Vector(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := other.MarkAcknowledged(context.Background(), changes.Vector{other.DeviceID(): v[other.DeviceID()]}); err != nil {
		t.Fatal(err)
	}
	if err := other.SetLastSync(context.Background(), testNow.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	u.poll()
	if got, want := u.status.unsynced.Text, "all changes synced"; got != want {
		t.Errorf("after microshopctl synced the status line says %q, want %q", got, want)
	}
	if got, want := u.status.last.Text, lastSyncText(testNow, u.shop.Now()); got != want {
		t.Errorf("after microshopctl synced the status line says %q, want %q", got, want)
	}
}

// A token typed into Connect's form that no relay makes (cut short, or
// some other text) is refused under the field, naming it, and nothing is
// connected: it was taken, and failed only as a sync error afterwards.
func TestConnectRefusesWhatIsNotAToken(t *testing.T) {
	fake := &fakeSync{}
	u, _ := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	s.relay.SetText("ws://127.0.0.1:7420")
	s.token.SetText(someToken[:30])
	s.doConnect()
	if got := fieldError(t, s.relayForm, "Token"); !strings.Contains(got, someToken[:12]+"…") || strings.Contains(got, someToken[12:30]) || !strings.Contains(got, "not a relay token") || len(fake.Calls()) != 0 {
		t.Errorf("Connect with a token cut short: %q under Token, calls %v; want it refused, naming it by its start, not its secret", got, fake.Calls())
	}
}

// someToken reads as a relay token, as relays make them, and is no
// relay's.
var someToken = "mst_0123456789abcdef_" + strings.Repeat("5a", 32)
