package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/client"
	"microshop/sync/controller"
)

// SyncStatus is what the sync screen and the status line show.
type SyncStatus = controller.Status

// HostInfo is what another computer on the network types to sync with
// this one.
type HostInfo = controller.HostInfo

// SyncController is sync as the window sees it; controller.Controller is
// the real one. Methods that may wait on the
// network or the disk take a context and are called off the UI goroutine;
// Status and Hosting answer at once. Subscribe's function may be called on
// any goroutine.
type SyncController interface {
	// Status is the current state.
	Status() SyncStatus
	// Subscribe calls fn after every change of Status until cancel is called.
	Subscribe(fn func(SyncStatus)) (cancel func())
	// Connect starts syncing with the relay at relayURL using token, and
	// keeps at it (reconnecting with backoff) until Disconnect. It returns
	// once the attempt has started, or an error for input it cannot use,
	// such as a malformed URL or an empty token; later failures show in
	// Status.
	Connect(ctx context.Context, relayURL, token string) error
	// Disconnect stops syncing with the relay, until Connect: the app
	// starting next does not connect by itself.
	Disconnect() error
	// Close stops hosting and syncing as the app quits; the app starting
	// next connects again as it was.
	Close() error
	// HostOn runs a relay for this shop on the local network on port and
	// returns the address and a token for another computer to connect
	// with; the port is kept for next time. A port out of 1024 to 65535,
	// or one another program uses, is refused.
	HostOn(ctx context.Context, port int) (HostInfo, error)
	// HostPort is the port hosting listens on: the one hosted on last,
	// else controller.DefaultHostPort.
	HostPort() int
	// StopHosting stops the relay Host started.
	StopHosting() error
	// Hosting reports the relay Host started, if it runs.
	Hosting() (HostInfo, bool)
	// ExportBundle writes every change of the shop to w, for a peer by
	// file, and says how many it wrote.
	ExportBundle(ctx context.Context, w io.Writer) (int, error)
	// ImportBundle applies the changes in a bundle, idempotently, and says
	// how many were new; name is the file's name, for messages. A damaged
	// bundle changes nothing.
	ImportBundle(ctx context.Context, r io.Reader, name string) (int, error)
	// RetryNow tries the relay again at once while Status is retrying,
	// instead of at the end of the wait between attempts.
	RetryNow()
	// OfferInvite makes an invite for another device: to the relay this
	// computer hosts, with a short code that fetches it from here, or to
	// the relay it syncs with.
	OfferInvite(ctx context.Context) (InviteOffer, error)
}

// offlineSync is the controller of a build without sync.
type offlineSync struct{}

var errNoSync = domain.Errorf(domain.EUnavailable, "this build of Microshop cannot sync; use microshopctl sync or a build with sync")

func (offlineSync) Status() SyncStatus                                   { return SyncStatus{} }
func (offlineSync) Subscribe(func(SyncStatus)) func()                    { return func() {} }
func (offlineSync) Connect(context.Context, string, string) error        { return errNoSync }
func (offlineSync) Disconnect() error                                    { return nil }
func (offlineSync) Close() error                                         { return nil }
func (offlineSync) HostOn(context.Context, int) (HostInfo, error)        { return HostInfo{}, errNoSync }
func (offlineSync) HostPort() int                                        { return controller.DefaultHostPort }
func (offlineSync) StopHosting() error                                   { return nil }
func (offlineSync) Hosting() (HostInfo, bool)                            { return HostInfo{}, false }
func (offlineSync) ExportBundle(context.Context, io.Writer) (int, error) { return 0, errNoSync }
func (offlineSync) ImportBundle(context.Context, io.Reader, string) (int, error) {
	return 0, errNoSync
}
func (offlineSync) OfferInvite(context.Context) (InviteOffer, error) { return InviteOffer{}, errNoSync }
func (offlineSync) RetryNow()                                        {}

