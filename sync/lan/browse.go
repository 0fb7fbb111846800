package lan

import (
	"context"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/miekg/dns"
)

// Host is a computer on the local network hosting sync for a shop.
type Host struct {
	Name string   `json:"name"` // the device's name, for people
	Shop string   `json:"shop"` // the shop's id
	URLs []string `json:"urls"` // its relay, ws://HOST:PORT, the likeliest first
}

// Limits on what one browse keeps, so that a device flooding the network
// with answers costs a bounded amount of memory.
const (
	maxNames    = 256 // names remembered of each kind
	maxIPs      = 8   // addresses kept per host name
	maxTXT      = 16  // strings read of a TXT record
	maxHostURLs = 8
)

// Browse asks the local network for hosts for wait (less if ctx ends
// first) and returns those that answered, sorted by name. Answers that are
// malformed, incomplete or of another version are left out.
func (n Network) Browse(ctx context.Context, wait time.Duration) ([]Host, error) {
	tr, err := n.open()
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	packets := make(chan packet, 16)
	go func() {
		for {
			msg, from, err := tr.Receive()
			if err != nil {
				return
			}
			select {
			case packets <- packet{msg: msg, from: from}:
			default: // behind: drop, as the network would
			}
		}
	}()
	if err := tr.Send(query()); err != nil {
		return nil, err
	}
	done := time.NewTimer(wait)
	defer done.Stop()
	// The question goes out twice, a lost datagram being common on Wi-Fi.
	again := time.NewTimer(wait / 2)
	defer again.Stop()
	seen := newSightings()
	for {
		select {
		case p := <-packets:
			seen.read(p.msg, p.from)
		case <-again.C:
			tr.Send(query())
		case <-done.C:
			return seen.hosts(), nil
		case <-ctx.Done():
			return seen.hosts(), ctx.Err()
		}
	}
}

// query asks for every instance of the service.
func query() []byte {
	var m dns.Msg
	m.SetQuestion(serviceAddr, dns.TypePTR)
	m.Id = 0 // RFC 6762 section 18.1
	m.RecursionDesired = false
	out, _ := m.Pack()
	return out
}

// sightings gathers the records answers bring; a host's records may come
// in several answers.
type sightings struct {
	instances []string            // instance names, lower case, in the order seen
	srv       map[string]*dns.SRV // by instance
	txt       map[string][]string // by instance
	ips       map[string][]net.IP // by host name
	from      map[string]net.IP   // by instance: where its SRV came from
	raw       map[string]string   // lower-case instance name → as written
}

func newSightings() *sightings {
	return &sightings{srv: map[string]*dns.SRV{}, txt: map[string][]string{}, ips: map[string][]net.IP{},
		from: map[string]net.IP{}, raw: map[string]string{}}
}

// read takes the records of one message; anything it cannot use is left.
func (s *sightings) read(raw []byte, from net.Addr) {
	var m dns.Msg
	if m.Unpack(raw) != nil || !m.Response || m.Opcode != dns.OpcodeQuery || m.Rcode != 0 {
		return
	}
	for _, rr := range append(m.Answer, m.Extra...) {
		s.record(rr, from)
	}
}

func (s *sightings) record(rr dns.RR, from net.Addr) {
	name := strings.ToLower(rr.Header().Name)
	switch rr := rr.(type) {
	case *dns.PTR:
		if strings.EqualFold(rr.Hdr.Name, serviceAddr) {
			s.instance(rr.Ptr)
		}
	case *dns.SRV:
		if _, ok := s.raw[name]; ok || s.instance(rr.Hdr.Name) {
			s.srv[name] = rr
			s.from[name] = addrIP(from)
		}
	case *dns.TXT:
		if _, ok := s.raw[name]; ok || s.instance(rr.Hdr.Name) {
			s.txt[name] = rr.Txt[:min(len(rr.Txt), maxTXT)]
		}
	case *dns.A:
		s.addIP(ipKey(name, addrIP(from)), rr.A)
	case *dns.AAAA:
		s.addIP(ipKey(name, addrIP(from)), rr.AAAA)
	}
}

