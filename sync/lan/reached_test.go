package lan

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"

	"microshop/app"
)

func TestTheAddressThatAnsweredIsTriedFirst(t *testing.T) {
	var offers Offers
	h := serve(t, &offers)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "ws://" + ln.Addr().String()
	ln.Close()
	invite := app.Invite{Relays: []string{"ws://10.99.0.1:7420", dead, h.url}, Token: "mst_0123456789abcdef_" + strings.Repeat("ab", 32), Shop: "0190d8e2-8d1e-7c3a-9f00-000000000001"}
	code, _, err := offers.Offer(invite.String())
	if err != nil {
		t.Fatal(err)
	}
	got, err := FetchInviteFrom(context.Background(), Host{Name: "Stall laptop", URLs: []string{dead, h.url}}, code)
	if err != nil {
		t.Fatal(err)
	}
	in, err := app.ParseInvite(got)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{h.url, "ws://10.99.0.1:7420", dead}; !slices.Equal(in.Relays, want) {
		t.Fatalf("relays %v, want %v", in.Relays, want)
	}
	if in.Token != invite.Token || in.Shop != invite.Shop || in.Key != invite.Key {
		t.Fatalf("reordering changed the invite: %+v", in)
	}
	for _, keep := range []string{testInvite, invite.String()} {
		if got := reachedFirst(keep, "ws://192.0.2.9:7420"); got != keep {
			t.Errorf("an invite without the address reached was changed: %q", got)
		}
	}
}