// syncText is a status in a few words.
func syncText(s SyncStatus) string {
	switch s.State {
	case client.StateConnecting:
		if s.Err != "" {
			return "Retrying: " + s.Err
		}
		return "Connecting…"
	case client.StateSyncing:
		if s.Pending > 0 {
			return fmt.Sprintf("Syncing %d changes", s.Pending)
		}
		return "Syncing"
	case client.StateUpToDate:
		// Hosting, "up to date" is said of the relay on this computer
		// only: beside "never synced" and the changes no other device
		// holds yet, it contradicted them.
		state := "Up to date"
		if s.Hosting {
			state = "Hosting · " + connectedText(s.Connected)
		}
		if s.Err != "" {
			return state + ", some changes refused"
		}
		return state
	case client.StateError:
		if s.Err != "" {
			return "Sync error: " + s.Err
		}
		return "Sync error"
	}
	return "Offline"
}

// connectedText says how many other devices sync with the relay this
// computer hosts: "Hosting" alone, beside "all changes synced", read as
// every device agreeing while none was connected.
func connectedText(n int) string {
	switch n {
	case 0:
		return "no device connected"
	case 1:
		return "1 device connected"
	}
	return formatInt(int64(n)) + " devices connected"
}

func syncIcon(s SyncStatus) fyne.Resource {
	switch s.State {
	case client.StateConnecting, client.StateSyncing:
		return theme.ViewRefreshIcon()
	case client.StateUpToDate:
		return theme.ConfirmIcon()
	case client.StateError:
		return theme.ErrorIcon()
	}
	return theme.VisibilityOffIcon()
}

// lastSyncText says when the shop last synced.
func lastSyncText(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "never synced"
	}
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return "last sync today " + t.Format("15:04")
	}
	return "last sync " + t.Format("2 Jan 15:04")
}

// syncScreen connects to a relay, hosts one, moves bundles and undoes
// conflicts.
type syncScreen struct {
	u   *UI
	obj fyne.CanvasObject
	gen int

	stateIcon  *widget.Icon
	tryNow     *fyne.Container  // Try now, shown while retrying: the wait between attempts cut short
	state      *widget.RichText // the state in bold, then when the shop last synced
	relay      *fieldEntry
	token      *fieldEntry
	connect    *widget.Button
	disconnect *widget.Button
	relayForm  *fieldForm
	peer       app.SyncPeer      // the relay synced with last, and its token, as load read it
	cards      *container.Scroll // the cards beside the conflicts

	host      *widget.Button
	hostPort  *widget.Entry // the port to host on
	hostForm  *fieldForm    // hostPort, with what was wrong with it
	hostInfo  *fyne.Container
	hostHint  *widget.Label
	hostAddrs *fyne.Container // one copyable row per address
	hostTok   *widget.Label

	inviteBtn *widget.Button
	seal      *widget.Button  // shown only while the shop is not sealed
	useInvite *widget.Button  // the same: take the key of a shop sealed elsewhere
	unsealed  *fyne.Container // the row of the two, hidden once sealed
	invite    *inviteView     // the invite shown last

	conflicts []app.Conflict
	settled   *widget.Label // what the last Undo or Keep did, above the list
	list      *widget.List
	listBox   *fyne.Container // holds list, which fitConflicts may replace
	empty     *widget.Label
	width     float32   // the list's width the rows' heights were set for
	heights   []float32 // the rows' heights set
	fitWhat   *rowFit   // measures a conflict's heading at the width
	fitValues *rowFit   // and its values
}

func newSyncScreen(u *UI) *syncScreen { return &syncScreen{u: u} }

func (s *syncScreen) title() string       { return "Sync" }
func (s *syncScreen) icon() fyne.Resource { return theme.ViewRefreshIcon() }

