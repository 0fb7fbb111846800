package ui

import (
	"context"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/lan"
)

// stallNearby is a computer on a network in memory hosting sync as the
// stall laptop, offering testInvite under the code returned.
func stallNearby(t *testing.T, mem *lan.Memory) (code string, stop func()) {
	return hostNearby(t, mem, "Stall laptop")
}

func hostNearby(t *testing.T, mem *lan.Memory, name string) (code string, stop func()) {
	t.Helper()
	offers := &lan.Offers{}
	code, _, err := offers.Offer(testInvite)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(offers)
	t.Cleanup(srv.Close)
	port, _ := strconv.Atoi(srv.URL[strings.LastIndex(srv.URL, ":")+1:])
	stop, err = mem.Network().Advertise(lan.Ad{Name: name, Shop: "0190d8e2-8d1e-7c3a-9f00-000000000001", Port: port, IPs: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return code, stop
}

func TestFirstRunJoinsTheComputerNearbyWithItsCode(t *testing.T) {
	mem := lan.NewMemory()
	code, _ := stallNearby(t, mem)
	var joined []JoinRequest
	u, w := newTestUI(t, nil, Options{Path: t.TempDir() + "/shop.db",
		Nearby: lan.Finder{Network: mem.Network(), Wait: 200 * time.Millisecond},
		Join: func(_ context.Context, _ string, in JoinRequest) (*app.Shop, error) {
			joined = append(joined, in)
			return nil, domain.Errorf(domain.EUnavailable, "the relay is not there")
		}})
	w.Resize(smallWindow)
	if got := w.Canvas().Content().MinSize(); got.Width > smallWindow.Width || got.Height > smallWindow.Height {
		t.Errorf("first run with the nearby list needs %v, more than %v", got, smallWindow)
	}
	near := u.first.near
	if got := near.hosts.Selected; got != "Stall laptop" {
		t.Fatalf("the one computer nearby is not picked: selected %q of %v", got, near.hosts.Options)
	}
	u.first.joinDevice.SetText("partner laptop")

	test.Tap(u.first.join)
	if got := texts(u.first.joinForm.obj); !strings.Contains(got, "code is empty") || len(joined) != 0 {
		t.Errorf("no code: the form says %q and joined %v", got, joined)
	}
	near.code.SetText("ABCD-EFG0")
	test.Tap(u.first.join)
	if got := texts(u.first.joinForm.obj); !strings.Contains(got, "not a pairing code") || len(joined) != 0 {
		t.Errorf("a code with a 0: the form says %q and joined %v", got, joined)
	}
	wrong := "2345-6789"
	if wrong == code {
		wrong = "9876-5432"
	}
	near.code.SetText(wrong)
	test.Tap(u.first.join)
	if got := dialogText(w); !strings.Contains(got, "does not open") || len(joined) != 0 {
		t.Errorf("a wrong code: the window says %q and joined %v", got, joined)
	}
	closeDialogs(w)

	near.code.SetText(strings.ToLower(code))
	test.Tap(u.first.join)
	if len(joined) != 1 || joined[0].Invite != testInvite || joined[0].Device != "partner laptop" {
		t.Fatalf("joined %+v, want once with the invite fetched and device partner laptop", joined)
	}
}

func TestFirstRunNearbyListRefreshes(t *testing.T) {
	mem := lan.NewMemory()
	u, _ := newTestUI(t, nil, Options{Path: t.TempDir() + "/shop.db",
		Nearby: lan.Finder{Network: mem.Network(), Wait: 200 * time.Millisecond}})
	near := u.first.near
	if len(near.hosts.Options) != 0 || !strings.Contains(near.hosts.PlaceHolder, "None found") {
		t.Fatalf("with no host: options %v, placeholder %q", near.hosts.Options, near.hosts.PlaceHolder)
	}
	test.Tap(u.first.join)
	if got := texts(u.first.joinForm.obj); !strings.Contains(got, "invite is empty") || !strings.Contains(got, "nearby") {
		t.Errorf("nothing to join: the form says %q, want the invite or a computer nearby", got)
	}
	_, stop := stallNearby(t, mem)
	hostNearby(t, mem, "Workshop desktop")
	test.Tap(near.refresh)
	if got := strings.Join(near.hosts.Options, ", "); got != "Stall laptop, Workshop desktop" || near.hosts.Selected != "" {
		t.Fatalf("after refresh: options %q, selected %q; want both listed and none picked", got, near.hosts.Selected)
	}
	stop()
	near.hosts.SetSelected("Stall laptop")
	test.Tap(near.refresh)
	if len(near.hosts.Options) != 1 || near.hosts.Selected != "Workshop desktop" {
		t.Fatalf("after the first stopped: options %v, selected %q", near.hosts.Options, near.hosts.Selected)
	}
}

func TestFirstRunWithoutNearbyHasNoList(t *testing.T) {
	u, _ := newTestUI(t, nil, Options{Path: t.TempDir() + "/shop.db"})
	if u.first.near != nil || u.first.joinForm.input("Nearby") != nil {
		t.Error("a build that cannot look nearby shows the list")
	}
}

// The first-run page fits an 800×600 window: its three cards stood side
// by side at any width and made the window 862 wide; they now stand as
// many abreast as fit, and the page scrolls.
func TestFirstRunFitsASmallWindow(t *testing.T) {
	mem := lan.NewMemory()
	_, w := newTestUI(t, nil, Options{Path: t.TempDir() + "/shop.db",
		Nearby: lan.Finder{Network: mem.Network(), Wait: 200 * time.Millisecond}})
	if got := w.Content().MinSize().Width; got > smallWindow.Width {
		t.Errorf("the first-run page needs %.0f wide, more than %.0f", got, smallWindow.Width)
	}
	cards := func() []fyne.CanvasObject {
		var out []fyne.CanvasObject
		walk(w.Content(), func(o fyne.CanvasObject) bool {
			if c, ok := o.(*widget.Card); ok {
				out = append(out, c)
			}
			return true
		})
		return out
	}
	w.Resize(fyne.NewSize(1100, 700))
	if cs := cards(); len(cs) != 3 || cs[0].Position().Y != cs[2].Position().Y {
		t.Errorf("at 1100 wide the cards are not side by side: %d cards", len(cs))
	}
	w.Resize(smallWindow)
	w.Resize(smallWindow) // a narrower width moves a card down, then the page lays out its new height
	cs := cards()
	if cs[0].Position().Y != cs[1].Position().Y || cs[2].Position().Y <= cs[0].Position().Y {
		t.Errorf("at 800 wide: cards at %v, %v, %v; want two side by side and the demo below", cs[0].Position(), cs[1].Position(), cs[2].Position())
	}
	if bottom := cs[0].Position().Y + cs[0].Size().Height; cs[2].Position().Y < bottom {
		t.Errorf("the demo card at %.0f overlaps the cards above, which end at %.0f", cs[2].Position().Y, bottom)
	}
}
