package main

import (
	"context"
	"fmt"
	"strings"

	"microshop/domain"
	"microshop/sync/lan"
)

// networkKey carries, in tests, the network join --lan looks on, so that
// no test sends multicast.
type networkKey struct{}

func networkOf(ctx context.Context) lan.Network {
	n, _ := ctx.Value(networkKey{}).(lan.Network)
	return n // the zero Network is the real local network
}

// lanHostsJSON is the shape of `join --lan` without --code.
type lanHostsJSON struct {
	Hosts []lan.Host `json:"hosts"`
}

// joinLAN finds the computers hosting sync on this network; without a
// code it lists them, with one it fetches the invite the chosen host
// offers under that code and joins with it.
func joinLAN(ctx context.Context, c *cli, code, hostName, device string) error {
	if code != "" {
		if _, err := lan.ParseCode(code); err != nil {
			return err // before a wait on the network
		}
	}
	hosts, err := networkOf(ctx).Browse(ctx, lan.DefaultWait)
	if err != nil {
		return err
	}
	if code == "" {
		return c.listHosts(hosts)
	}
	h, err := pickHost(hosts, hostName)
	if err != nil {
		return err
	}
	invite, err := lan.FetchInviteFrom(ctx, h, code)
	if err != nil {
		return err
	}
	return joinWithInvite(ctx, c, invite, device)
}

func (c *cli) listHosts(hosts []lan.Host) error {
	if c.json {
		return c.printJSON(lanHostsJSON{Hosts: hosts})
	}
	if len(hosts) == 0 {
		c.say("No computer on this network hosts sync. On the computer with the shop, choose Host sync on this computer on the Sync screen, then run this again; or join with an invite: microshopctl join --invite INVITE.")
		return nil
	}
	for _, h := range hosts {
		c.say("%s\t%s\tshop %s", h.Name, strings.Join(h.URLs, " "), h.Shop)
	}
	hint := "Run again with the code the host shows (Invite a device on its Sync screen): microshopctl join --lan --code CODE"
	if len(hosts) > 1 {
		hint += " --host NAME"
	}
	c.say("%s; or join with an invite: microshopctl join --invite INVITE.", hint)
	return nil
}

// pickHost is the host named name (any case), or the only one when name
// is empty.
func pickHost(hosts []lan.Host, name string) (lan.Host, error) {
	names := make([]string, len(hosts))
	for i, h := range hosts {
		names[i] = fmt.Sprintf("%q", h.Name)
	}
	if len(hosts) == 0 {
		return lan.Host{}, domain.Errorf(domain.ENotFound, "no computer on this network hosts sync; on the computer with the shop, choose Host sync on this computer on the Sync screen, or join with --invite")
	}
	if name == "" {
		if len(hosts) > 1 {
			return lan.Host{}, usagef("%d computers host sync on this network (%s); say which with --host NAME", len(hosts), strings.Join(names, ", "))
		}
		return hosts[0], nil
	}
	var found []lan.Host
	for _, h := range hosts {
		if strings.EqualFold(h.Name, strings.TrimSpace(name)) {
			found = append(found, h)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return lan.Host{}, domain.Errorf(domain.ENotFound, "no computer named %q hosts sync on this network; found %s", name, strings.Join(names, ", "))
	}
	return lan.Host{}, domain.Errorf(domain.EConflict, "%d computers named %q host sync on this network; rename one of them, or join with --invite", len(found), name)
}