func (s *syncScreen) content() fyne.CanvasObject {
	if s.obj != nil {
		return s.obj
	}
	s.stateIcon = widget.NewIcon(theme.VisibilityOffIcon())
	// Retrying, the app waits up to 5 s between attempts; a maker who has
	// just restarted the relay tries at once.
	s.tryNow = container.NewHBox(widget.NewButtonWithIcon("Try now", theme.ViewRefreshIcon(), func() { s.u.sync.RetryNow() }))
	s.tryNow.Hide()
	s.state = widget.NewRichText(&widget.TextSegment{Text: "Offline", Style: widget.RichTextStyleStrong})
	s.state.Wrapping = fyne.TextWrapWord
	s.relay = newFieldEntry()
	s.relay.SetPlaceHolder("wss://relay.example.com")
	s.token = newFieldEntry()
	s.token.Password, s.token.Wrapping = true, fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewPasswordEntry
	s.token.SetPlaceHolder("the shop's relay token")
	// Connect and Disconnect say they are the relay's: beside the
	// screen's title they read as the whole screen's, the local network's
	// and the files' too.
	s.connect = widget.NewButtonWithIcon("Connect to relay", theme.LoginIcon(), s.doConnect)
	s.token.OnSubmitted = func(string) { s.doConnect() } // the token is typed last
	s.disconnect = widget.NewButtonWithIcon(disconnectText, theme.LogoutIcon(), s.doDisconnect)
	// Connect is blue once it has what it needs (connectReady); before,
	// blue over empty fields, it invited a press that could only fail. It
	// stays enabled: pressed early, it says under each field what is
	// missing.
	s.relay.OnChanged = func(string) { s.showConnectReady() }
	s.token.OnChanged = func(string) { s.showConnectReady() }
	s.relayForm = newFieldForm(widget.NewFormItem("Relay URL", s.relay), widget.NewFormItem("Token", s.token))
	s.showConnectReady()
	// The state and when the shop last synced share a line. Connect and
	// Disconnect are not here, under the fields, but beside the screen's
	// title: in the cards, whatever else the screen had to say (an error
	// under a field, a shop to seal, changes refused) pushed them below
	// the foot of an 800×600 window.
	relayCard := section("Relay", "Sync through a relay server, over the internet or the local network: give its URL and token, then Connect to relay at the top.",
		container.NewVBox(container.NewBorder(nil, nil, s.stateIcon, nil, s.state), s.tryNow, s.relayForm.obj))

	s.host = widget.NewButtonWithIcon("Host sync on this computer", theme.ComputerIcon(), s.doHost)
	s.hostPort = widget.NewEntry()
	s.hostPort.SetPlaceHolder(strconv.Itoa(controller.DefaultHostPort))
	s.hostPort.SetText(strconv.Itoa(s.u.sync.HostPort()))
	s.hostPort.OnSubmitted = func(string) { s.doHost() }
	portItem := widget.NewFormItem("Port", s.hostPort)
	portItem.HintText = fmt.Sprintf("from 1024 to 65535 (%d by default)", controller.DefaultHostPort)
	s.hostForm = newFieldForm(portItem)
	s.hostHint = widget.NewLabel("")
	s.hostHint.Wrapping = fyne.TextWrapWord
	s.hostAddrs = container.NewVBox()
	s.hostTok = copyableLabel()
	joinHint := widget.NewLabel("A new device joins with an invite: on it, Join a shop → pick this computer → type the code the invite shows.")
	joinHint.Wrapping = fyne.TextWrapWord
	s.hostInfo = container.NewVBox(joinHint,
		container.NewHBox(widget.NewButtonWithIcon("Invite a device…", theme.AccountIcon(), s.doInvite)),
		s.hostHint,
		widget.NewForm(
			widget.NewFormItem("Address", s.hostAddrs),
			widget.NewFormItem("Token", s.u.copyRow(s.hostTok))))
	s.hostInfo.Hide()
	hostCard := section("This network", "Let another computer on this network sync with this one, with no server.",
		container.NewVBox(s.hostForm.obj, container.NewHBox(s.host), s.hostInfo))

	s.inviteBtn = widget.NewButtonWithIcon("Invite a device…", theme.AccountIcon(), s.doInvite)
	s.inviteBtn.Importance = widget.HighImportance
	s.seal = widget.NewButtonWithIcon("Seal this shop…", theme.ContentClearIcon(), s.doSeal)
	s.useInvite = widget.NewButtonWithIcon("Use an invite…", theme.LoginIcon(), func() { s.useInviteForm() })
	s.unsealed = container.NewHBox(s.seal, s.useInvite)
	s.unsealed.Hidden = s.u.shop.Sealed()
	devicesCard := section("Devices", "Another device joins this shop with an invite: it carries the shop's key, which no relay holds.",
		container.NewVBox(container.NewHBox(s.inviteBtn), s.unsealed))

	fileCard := section("By file", "Carry changes on a USB stick: export here, import on the other computer.",
		container.NewHBox(widget.NewButtonWithIcon("Export bundle…", theme.DocumentSaveIcon(), func() { s.doExport() }),
			widget.NewButtonWithIcon("Import bundle…", theme.FolderOpenIcon(), func() { s.doImport() })))

	s.list = s.newConflictList()
	s.listBox = container.New(widthLayout{s.conflictsWidth}, s.list)
	s.empty = widget.NewLabel("No conflicts: every edit made on two devices at once merged cleanly.")
	s.empty.Wrapping = fyne.TextWrapWord
	s.empty.Hide()
	s.settled = widget.NewLabel("")
	s.settled.Wrapping = fyne.TextWrapWord
	s.settled.Hide()
	conflicts := section("Conflicts", "When two devices changed the same field at once, the later edit won; Undo restores the other value, Keep settles on the one kept.",
		container.NewBorder(s.settled, nil, nil, nil, container.NewStack(s.listBox, container.NewVBox(s.empty))))

	s.cards = container.NewVScroll(container.NewVBox(devicesCard, relayCard, hostCard, fileCard))
	// An error under a relay field goes as soon as the field is edited,
	// until the next Connect: greyed, it stood under the field retyped.
	s.relayForm.hideOnEdit(s.cards.Refresh)
	split := container.NewHSplit(s.cards, conflicts)
	split.Offset = 0.48
	s.obj = screenLayout("Sync", container.NewHBox(s.connect, s.disconnect), split)
	return s.obj
}

