package lan

import (
	"net/url"
	"slices"

	"microshop/app"
)

// reachedFirst is invite with the relay at the address that just answered
// put first: a host lists every address it has (a cable's, a VPN's, a
// virtual network's), and the joining computer would otherwise try them
// in the host's order, waiting on each one it cannot reach. An invite that
// does not read, or that lists no such address, is returned as it is.
func reachedFirst(invite, reached string) string {
	in, err := app.ParseInvite(invite)
	if err != nil {
		return invite
	}
	r, err := url.Parse(reached)
	if err != nil {
		return invite
	}
	i := slices.IndexFunc(in.Relays, func(relay string) bool {
		u, err := url.Parse(relay)
		return err == nil && u.Scheme == r.Scheme && u.Host == r.Host
	})
	if i <= 0 {
		return invite
	}
	first := in.Relays[i]
	in.Relays = append([]string{first}, slices.Delete(slices.Clone(in.Relays), i, i+1)...)
	return in.String()
}
