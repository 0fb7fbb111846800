package controller

import (
	"net"
	"slices"
	"testing"
)

func ipNet(s string) net.Addr {
	ip, n, err := net.ParseCIDR(s)
	if err != nil {
		panic(err)
	}
	n.IP = ip
	return n
}

func TestRelayURLsListEveryAddressPrivateFirst(t *testing.T) {
	up := net.FlagUp | net.FlagBroadcast
	loopback := netInterface{flags: net.FlagUp | net.FlagLoopback, addrs: []net.Addr{ipNet("127.0.0.1/8"), ipNet("::1/128")}}
	cases := []struct {
		name string
		ifs  []netInterface
		want []string
	}{
		{"home network", []netInterface{loopback, {flags: up, addrs: []net.Addr{ipNet("192.168.1.20/24"), ipNet("fe80::1c2a:3bff:fe4d:5e6f/64")}}},
			[]string{"ws://192.168.1.20:7420"}},
		{"a cable between two computers", []netInterface{loopback, {flags: up, addrs: []net.Addr{ipNet("169.254.10.2/16")}}},
			[]string{"ws://169.254.10.2:7420"}},
		{"carrier-grade NAT", []netInterface{{flags: up, addrs: []net.Addr{ipNet("100.72.14.9/10")}}},
			[]string{"ws://100.72.14.9:7420"}},
		{"public and IPv6 only", []netInterface{{flags: up, addrs: []net.Addr{ipNet("2a02:8109:b6c0:1e00::7/64"), ipNet("203.0.113.7/24")}}},
			[]string{"ws://203.0.113.7:7420", "ws://[2a02:8109:b6c0:1e00::7]:7420"}},
		{"private ones first, across interfaces", []netInterface{
			{flags: up, addrs: []net.Addr{ipNet("169.254.3.4/16"), ipNet("2a02:8109::7/64")}},
			{flags: up, addrs: []net.Addr{ipNet("fd12:3456::9/64"), ipNet("10.0.0.5/8")}},
			{flags: up, addrs: []net.Addr{&net.IPAddr{IP: net.ParseIP("172.16.4.2")}}},
		}, []string{"ws://10.0.0.5:7420", "ws://172.16.4.2:7420", "ws://[fd12:3456::9]:7420", "ws://169.254.3.4:7420", "ws://[2a02:8109::7]:7420"}},
		{"interfaces that are down are left out", []netInterface{{flags: net.FlagBroadcast, addrs: []net.Addr{ipNet("192.168.1.20/24")}}, {flags: up, addrs: []net.Addr{ipNet("100.72.14.9/10")}}},
			[]string{"ws://100.72.14.9:7420"}},
		{"one address on two interfaces is listed once", []netInterface{{flags: up, addrs: []net.Addr{ipNet("10.1.1.1/8")}}, {flags: up, addrs: []net.Addr{ipNet("10.1.1.1/32")}}},
			[]string{"ws://10.1.1.1:7420"}},
		{"no network: this computer only", []netInterface{loopback}, []string{"ws://127.0.0.1:7420"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := relayURLs(hostIPs(c.ifs), 7420); !slices.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