// copyableLabel shows text people copy to another computer. It breaks
// anywhere: a token has no spaces, and unbroken it would widen the window.
func copyableLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Selectable = true
	l.TextStyle.Monospace = true
	l.Wrapping = fyne.TextWrapBreak
	return l
}

// copyRow is l with a button that copies its text.
func (u *UI) copyRow(l *widget.Label) fyne.CanvasObject {
	copyText := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(l.Text)
	})
	return container.NewBorder(nil, nil, nil, copyText, l)
}

func (s *syncScreen) load() {
	s.content()
	s.showStatus()
	s.gen++
	gen := s.gen
	s.u.run(func(ctx context.Context) (func(), error) {
		cs, err := s.u.shop.Conflicts(ctx)
		if err != nil {
			return nil, err
		}
		peer, err := s.u.shop.SyncPeer(ctx)
		if err != nil {
			return nil, err
		}
		return func() {
			if gen != s.gen {
				return
			}
			// The status may have filled the relay in first (showStatus):
			// its token goes with it, or a device joined by an invite
			// showed an empty token while connected.
			if s.relay.Text == "" {
				s.relay.SetText(peer.Relay)
			}
			if s.token.Text == "" && s.relay.Text == peer.Relay {
				s.token.SetText(peer.Token)
			}
			s.peer = peer
			s.showConnectReady()
			s.conflicts = cs
			s.fitConflicts()
			s.empty.Hidden = len(cs) > 0
			s.empty.Refresh()
			s.list.Refresh()
		}, nil
	})
}

