package ui

import (
	"context"
	"fmt"
	"image"
	"microshop/app"
	"microshop/domain"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"microshop/sync/client"
	"microshop/sync/controller"
)

// InviteOffer is an invite made for another device: the string to paste
// or scan, and, while this computer hosts sync, the short code that
// fetches it from here.
type InviteOffer = controller.Offer

// inviteSize is the invite dialog's size: the QR code beside the code and
// the invite, within an 800×600 window.
var inviteSize = fyne.NewSize(680, 460)

// qrSide is the side of the QR code on screen, large enough for a phone
// or a laptop camera to read an invite of a few hundred characters.
const qrSide = 220

// inviteView is the invite dialog's content, kept for tests.
type inviteView struct {
	obj    fyne.CanvasObject
	code   *canvas.Text // the short code, large; hidden when not hosting
	hint   *widget.Label
	invite *widget.Label
	qr     *canvas.Image
	local  *widget.Label // says the invite's relay is this computer's own address; nil when it is not
}

// doInvite makes an invite and shows it.
func (s *syncScreen) doInvite() {
	s.u.act(func(ctx context.Context) (func(), error) {
		offer, err := s.u.sync.OfferInvite(ctx)
		return func() { s.showInvite(offer) }, err
	})
}

func (s *syncScreen) showInvite(o InviteOffer) {
	v := s.newInviteView(o)
	s.invite = v
	d := dialog.NewCustom("Invite a device", "Close", v.obj, s.u.win)
	d.Resize(inviteSize)
	s.u.showDialog(d)
}

func (s *syncScreen) newInviteView(o InviteOffer) *inviteView {
	v := &inviteView{}
	v.code = canvas.NewText(o.Code, theme.Color(theme.ColorNameForeground))
	v.code.TextSize = 40
	v.code.TextStyle = fyne.TextStyle{Monospace: true} // no look-alike letters; the theme has no bold monospace
	v.hint = widget.NewLabel("")
	v.hint.Wrapping = fyne.TextWrapWord
	switch {
	case o.Code != "":
		v.hint.SetText(fmt.Sprintf("On the other computer: Join a shop → pick this computer → type the code. It works until %s, on this network only.", o.Until.Local().Format("15:04")))
	case o.ByFile:
		v.code.Hide()
		v.hint.SetText(byFileHint)
	default:
		v.code.Hide()
		v.hint.SetText("On the other computer: Join a shop, then paste this invite or scan the code. To pair without typing it, host sync on this computer first.")
	}
	v.invite = copyableLabel()
	v.invite.SetText(o.Invite)
	copyInvite := widget.NewButtonWithIcon("Copy invite", theme.ContentCopyIcon(), func() {
		s.u.app.Clipboard().SetContent(o.Invite)
	})
	warn := widget.NewLabel("Anyone holding this invite can read and change the shop: give it only to your own devices.")
	warn.Wrapping = fyne.TextWrapWord
	warn.Importance = widget.WarningImportance
	code := container.NewPadded(v.code)
	code.Hidden = o.Code == ""
	right := container.NewVBox(code, v.hint, widget.NewSeparator(), v.invite, container.NewHBox(copyInvite), warn)
	if relay := thisComputerOnly(o.Invite); relay != "" {
		v.local = widget.NewLabel(relay + " is this computer's address for itself, so another computer cannot reach the relay this invite names; " +
			"sync with a relay at an address other computers reach, or host sync with this computer on a network, and invite again.")
		v.local.Wrapping = fyne.TextWrapWord
		v.local.Importance = widget.WarningImportance
		right.Add(v.local)
	}
	var left fyne.CanvasObject
	if img := qrImage(o.Invite); img != nil {
		v.qr = canvas.NewImageFromImage(img)
		v.qr.FillMode = canvas.ImageFillContain
		v.qr.ScaleMode = canvas.ImageScalePixels // sharp modules, no blur
		v.qr.SetMinSize(fyne.NewSize(qrSide, qrSide))
		left = container.NewVBox(v.qr)
	}
	v.obj = container.NewBorder(nil, nil, left, nil, container.NewVScroll(right))
	return v
}

// thisComputerOnly is the relay address in invite another computer
// cannot reach, this computer's address for itself (ws://127.0.0.1:…),
// when every relay it names is one; "" otherwise. Hosting with no network
// offers 127.0.0.1, and a shop syncing with a relay on this computer
// invites to it: the other computer looked for the relay on itself.
func thisComputerOnly(invite string) string {
	in, err := app.ParseInvite(invite)
	if err != nil || len(in.Relays) == 0 {
		return ""
	}
	for _, r := range in.Relays {
		if !client.OnThisComputerOnly(r) {
			return ""
		}
	}
	return in.Relays[0]
}

// byFileHint says how an invite naming no relay joins: with a bundle, as
// this shop syncs.
const byFileHint = "This shop syncs with no relay, so this invite joins with a bundle: Export bundle… here, " +
	"then on the other computer Join a shop with this invite and that bundle file."

// qrImage is a QR code of text, nil when text is too long for one.
func qrImage(text string) image.Image {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil
	}
	return q.Image(qrSide)
}

// sealText says what sealing does, and what a relay used before keeps.
const sealText = "From now on, this shop's changes leave this computer encrypted with a key only its devices hold; " +
	"each other device then joins again with an invite from this one and keeps its data.\n\n" +
	"A relay this shop synced with before still holds its older changes in the clear: names, prices, sales and factories. " +
	"Once every device has synced sealed, the relay's owner can drop them with microshop-relay forget."

// doSeal seals a shop that synced before sealing came, once asked.
func (s *syncScreen) doSeal() {
	s.u.confirm("Seal this shop?", sealText, "Seal", func() {
		s.u.act(func(ctx context.Context) (func(), error) {
			return func() {
				s.showStatus()
				s.u.inform("Shop sealed", "its changes now leave this computer sealed; invite each other device again (Invite a device) and it keeps its data")
			}, s.u.shop.Seal(ctx)
		})
	})
}

// useInviteForm takes the key from an invite made on a device of this shop
// where the shop was sealed: this device keeps its data, and syncs sealed
// through the invite's relay from now on.
func (s *syncScreen) useInviteForm() *formDialog {
	entry := newFieldEntry()
	entry.SetPlaceHolder("microshop1:…")
	items := []*widget.FormItem{{Text: "Invite", Widget: entry, HintText: "made on a device of this shop: Sync → Invite a device"}}
	d := s.u.newFormDialog("Use an invite", "Use invite", items, func() error {
		in, err := app.ParseInvite(entry.Text)
		if err != nil {
			return fieldErrors{entry: err}
		}
		if in.Shop != s.u.shop.ShopID() {
			return fieldErrors{entry: domain.Errorf(domain.EInvalid, "the invite is for another shop; make one on a device of this shop")}
		}
		if in.ByFile() {
			return fieldErrors{entry: domain.Errorf(domain.EInvalid, "this invite names no relay to sync through; make one on a device of this shop that syncs with a relay or hosts sync")}
		}
		ctx := context.Background()
		if err := s.u.shop.AdoptKey(ctx, in.Key); err != nil {
			return err
		}
		if err := s.u.sync.Connect(ctx, in.Relays[0], in.Token); err != nil {
			return err
		}
		s.relay.SetText(in.Relays[0])
		s.token.SetText(in.Token)
		s.showStatus()
		s.u.inform("Invite used", "this computer now holds the shop's key and syncs sealed through "+in.Relays[0]+", keeping all its data")
		return nil
	})
	d.show()
	return d
}
