package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"microshop/app"
	"microshop/sync/client"
)

func runInvite(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	relay := f.String("relay", "", "the relay's address, `URL` like wss://relay.example.com (default: the one this device syncs with)")
	token := f.String("token", "", "a `TOKEN` for that relay (default: the one this device syncs with)")
	qr := f.outNamed("qr", "also write a QR code of the invite to `FILE.png`, to scan on the other device")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if (*relay == "") != (*token == "") {
		return usagef("microshopctl invite needs --relay and --token together, or neither to use the relay this device syncs with")
	}
	if *qr.path != "" && !strings.EqualFold(filepath.Ext(*qr.path), ".png") {
		return usagef("%s is not a .png file; the invite's QR code is a PNG (give a name ending in .png)", *qr.path)
	}
	if *relay != "" {
		// Checked here, or the other device would be the first to know.
		if err := client.CheckRelayAddress(*relay); err != nil {
			return err
		}
	}
	return c.withShop(func(s *app.Shop) error {
		var relays []string
		if *relay != "" {
			relays = []string{*relay}
		}
		in, err := s.Invite(ctx, relays, *token)
		if err != nil {
			return err
		}
		text := in.String()
		if *qr.path != "" {
			png, err := qrcode.Encode(text, qrcode.Medium, 512)
			if err != nil {
				return err
			}
			if err := qr.hint(s.WritePrivateOutput(*qr.path, *qr.overwrite, func(w io.Writer) error { _, err := w.Write(png); return err })); err != nil {
				return err
			}
		}
		if c.json {
			return c.printJSON(map[string]string{"invite": text})
		}
		c.say("%s", text)
		c.warn([]string{"anyone holding this invite can read and change the shop: give it only to your own devices, by a way nobody else reads"})
		if *relay != "" {
			c.warn(notSyncedWith(ctx, s, *relay, *token))
		}
		c.warn(thisComputerOnly(in.Relays))
		if in.ByFile() {
			c.warn([]string{"this shop syncs with no relay, so the invite names none: export a bundle here (`microshopctl bundle export --out FILE`) and join on the other device with `microshopctl join --invite INVITE --bundle FILE`"})
		}
		return nil
	})
}

func runShopSeal(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		if err := s.Seal(ctx); err != nil {
			return err
		}
		if c.json {
			return c.printJSON(map[string]bool{"sealed": true})
		}
		c.say("The shop is sealed: its changes leave this device encrypted with a key only the shop's devices hold.")
		c.say("Give each other device an invite (microshopctl invite) and join with it there (microshopctl join --invite); it keeps its data.")
		c.say("A relay used before still holds the older changes in the clear: once every device has synced sealed, its owner drops them with microshop-relay forget.")
		return nil
	})
}

// notSyncedWith is the warning an invite to relay needs when this device
// does not sync with it: the other device's join finds nothing of the shop
// there until this one has synced.
func notSyncedWith(ctx context.Context, s *app.Shop, relay, token string) []string {
	peer, err := s.SyncPeer(ctx)
	if err == nil && client.SameRelay(peer.Relay, relay) {
		return nil
	}
	return []string{fmt.Sprintf("this device does not sync with %s yet, so the other device would find nothing there to join: sync here first with `microshopctl sync --relay %s --token %s`", relay, relay, token)}
}

// thisComputerOnly is the warning an invite needs when a relay it names
// is this computer's own address: another computer looks for that relay
// on itself, and the invite was made with no word of it.
func thisComputerOnly(relays []string) []string {
	var out []string
	for _, r := range relays {
		if client.OnThisComputerOnly(r) {
			out = append(out, fmt.Sprintf("%s is this computer's address for itself, so another computer cannot reach the relay there: give --relay an address other computers reach, such as this computer's name or IP address on the network", r))
		}
	}
	return out
}