// showStatus shows the controller's state.
func (s *syncScreen) showStatus() {
	if s.obj == nil {
		return
	}
	st := s.u.status.syncStatus()
	if sealed := s.u.shop.Sealed(); s.unsealed.Hidden != sealed {
		s.unsealed.Hidden = sealed
		s.unsealed.Refresh()
	}
	// The relay this computer hosts is its own, not one to connect to:
	// filled in, it stayed as the relay once hosting stopped.
	if s.relay.Text == "" && st.Relay != "" && !st.Hosting {
		s.relay.SetText(st.Relay)
	}
	s.stateIcon.SetResource(syncIcon(st))
	if retrying := st.State == client.StateConnecting && st.Err != ""; retrying != s.tryNow.Visible() {
		s.tryNow.Hidden = !retrying
		s.tryNow.Refresh()
	}
	s.state.Segments = statusSegments(st, strings.TrimSpace(s.relay.Text), s.u.shop.Now())
	s.state.Refresh()
	if st.Idle() {
		s.connect.Enable()
		s.disconnect.Disable()
	} else {
		s.connect.Disable()
		s.disconnect.Enable()
	}
	if h, ok := s.u.sync.Hosting(); ok {
		s.showHost(h)
		s.hostPort.Disable() // in use: Stop hosting first
	} else {
		s.hostPort.Enable()
		s.hostInfo.Hide()
		s.host.SetText("Host sync on this computer")
		s.disconnect.SetText(disconnectText)
	}
}

// disconnectText is Disconnect's label; while this computer hosts, it is
// disconnectHostingText.
const (
	disconnectText        = "Disconnect from relay"
	disconnectHostingText = "Disconnect, stop hosting"
)

// connectReady reports whether Connect has what a connection needs: a
// relay URL, and a token typed or remembered for that relay (doConnect
// uses the remembered one).
func (s *syncScreen) connectReady() bool {
	relay := strings.TrimSpace(s.relay.Text)
	if relay == "" {
		return false
	}
	return strings.TrimSpace(s.token.Text) != "" || (relay == s.peer.Relay && s.peer.Token != "")
}

// showConnectReady makes Connect the screen's primary button once it is
// ready (connectReady), and a plain one before.
func (s *syncScreen) showConnectReady() {
	want := widget.MediumImportance
	if s.connectReady() {
		want = widget.HighImportance
	}
	if s.connect.Importance != want {
		s.connect.Importance = want
		s.connect.Refresh()
	}
}

// statusSegments are the state in bold, then when the shop last synced,
// the relay when the Relay URL field shows another, and the reason of
// changes refused on a line of its own. While this computer hosts, the
// relay in use is its own (the hosting card shows its addresses): a relay
// in the field is said to be unused.
func statusSegments(st SyncStatus, field string, now time.Time) []widget.RichTextSegment {
	detail := lastSyncText(st.LastSync, now)
	switch {
	case st.Hosting && field != "":
		detail += " · the relay below is not in use"
	case st.Hosting:
	case st.Relay != "" && st.Relay != field:
		detail = st.Relay + " · " + detail
	}
	if st.Err != "" && (st.State == client.StateUpToDate || st.State == client.StateSyncing) {
		detail += "\nRefused: " + st.Err
	}
	return []widget.RichTextSegment{
		&widget.TextSegment{Text: syncText(st), Style: widget.RichTextStyleStrong},
		&widget.TextSegment{Text: " · " + detail, Style: widget.RichTextStyleInline},
	}
}

func (s *syncScreen) showHost(h HostInfo) {
	s.hostHint.SetText("A device of this shop connects to this address with this token:")
	if len(h.Addresses) > 1 {
		s.hostHint.SetText("A device of this shop connects to one of these addresses with this token; the first is the likeliest to work:")
	}
	if h.Unlisted != "" {
		s.hostHint.SetText("Other computers will not find this one in their list (" + h.Unlisted + "). " + s.hostHint.Text)
	}
	// Hosting takes the place of the relay this computer synced with: it
	// said Up to date while that relay's changes no longer came, and a
	// laptop left on that relay sold units the host never saw.
	apart := "Devices still using another relay do not see this computer's changes, nor it theirs, until they connect here."
	if peer, err := s.u.shop.SyncPeer(s.u.ctx); err == nil && peer.Relay != "" && !peer.Off {
		apart = "While it hosts, this computer syncs through it instead of " + peer.Relay + "; Stop hosting goes back to that one. " +
			"Devices still using " + peer.Relay + " do not see this computer's changes, nor it theirs, until they connect here or it goes back to that relay."
	}
	s.hostHint.SetText(apart + " " + s.hostHint.Text)
	if !slices.Equal(s.shownAddrs(), h.Addresses) {
		s.hostAddrs.RemoveAll()
		for _, a := range h.Addresses {
			l := copyableLabel()
			l.SetText(a)
			s.hostAddrs.Add(s.u.copyRow(l))
		}
	}
	s.hostTok.SetText(h.Token)
	s.hostInfo.Show()
	s.host.SetText("Stop hosting")
	// Disconnect stops hosting too (the relay in the app went on serving
	// a copy the app no longer fed): "from relay" alone hid that.
	s.disconnect.SetText(disconnectHostingText)
}