// instance notes an instance of the service; it reports whether the name
// is one (and room was left for it).
func (s *sightings) instance(name string) bool {
	key := strings.ToLower(name)
	if _, ok := s.raw[key]; ok {
		return true
	}
	label, rest := firstLabel(name)
	if label == "" || !strings.EqualFold(rest, serviceAddr) || len(s.instances) >= maxNames {
		return false
	}
	s.raw[key] = label
	s.instances = append(s.instances, key)
	return true
}

func (s *sightings) addIP(host string, ip net.IP) {
	if ip == nil || (len(s.ips) >= maxNames && s.ips[host] == nil) {
		return
	}
	if ips := s.ips[host]; len(ips) < maxIPs && !slices.ContainsFunc(ips, ip.Equal) {
		s.ips[host] = append(ips, ip)
	}
}

// hosts are the instances whose records are complete and usable.
func (s *sightings) hosts() []Host {
	out := []Host{}
	for _, key := range s.instances {
		if h, ok := s.host(key); ok {
			out = append(out, h)
		}
	}
	slices.SortStableFunc(out, func(a, b Host) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (s *sightings) host(key string) (Host, bool) {
	srv, txt := s.srv[key], s.txt[key]
	if srv == nil || txt == nil || srv.Port == 0 {
		return Host{}, false
	}
	fields := txtFields(txt)
	if fields["v"] != protocolVersion {
		return Host{}, false
	}
	shop, err := uuid.Parse(fields["shop"])
	if err != nil {
		return Host{}, false
	}
	name := displayName(s.raw[key])
	if name == "" {
		return Host{}, false
	}
	urls := hostURLs(s.from[key], s.ips[ipKey(strings.ToLower(srv.Target), s.from[key])], int(srv.Port))
	if len(urls) == 0 {
		return Host{}, false
	}
	return Host{Name: name, Shop: shop.String(), URLs: urls}, true
}

// ipKey keys a host's addresses by who told them as well as by its name:
// a computer answers for itself, so the addresses another one claims for
// it are not taken.
func ipKey(host string, from net.IP) string {
	return host + " " + from.String()
}

// txtFields reads key=value strings; a key without "=" has an empty value,
// and the first of a repeated key counts (RFC 6763 section 6.4).
func txtFields(txt []string) map[string]string {
	fields := map[string]string{}
	for _, t := range txt {
		k, v, _ := strings.Cut(t, "=")
		k = strings.ToLower(k)
		if _, ok := fields[k]; !ok && k != "" {
			fields[k] = v
		}
	}
	return fields
}

// hostURLs are the relay URLs of a host: the addresses it gave, with the
// one its answer came from first when it is among them (that one surely
// reaches this computer), else last. Addresses no one can dial are left
// out: unspecified, multicast, and IPv6 link-local, whose zone is this
// computer's to know.
func hostURLs(from net.IP, ips []net.IP, port int) []string {
	usable := func(ip net.IP) bool {
		return ip != nil && !ip.IsUnspecified() && !ip.IsMulticast() && !(ip.IsLinkLocalUnicast() && ip.To4() == nil)
	}
	var order []net.IP
	if slices.ContainsFunc(ips, from.Equal) {
		order = append(order, from)
	}
	for _, ip := range ips {
		if !slices.ContainsFunc(order, ip.Equal) {
			order = append(order, ip)
		}
	}
	if usable(from) && !slices.ContainsFunc(order, from.Equal) {
		order = append(order, from)
	}
	var urls []string
	for _, ip := range order {
		if usable(ip) && len(urls) < maxHostURLs {
			urls = append(urls, "ws://"+net.JoinHostPort(ip.String(), strconv.Itoa(port)))
		}
	}
	return urls
}

func addrIP(a net.Addr) net.IP {
	switch a := a.(type) {
	case *net.UDPAddr:
		return a.IP
	case *net.IPAddr:
		return a.IP
	}
	return nil
}
