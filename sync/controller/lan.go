package controller

import (
	"net"
	"slices"
	"strconv"
)

// netInterface is what hosting needs to know of one network interface.
type netInterface struct {
	flags net.Flags
	addrs []net.Addr
}

// interfaces reads this computer's network interfaces.
func interfaces() []netInterface {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil
	}
	out := make([]netInterface, 0, len(ifs))
	for _, i := range ifs {
		addrs, err := i.Addrs()
		if err != nil {
			continue
		}
		out = append(out, netInterface{flags: i.Flags, addrs: addrs})
	}
	return out
}

// relayURLs are the addresses another computer can type to reach a relay
// on port, one per address of ips.
func relayURLs(ips []net.IP, port int) []string {
	urls := make([]string, len(ips))
	for i, ip := range ips {
		urls[i] = "ws://" + net.JoinHostPort(ip.String(), strconv.Itoa(port))
	}
	return urls
}

// hostIPs are the addresses another computer may reach this one by: one
// per address of an interface that is up, private LAN ones first, then
// the rest (a cable between two machines gets 169.254.x.x, a carrier
// network 100.64.x.x, some networks public or IPv6 addresses only). Only
// this computer's own address when it has no other.
func hostIPs(ifs []netInterface) []net.IP {
	var ips []net.IP
	for _, i := range ifs {
		if i.flags&net.FlagUp == 0 || i.flags&net.FlagLoopback != 0 {
			continue
		}
		for _, a := range i.addrs {
			ip := addrIP(a)
			// An IPv6 link-local address needs the zone of the computer
			// that dials it, which this one cannot know.
			if ip == nil || ip.IsLoopback() || ip.IsUnspecified() || ip.IsMulticast() || ip.IsLinkLocalUnicast() && ip.To4() == nil {
				continue
			}
			if !slices.ContainsFunc(ips, ip.Equal) {
				ips = append(ips, ip)
			}
		}
	}
	slices.SortStableFunc(ips, func(a, b net.IP) int { return addrRank(a) - addrRank(b) })
	if len(ips) == 0 {
		ips = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	return ips
}

func addrIP(a net.Addr) net.IP {
	switch a := a.(type) {
	case *net.IPNet:
		return a.IP
	case *net.IPAddr:
		return a.IP
	}
	return nil
}

// addrRank orders addresses by how likely another computer nearby reaches
// them: private IPv4, private IPv6, other IPv4, other IPv6.
func addrRank(ip net.IP) int {
	rank := 0
	if ip.To4() == nil {
		rank++
	}
	if !ip.IsPrivate() {
		rank += 2
	}
	return rank
}