// shownAddrs are the addresses the hosting card shows.
func (s *syncScreen) shownAddrs() []string {
	var out []string
	for _, row := range s.hostAddrs.Objects {
		out = append(out, row.(*fyne.Container).Objects[0].(*widget.Label).Text)
	}
	return out
}

func (s *syncScreen) shown() {}

// arrived takes a port refused while the maker was last here away, with
// its error, for the port hosting takes: under the field, the error read
// as the answer to something done since.
func (s *syncScreen) arrived() {
	if s.obj == nil {
		return
	}
	if _, ok := s.u.sync.Hosting(); ok {
		return // the port hosted on, greyed out
	}
	s.hostForm.report(nil)
	s.hostPort.SetText(strconv.Itoa(s.u.sync.HostPort()))
}

func (s *syncScreen) doConnect() {
	relay, token := strings.TrimSpace(s.relay.Text), strings.TrimSpace(s.token.Text)
	typed := token
	if token == "" {
		// The token remembered for this relay, as `microshopctl sync` takes
		// it: a device joined with an invite never saw its token, and after
		// a restart Connect said it was empty.
		if peer, err := s.u.shop.SyncPeer(s.u.ctx); err == nil && peer.Relay == relay {
			token = peer.Token
		}
	}
	bad := fieldErrors{}
	if relay == "" {
		bad.add(s.relay, domain.Errorf(domain.EInvalid, "the relay URL is empty; give one like wss://relay.example.com or ws://192.168.1.20:7420"))
	} else {
		// Said under the field, nothing kept: a URL without ws:// was
		// saved, and failed only as a sync error in red on every screen.
		bad.add(s.relay, client.CheckRelayAddress(relay))
	}
	if token == "" {
		bad.add(s.token, domain.Errorf(domain.EInvalid, "the token is empty; give the token made for this shop with microshop-relay token create"))
	} else if typed != "" {
		bad.add(s.token, app.CheckToken(typed))
	}
	s.relayForm.report(bad.orNil())
	if len(bad) > 0 {
		s.scrollIntoView(s.relayForm.obj)
		return
	}
	s.u.act(func(ctx context.Context) (func(), error) {
		if err := s.u.sync.Connect(ctx, relay, token); err != nil {
			return nil, err
		}
		return func() {
			s.peer = app.SyncPeer{Relay: relay, Token: token} // as Connect remembered them
			s.showStatus()
		}, nil
	})
}

// scrollIntoView scrolls the cards so that o, one of their objects, shows
// whole, or its top when it is taller than they show. Connect is at the
// top of the screen, and at 800×600 what it said under the relay's fields
// was below the fold, as if the press had done nothing.
func (s *syncScreen) scrollIntoView(o fyne.CanvasObject) {
	s.cards.Refresh() // lays the cards out again with what o shows now
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(s.cards).Y + s.cards.Offset.Y
	shown := s.cards.Size().Height
	y := s.cards.Offset.Y
	switch {
	case top < y || o.Size().Height > shown:
		y = top
	case top+o.Size().Height > y+shown:
		y = top + o.Size().Height - shown
	}
	s.cards.ScrollToOffset(fyne.NewPos(0, y))
}

func (s *syncScreen) doDisconnect() {
	s.u.act(func(context.Context) (func(), error) {
		return s.showStatus, s.u.sync.Disconnect()
	})
}

