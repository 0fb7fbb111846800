package controller

import (
	"context"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/lan"
)

// A port another program holds is refused, naming it and saying what to
// do, and nothing is hosted; hosting went on at any free port instead,
// so the address the devices knew changed unsaid. A port out of range is
// refused too; a port chosen is hosted on, shown, advertised on the
// network, and kept for the next time.
func TestHostingOnAPortAnotherProgramHoldsSaysSo(t *testing.T) {
	ctx := context.Background()
	mem := lan.NewMemory()
	desk := apptest.ShopAt(t, filepath.Join(t.TempDir(), "desk.db"), app.NewShop{Name: "Fern & Kiln", Device: "Stall laptop"}, app.Options{})
	ctl := NewOn(desk, mem.Network())
	t.Cleanup(func() { ctl.Close() })
	if got := ctl.HostPort(); got != DefaultHostPort {
		t.Errorf("a shop that never hosted hosts on port %d, want %d", got, DefaultHostPort)
	}

	other, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	taken := other.Addr().(*net.TCPAddr).Port
	_, err = ctl.HostOn(ctx, taken)
	msg := domain.ErrorMessage(err)
	if err == nil || !strings.Contains(msg, "port "+strconv.Itoa(taken)+" is in use by another program") || !strings.Contains(msg, "another port from 1024 to 65535") {
		t.Errorf("hosting on port %d another program holds: %v (%q); want it refused, naming the port and what to do", taken, err, msg)
	}
	if _, hosting := ctl.Hosting(); hosting {
		t.Error("hosting started after the refusal")
	}
	for _, port := range []int{0, 80, 1023, 65536} {
		if _, err := ctl.HostOn(ctx, port); domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), strconv.Itoa(port)) {
			t.Errorf("hosting on port %d: %v; want a refusal naming it", port, err)
		}
	}
	if got := ctl.HostPort(); got != DefaultHostPort {
		t.Errorf("after the refusals hosting would be on port %d, want %d still", got, DefaultHostPort)
	}

	port := apptest.FreePort(t)
	info, err := ctl.HostOn(ctx, port)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range info.Addresses {
		if u, err := url.Parse(a); err != nil || u.Port() != strconv.Itoa(port) {
			t.Errorf("hosting on port %d shows the address %s", port, a)
		}
	}
	hosts, err := NewOn(apptest.Shop(t, "Elsewhere", app.Options{}), mem.Network()).Browse(ctx)
	if err != nil || len(hosts) != 1 {
		t.Fatalf("found %+v, %v; want the stall laptop", hosts, err)
	}
	for _, a := range hosts[0].URLs {
		if u, err := url.Parse(a); err != nil || u.Port() != strconv.Itoa(port) {
			t.Errorf("hosting on port %d is advertised at %s", port, a)
		}
	}
	if err := ctl.StopHosting(); err != nil {
		t.Fatal(err)
	}
	if got := ctl.HostPort(); got != port {
		t.Errorf("after hosting on port %d, hosting next is on %d", port, got)
	}
}

func TestParseHostPort(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{{"7420", 7420}, {" 1024 ", 1024}, {"65535", 65535}, {"1023", 0}, {"65536", 0}, {"74x", 0}, {"", 0}, {"-7420", 0}} {
		got, err := ParseHostPort(tc.text)
		if got != tc.want || (err == nil) != (tc.want != 0) {
			t.Errorf("ParseHostPort(%q) = %d, %v; want %d", tc.text, got, err, tc.want)
		}
		if err != nil && !strings.Contains(domain.ErrorMessage(err), "from 1024 to 65535") {
			t.Errorf("ParseHostPort(%q) says %q; want the range accepted", tc.text, domain.ErrorMessage(err))
		}
	}
}
