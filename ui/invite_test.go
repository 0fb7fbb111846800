package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"microshop/app"
	"microshop/app/apptest"
)

func TestInviteADeviceShowsTheInviteItsQRAndWhileHostingTheCode(t *testing.T) {
	fake := &fakeSync{}
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	w.Resize(smallWindow)
	s := u.syncView

	test.Tap(s.inviteBtn)
	v := s.invite
	if v == nil || v.invite.Text != testInvite {
		t.Fatalf("the invite dialog shows %+v, want the invite %q", v, testInvite)
	}
	if v.code.Visible() || !strings.Contains(dialogText(w), "paste this invite") {
		t.Errorf("not hosting, the dialog says %q and shows a code: %v", dialogText(w), v.code.Visible())
	}
	if v.qr == nil || v.qr.Image == nil || v.qr.Image.Bounds().Dx() < qrSide {
		t.Fatal("the dialog shows no QR code of the invite")
	}
	tapButton(t, w, "Copy invite")
	if got := u.app.Clipboard().Content(); got != testInvite {
		t.Errorf("Copy put %q on the clipboard, want the invite", got)
	}
	if got := v.obj.MinSize(); got.Width > inviteSize.Width || got.Height > inviteSize.Height || inviteSize.Width > smallWindow.Width || inviteSize.Height > smallWindow.Height {
		t.Errorf("the invite needs %v in a %v dialog, in a %v window", got, inviteSize, smallWindow)
	}
	closeDialogs(w)

	test.Tap(s.host)
	test.Tap(s.inviteBtn)
	v = s.invite
	if !v.code.Visible() || v.code.Text != "ABCD-EFGH" || v.code.TextSize < 30 {
		t.Errorf("hosting, the code shows %q (visible %v, size %v), want ABCD-EFGH in large type", v.code.Text, v.code.Visible(), v.code.TextSize)
	}
	if got := dialogText(w); !strings.Contains(got, "On the other computer: Join a shop → pick this computer → type the code") {
		t.Errorf("hosting, the dialog says %q, want how to use the code", got)
	}
	if got := v.obj.MinSize(); got.Width > inviteSize.Width || got.Height > inviteSize.Height {
		t.Errorf("the invite with its code needs %v, more than its %v dialog", got, inviteSize)
	}
}

func TestSealThisShopIsOfferedOnlyToAShopNotSealed(t *testing.T) {
	u, _ := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return &fakeSync{} }})
	if u.syncView.unsealed.Visible() {
		t.Error("a sealed shop is offered to be sealed")
	}

	shop := unsealedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return &fakeSync{} }})
	s := u.syncView
	if !s.unsealed.Visible() {
		t.Fatal("a shop that is not sealed is not offered to be sealed")
	}
	test.Tap(s.seal)
	got := dialogText(w)
	for _, want := range []string{"in the clear", "microshop-relay forget", "invite"} {
		if !strings.Contains(got, want) {
			t.Errorf("the seal dialog says %q, want it to name %q", got, want)
		}
	}
	if shop.Sealed() {
		t.Fatal("asking sealed the shop")
	}
	tapButton(t, w, "Seal")
	if !shop.Sealed() {
		t.Fatal("Seal did not seal the shop")
	}
	if s.unsealed.Visible() {
		t.Error("a sealed shop is still offered to be sealed")
	}
	if got := dialogText(w); !strings.Contains(got, "Shop sealed") {
		t.Errorf("after sealing the window says %q", got)
	}
}