func (s *syncScreen) doHost() {
	if _, ok := s.u.sync.Hosting(); ok {
		s.u.act(func(context.Context) (func(), error) {
			return s.showStatus, s.u.sync.StopHosting()
		})
		return
	}
	port, err := controller.ParseHostPort(s.hostPort.Text)
	if err != nil {
		s.hostForm.report(fieldErrors{s.hostPort: err})
		s.scrollIntoView(s.hostForm.obj)
		return
	}
	s.u.act(func(ctx context.Context) (func(), error) {
		h, err := s.u.sync.HostOn(ctx, port)
		switch domain.ErrorCode(err) {
		case "":
		case domain.EConflict, domain.EInvalid:
			// The port: another program uses it. Said under it, to
			// choose another there.
			return func() {
				s.hostForm.report(fieldErrors{s.hostPort: err})
				s.scrollIntoView(s.hostForm.obj)
			}, nil
		default:
			return nil, err
		}
		return func() {
			s.hostForm.report(nil)
			s.hostPort.Disable() // in use: Stop hosting first
			s.showHost(h)
		}, nil
	})
}

// doExport asks for a folder and a file name to write the bundle to (see
// saveFile).
func (s *syncScreen) doExport() *formDialog {
	u := s.u
	f := u.newSaveFile("microshop-"+u.shop.Now().Format("2006-01-02")+".msb", "every change of this shop, for a device with no network")
	var d *formDialog
	d = u.newFormDialog("Export bundle", "Export", f.items, func() error {
		bad := fieldErrors{}
		f.check(bad)
		if err := bad.orNil(); err != nil {
			return err
		}
		var n int
		return f.write(d, func(ctx context.Context, path string, overwrite bool) error {
			out, err := u.shop.CreateOutput(path, overwrite)
			if err != nil {
				return err
			}
			defer out.Abort() // nothing once committed
			if n, err = u.sync.ExportBundle(ctx, out); err != nil {
				return err
			}
			return out.Commit()
		}, func(path string) {
			u.inform("Bundle exported", fmt.Sprintf("wrote %s to %s", plural(n, "change", "changes"), path))
		})
	})
	d.show()
	return d
}

// doImport asks for a bundle file in a form with a path box, as the
// export does, with Choose… for Fyne's open dialog: that dialog alone
// started in the home folder, with no way to type where the stick is.
func (s *syncScreen) doImport() *formDialog {
	u := s.u
	file := newFieldEntry()
	file.SetPlaceHolder("a .msb file another device exported, e.g. on a USB stick")
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() { u.chooseFile(file) })
	var d *formDialog
	d = u.newFormDialog("Import bundle", "Import", []*widget.FormItem{
		{Text: "Bundle file", Widget: container.NewBorder(nil, nil, nil, choose, file)},
	}, func() error {
		path := strings.TrimSpace(file.Text)
		if path == "" {
			return fieldErrors{file: domain.Errorf(domain.EInvalid, "no file is given; choose the bundle to import")}
		}
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return fieldErrors{file: domain.Errorf(domain.ENotFound, "there is no file %s; choose the bundle to import", path)}
		} else if err != nil {
			return fieldErrors{file: domain.Errorf(domain.EUnavailable, "%s cannot be read; check that this account may read it", path)}
		}
		if fi, err := f.Stat(); err != nil || fi.IsDir() {
			f.Close()
			return fieldErrors{file: domain.Errorf(domain.EInvalid, "%s is a folder; choose the bundle file in it", path)}
		}
		name := filepath.Base(path)
		return d.await(func(ctx context.Context) (func(), error) {
			defer f.Close()
			n, err := u.sync.ImportBundle(ctx, f, name)
			return func() {
				u.inform("Bundle imported", importedText(n, name))
				u.changed()
			}, err
		})
	})
	d.show()
	return d
}

// importedText says what importing a bundle file brought.
func importedText(n int, file string) string {
	return fmt.Sprintf("applied %s from %s", plural(n, "new change", "new changes"), file)
}
