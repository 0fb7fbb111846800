package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"microshop/app"
	"microshop/domain"
)

// The port to host on is typed beside Host sync on this computer, 7420
// at first: one out of range is refused under it, with nothing hosted,
// and so is one another program uses, as the controller says; another
// port typed is hosted on, its addresses shown with it. Hosting took
// 7420 alone, and a port another program held moved it to any free one
// unsaid, where the devices that joined it no longer reached it.
func TestHostingTakesThePortTyped(t *testing.T) {
	fake := &fakeSync{}
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	if s.hostPort.Text != "7420" {
		t.Errorf("the port to host on shows %q, want 7420", s.hostPort.Text)
	}
	hostOn := func(port string) {
		t.Helper()
		s.hostPort.SetText("")
		test.Type(s.hostPort, port)
		test.Tap(s.host)
	}
	underPort := func() string { return s.hostForm.msgs[0].Text }

	hostOn("80")
	if got := underPort(); !strings.Contains(got, `"80" is not a port to host on`) || !strings.Contains(got, "from 1024 to 65535") {
		t.Errorf("port 80 says %q under the field; want it refused, with the ports accepted", got)
	}
	if slices.Contains(fake.Calls(), "host") {
		t.Error("port 80 was hosted on")
	}

	fake.hostErr = domain.Errorf(domain.EConflict, "port 7421 is in use by another program on this computer, so hosting cannot start on it; close that program, or host on another port from 1024 to 65535")
	hostOn("7421")
	if got := underPort(); !strings.Contains(got, "Port 7421 is in use by another program") {
		t.Errorf("a port in use says %q under the field; want why", got)
	}
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Errorf("a port in use opened %d dialogs: %q", n, dialogText(w))
	}
	if _, hosting := u.sync.Hosting(); hosting {
		t.Error("hosting started on a port in use")
	}

	fake.hostErr = nil
	hostOn("7666")
	h, hosting := u.sync.Hosting()
	if !hosting || !strings.HasSuffix(h.Addresses[0], ":7666") {
		t.Fatalf("hosting %v at %v, want it on port 7666", hosting, h.Addresses)
	}
	if got := underPort(); got != "" && s.hostForm.msgs[0].Visible() {
		t.Errorf("once hosted, the field still says %q", got)
	}
	if !slices.Equal(s.shownAddrs(), h.Addresses) {
		t.Errorf("the screen shows %v, want %v", s.shownAddrs(), h.Addresses)
	}
	if !s.hostPort.Disabled() {
		t.Error("while hosting the port can be changed")
	}
}

// A port refused stays refused only while the maker is on the screen: back
// on Sync from another screen, the field holds the port hosting takes
// again, with nothing under it. The old "is not a port to host on" stood
// under the field, read as the answer to something done since.
func TestAPortRefusedIsGoneOnComingBack(t *testing.T) {
	fake := &fakeSync{}
	u, _ := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	s.hostPort.SetText("")
	test.Type(s.hostPort, "80")
	test.Tap(s.host)
	if !s.hostForm.msgs[0].Visible() {
		t.Fatal("port 80 was not refused under the field")
	}
	u.show(screenIndex("today"))
	u.show(screenIndex("sync"))
	if msg := s.hostForm.msgs[0]; msg.Visible() && msg.Text != "" {
		t.Errorf("back on Sync the port says %q under it", msg.Text)
	}
	if s.hostPort.Text != "7420" {
		t.Errorf("back on Sync the port to host on shows %q, want 7420, the one hosting takes", s.hostPort.Text)
	}
	// Typed and not yet hosted, a port stays while the maker is on the screen.
	s.hostPort.SetText("7421")
	u.show(screenIndex("sync"))
	if s.hostPort.Text != "7421" {
		t.Errorf("Sync chosen again while on it left the port %q, want 7421 as typed", s.hostPort.Text)
	}
}