// unsealedShop is a shop that synced before sealing came: it knows a
// relay and has no key, so it stays unsealed until asked.
func unsealedShop(t *testing.T) *app.Shop {
	t.Helper()
	s, err := app.Create(filepath.Join(t.TempDir(), "old.db"), app.NewShop{Name: "Old Shop", Device: "desk"}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return apptest.Unsealed(t, s, "ws://127.0.0.1:7420", "t")
}

func TestHostingSaysWhenOtherComputersWillNotListIt(t *testing.T) {
	fake := &fakeSync{}
	u, _ := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	s.showHost(HostInfo{Addresses: []string{"ws://192.168.1.20:7420"}, Token: "tok"})
	if got := s.hostHint.Text; strings.Contains(got, "will not find") || !strings.Contains(got, "A device of this shop connects") {
		t.Errorf("listed hosting says %q", got)
	}
	s.showHost(HostInfo{Addresses: []string{"ws://192.168.1.20:7420"}, Token: "tok", Unlisted: "this network allows no discovery"})
	if got := s.hostHint.Text; !strings.Contains(got, "will not find this one in their list (this network allows no discovery)") {
		t.Errorf("unlisted hosting says %q, want why others will not find it", got)
	}
	if got := texts(s.hostInfo); !strings.Contains(got, "A new device joins with an invite") || !strings.Contains(got, "Invite a device…") {
		t.Errorf("the hosting card says %q, want how a new device joins and the button", got)
	}
}

// A device that synced before its shop was sealed elsewhere takes the key
// from an invite on its Sync screen: it keeps its data and syncs through
// the invite's relay. A damaged invite, or one of another shop, is refused
// and changes nothing.
func TestUseAnInviteGivesAnOldDeviceTheKey(t *testing.T) {
	ctx := context.Background()
	desk := stockedShop(t)
	laptop := apptest.Unsealed(t, apptest.Replica(t, desk, "laptop", app.Options{}), "ws://old.example:7420", "t")
	fake := &fakeSync{}
	u, w := newTestUI(t, laptop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	s := u.syncView
	if !s.unsealed.Visible() {
		t.Fatal("an unsealed shop is not offered to use an invite")
	}
	other, err := app.Create(filepath.Join(t.TempDir(), "other.db"), app.NewShop{Name: "Other"}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	strange, _ := other.Invite(ctx, []string{"ws://relay.example:7420"}, someToken)
	for _, bad := range []struct{ text, want string }{
		{"microshop1:nonsense", "not a usable invite"},
		{strange.String(), "another shop"},
	} {
		d := s.useInviteForm()
		findFormEntry(t, w, "microshop1:").SetText(bad.text)
		d.submit()
		if got := texts(d.obj); !strings.Contains(got, bad.want) || laptop.Sealed() || len(fake.Calls()) != 0 {
			t.Errorf("invite %q: form says %q, sealed %v, calls %v; want it refused saying %q", bad.text, got, laptop.Sealed(), fake.Calls(), bad.want)
		}
		d.dialog.Hide()
	}
	in, _ := desk.Invite(ctx, []string{"ws://relay.example:7420"}, someToken)
	d := s.useInviteForm()
	findFormEntry(t, w, "microshop1:").SetText(in.String())
	d.submit()
	if !laptop.Sealed() {
		t.Fatalf("the invite was not used: %q", texts(d.obj))
	}
	if key, _, _ := laptop.Key(ctx); key != in.Key {
		t.Error("the laptop holds another key than the invite's")
	}
	if got := strings.Join(fake.Calls(), ","); got != "connect ws://relay.example:7420 "+someToken {
		t.Errorf("calls %q, want a connection through the invite's relay", got)
	}
	if s.unsealed.Visible() {
		t.Error("a sealed shop is still offered to seal or use an invite")
	}
	if got := dialogText(w); !strings.Contains(got, "keeping all its data") {
		t.Errorf("after using the invite the window says %q", got)
	}
}

// A shop syncing with no relay, not hosting, shows an invite naming none,
// with its QR code, and says it joins with a bundle exported here.
func TestInviteADeviceByFileSaysItJoinsWithABundle(t *testing.T) {
	fake := &fakeSync{byFile: true}
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	w.Resize(smallWindow)
	s := u.syncView
	test.Tap(s.inviteBtn)
	v := s.invite
	if v == nil || v.invite.Text != testInviteByFile || v.code.Visible() {
		t.Fatalf("the invite dialog shows %+v, want the invite %q and no code", v, testInviteByFile)
	}
	if v.qr == nil || v.qr.Image == nil {
		t.Error("the dialog shows no QR code of the invite")
	}
	if got := dialogText(w); !strings.Contains(got, byFileHint) || strings.Contains(got, "host sync") {
		t.Errorf("by file, the dialog says %q, want %q", got, byFileHint)
	}
	if got := v.obj.MinSize(); got.Width > inviteSize.Width || got.Height > inviteSize.Height {
		t.Errorf("the invite by file needs %v, more than its %v dialog", got, inviteSize)
	}
}

// An invite naming no relay gives an old device nothing to sync through:
// Use an invite refuses it and changes nothing.
func TestUseAnInviteRefusesOneByFile(t *testing.T) {
	ctx := context.Background()
	desk := stockedShop(t)
	laptop := apptest.Unsealed(t, apptest.Replica(t, desk, "laptop", app.Options{}), "ws://old.example:7420", "t")
	fake := &fakeSync{}
	u, w := newTestUI(t, laptop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	in, _ := desk.Invite(ctx, nil, "")
	d := u.syncView.useInviteForm()
	findFormEntry(t, w, "microshop1:").SetText(in.String())
	d.submit()
	if got := texts(d.obj); !strings.Contains(got, "names no relay") || laptop.Sealed() || len(fake.Calls()) != 0 {
		t.Errorf("form says %q, sealed %v, calls %v; want the invite by file refused", got, laptop.Sealed(), fake.Calls())
	}
}

// An invite naming this computer's address for itself says another
// computer cannot reach it: a shop syncing with a relay on this computer
// invited to ws://127.0.0.1, and the other computer looked for the relay
// on itself. An invite to a network address says nothing of it.
func TestAnInviteToThisComputersOwnAddressWarns(t *testing.T) {
	fake := &fakeSync{local: true}
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	w.Resize(smallWindow)
	s := u.syncView
	test.Tap(s.inviteBtn)
	if got := dialogText(w); !strings.Contains(got, "ws://127.0.0.1:7420 is this computer's address for itself, so another computer cannot reach the relay") {
		t.Errorf("an invite to ws://127.0.0.1:7420 says %q; want that another computer cannot reach it", got)
	}
	if got := s.invite.obj.MinSize(); got.Width > inviteSize.Width || got.Height > inviteSize.Height {
		t.Errorf("the invite with its warning needs %v, more than its %v dialog", got, inviteSize)
	}
	closeDialogs(w)
	fake.local = false
	test.Tap(s.inviteBtn)
	if s.invite.local != nil {
		t.Errorf("an invite to a network address warns %q", s.invite.local.Text)
	}
}
