package controller

import (
	"context"
	"slices"
	"strings"
	"testing"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/lan"
)

// A partner at the fair: the stall laptop hosts and offers an invite; the
// other computer finds it in the list and fetches the invite by its code.
func TestHostingIsFoundNearbyAndItsCodeFetchesTheInvite(t *testing.T) {
	ctx := context.Background()
	mem := lan.NewMemory()
	desk := apptest.ShopAt(t, t.TempDir()+"/desk.db", app.NewShop{Name: "Fern & Kiln", Device: "Stall laptop"}, app.Options{})
	ctl := NewOn(desk, mem.Network())
	t.Cleanup(func() { ctl.StopHosting() })
	info, err := ctl.HostOn(ctx, apptest.FreePort(t))
	if err != nil {
		t.Fatal(err)
	}
	if info.Unlisted != "" {
		t.Fatalf("hosting is unlisted: %s", info.Unlisted)
	}
	other := NewOn(apptest.Shop(t, "Elsewhere", app.Options{}), mem.Network())
	hosts, err := other.Browse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != 1 || hosts[0].Name != "Stall laptop" || hosts[0].Shop != desk.ShopID() {
		t.Fatalf("found %+v, want the stall laptop of shop %s", hosts, desk.ShopID())
	}
	if !slices.Contains(hosts[0].URLs, info.Addresses[0]) {
		t.Fatalf("found at %v, not at the address it shows, %s", hosts[0].URLs, info.Addresses[0])
	}

	offer, err := ctl.OfferInvite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(offer.Code) != 9 || offer.Until.IsZero() {
		t.Fatalf("offer %+v has no code", offer)
	}
	got, err := lan.FetchInviteFrom(ctx, hosts[0], offer.Code)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := app.ParseInvite(got)
	if err != nil {
		t.Fatal(err)
	}
	offered, _ := app.ParseInvite(offer.Invite)
	// The address that answered comes first; the rest is the invite offered.
	if !slices.Equal(slices.Sorted(slices.Values(inv.Relays)), slices.Sorted(slices.Values(info.Addresses))) || !slices.Equal(offered.Relays, info.Addresses) ||
		inv.Token != info.Token || inv.Shop != desk.ShopID() || inv.Key != offered.Key {
		t.Fatalf("the invite leads to %v with %q for %s, want the hosted relay %v with %q", inv.Relays, inv.Token, inv.Shop, info.Addresses, info.Token)
	}

	if err := ctl.StopHosting(); err != nil {
		t.Fatal(err)
	}
	if hosts, _ := other.Browse(ctx); len(hosts) != 0 {
		t.Fatalf("after hosting stopped, found %+v", hosts)
	}
	if mem.Listening() != 0 {
		t.Fatalf("%d transports left open after hosting stopped", mem.Listening())
	}
}

func TestAnInviteWithoutHostingLeadsToTheRelayInUseOrNone(t *testing.T) {
	ctx := context.Background()
	desk := apptest.Shop(t, "Desk", app.Options{})
	ctl := NewOn(desk, lan.NewMemory().Network())
	// With no relay and not hosting, the invite names none: it joins
	// with a bundle.
	offer, err := ctl.OfferInvite(ctx)
	if err != nil {
		t.Fatalf("no relay and not hosting: %v", err)
	}
	if inv, err := app.ParseInvite(offer.Invite); err != nil || !inv.ByFile() || !offer.ByFile || offer.Code != "" {
		t.Fatalf("no relay and not hosting: offer %+v (%+v, %v), want an invite by file and no code", offer, inv, err)
	}
	if err := desk.SetSyncPeer(ctx, app.SyncPeer{Relay: "wss://relay.example.com", Token: "mst_0123456789abcdef_" + strings.Repeat("ab", 32)}); err != nil {
		t.Fatal(err)
	}
	offer, err = ctl.OfferInvite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := app.ParseInvite(offer.Invite)
	if err != nil || offer.Code != "" || offer.ByFile || !slices.Equal(inv.Relays, []string{"wss://relay.example.com"}) {
		t.Fatalf("offer %+v (%+v, %v), want an invite to the relay in use and no code", offer, inv, err)
	}
}

// On a network without multicast, hosting goes on and says other
// computers will not list it.
func TestHostingWhereNothingCanBeAdvertised(t *testing.T) {
	ctx := context.Background()
	noMulticast := lan.Network{Open: func() (lan.Transport, error) {
		return nil, domain.Errorf(domain.EUnavailable, "this network allows no discovery")
	}}
	ctl := NewOn(apptest.Shop(t, "Desk", app.Options{}), noMulticast)
	t.Cleanup(func() { ctl.StopHosting() })
	info, err := ctl.HostOn(ctx, apptest.FreePort(t))
	if err != nil {
		t.Fatalf("hosting failed with discovery: %v", err)
	}
	if info.Unlisted != "this network allows no discovery" || len(info.Addresses) == 0 || info.Token == "" {
		t.Fatalf("host info %+v, want the addresses and token, and why it is unlisted", info)
	}
	if err := ctl.StopHosting(); err != nil {
		t.Fatal(err)
	}
}
