package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
	"microshop/sync/lan"
)

// NearbyHosts is the local network as the first-run join form sees it:
// the computers hosting sync, and the invite one offers under the short
// code it shows. lan.Finder is the real one.
type NearbyHosts interface {
	Hosts(ctx context.Context) ([]lan.Host, error)
	FetchInvite(ctx context.Context, h lan.Host, code string) (string, error)
}

// nearbyPicker lists the hosts nearby and takes the code one shows: a way
// to join with no invite to paste.
type nearbyPicker struct {
	f       *firstRun
	hosts   *widget.Select
	refresh *widget.Button
	code    *widget.Entry
	row     fyne.CanvasObject   // the list and its refresh button
	found   map[string]lan.Host // by the option shown
	looking bool
}

func newNearbyPicker(f *firstRun) *nearbyPicker {
	p := &nearbyPicker{f: f, found: map[string]lan.Host{}}
	p.hosts = widget.NewSelect(nil, nil)
	p.hosts.PlaceHolder = "Looking…"
	p.refresh = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), p.find)
	p.code = widget.NewEntry()
	p.code.SetPlaceHolder("XXXX-XXXX")
	p.row = container.NewBorder(nil, nil, nil, p.refresh, p.hosts)
	return p
}

// find asks the network for hosts again and lists them; a single one is
// picked at once.
func (p *nearbyPicker) find() {
	if p.looking {
		return
	}
	p.looking = true
	p.refresh.Disable()
	p.hosts.PlaceHolder = "Looking…"
	p.hosts.ClearSelected()
	u := p.f.u
	u.act(func(ctx context.Context) (func(), error) {
		hosts, err := u.opts.Nearby.Hosts(ctx)
		return func() {
			p.looking = false
			p.refresh.Enable()
			p.show(hosts)
			if err != nil {
				p.f.joinForm.report(fieldErrors{p.hosts: err})
			}
		}, nil
	})
}

// show lists hosts, each by its name (with a number when two share one).
func (p *nearbyPicker) show(hosts []lan.Host) {
	p.found = map[string]lan.Host{}
	options := make([]string, 0, len(hosts))
	for _, h := range hosts {
		label := h.Name
		for n := 2; p.found[label].Name != ""; n++ { // two computers given one name
			label = fmt.Sprintf("%s (%d)", h.Name, n)
		}
		p.found[label] = h
		options = append(options, label)
	}
	p.hosts.Options = options
	p.hosts.PlaceHolder = "None found" // the invite field's error says what to do
	if len(options) > 0 {
		p.hosts.PlaceHolder = "Pick one"
	}
	p.hosts.Refresh()
	if len(options) == 1 {
		p.hosts.SetSelected(options[0])
	}
}

// picked is the host chosen, if any.
func (p *nearbyPicker) picked() (lan.Host, bool) {
	h, ok := p.found[p.hosts.Selected]
	return h, ok
}

// check is what is wrong with joining h with the code typed.
func (p *nearbyPicker) check(h lan.Host, bad fieldErrors) string {
	typed := strings.TrimSpace(p.code.Text)
	if typed == "" {
		bad.add(p.code, domain.Errorf(domain.EInvalid, "the code is empty; on %s, choose Invite a device on the Sync screen and type the code it shows", h.Name))
		return ""
	}
	code, err := lan.ParseCode(typed)
	bad.add(p.code, err)
	return code
}

// joinNearby fetches the invite the picked host offers under the code
// typed, and joins with it.
func (f *firstRun) joinNearby(h lan.Host, device string) {
	bad := fieldErrors{}
	code := f.near.check(h, bad)
	f.joinWith(bad, device, "", func(ctx context.Context) (string, error) { return f.u.opts.Nearby.FetchInvite(ctx, h, code) })
}
