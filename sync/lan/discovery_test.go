package lan

import (
	"context"
	"net"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/miekg/dns"
)

const testShop = "0190f3a2-7b1c-7d4e-8f00-123456789abc"

func stallAd() Ad {
	return Ad{Name: "Stall laptop", Computer: "stall", Shop: testShop, Port: 7420,
		IPs: []net.IP{net.ParseIP("192.168.1.20"), net.ParseIP("fd12::20")}}
}

func advertise(t *testing.T, n Network, ad Ad) func() {
	t.Helper()
	stop, err := n.Advertise(ad)
	if err != nil {
		t.Fatalf("advertise: %v", err)
	}
	t.Cleanup(stop)
	return stop
}

func browse(t *testing.T, n Network) []Host {
	t.Helper()
	hosts, err := n.Browse(context.Background(), 2*time.Second)
	if err != nil {
		t.Fatalf("browse: %v", err)
	}
	return hosts
}

func TestAdvertisedHostIsFoundWithNameShopAndAddresses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemory()
		advertise(t, mem.Network(), stallAd())
		other := stallAd()
		other.Name, other.Computer, other.Shop, other.Port, other.IPs = "Workshop desktop", "workshop", "0190f3a2-0000-7000-8000-000000000001", 7421, []net.IP{net.ParseIP("10.0.0.5")}
		advertise(t, mem.Network(), other)

		got := browse(t, mem.Network())
		want := []Host{
			{Name: "Stall laptop", Shop: testShop, URLs: []string{"ws://192.168.1.20:7420", "ws://[fd12::20]:7420", "ws://127.0.0.1:7420"}},
			{Name: "Workshop desktop", Shop: other.Shop, URLs: []string{"ws://10.0.0.5:7421", "ws://127.0.0.1:7421"}},
		}
		if !slices.EqualFunc(got, want, sameHost) {
			t.Fatalf("found %+v\nwant %+v", got, want)
		}
	})
}

func sameHost(a, b Host) bool {
	return a.Name == b.Name && a.Shop == b.Shop && slices.Equal(a.URLs, b.URLs)
}

func TestStoppedHostIsNoLongerFound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemory()
		stop := advertise(t, mem.Network(), stallAd())
		if got := browse(t, mem.Network()); len(got) != 1 {
			t.Fatalf("before stop: found %+v", got)
		}
		stop()
		if got := browse(t, mem.Network()); len(got) != 0 {
			t.Fatalf("after stop: found %+v, want none", got)
		}
		if n := mem.Listening(); n != 0 {
			t.Fatalf("%d transports still open after stop and browse", n)
		}
	})
}

func TestNamesPeopleGiveSurviveTheNetwork(t *testing.T) {
	long := "Ein sehr langer Name für den Laptop am Stand auf dem Weihnachtsmarkt in Köln"
	cases := []struct{ name, want string }{
		{"Stall laptop", "Stall laptop"},
		{"Café.Bar (back room)", "Café.Bar (back room)"},
		{`a\b "quoted"; @home`, `a\b "quoted"; @home`},
		{"  Ana's Mac  ", "Ana's Mac"},
		{long, "Ein sehr langer Name für den Laptop am Stand auf dem Weihnacht"},
		{"日本の屋台のノートパソコン、とても長い名前です", "日本の屋台のノートパソコン、とても長い名前"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				mem := NewMemory()
				ad := stallAd()
				ad.Name = c.name
				advertise(t, mem.Network(), ad)
				got := browse(t, mem.Network())
				if len(got) != 1 || got[0].Name != c.want {
					t.Fatalf("found %+v, want one host named %q", got, c.want)
				}
			})
		})
	}
}

func TestAdvertiseRefusesWhatCannotBeAdvertised(t *testing.T) {
	mem := NewMemory()
	for name, change := range map[string]func(*Ad){
		"no name":    func(a *Ad) { a.Name = "  " },
		"no port":    func(a *Ad) { a.Port = 0 },
		"port 70000": func(a *Ad) { a.Port = 70000 },
		"no address": func(a *Ad) { a.IPs = nil },
	} {
		ad := stallAd()
		change(&ad)
		if _, err := mem.Network().Advertise(ad); err == nil {
			t.Errorf("%s: advertised", name)
		}
	}
	if n := mem.Listening(); n != 0 {
		t.Fatalf("refused ads left %d transports open", n)
	}
}

// answer is a response holding rrs, as a stranger on the network sends it.
func answer(t *testing.T, rrs ...string) []byte {
	t.Helper()
	m := dns.Msg{MsgHdr: dns.MsgHdr{Response: true, Authoritative: true}}
	for _, s := range rrs {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		m.Answer = append(m.Answer, rr)
	}
	out, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hostile is a stranger that answers every question with its answers.
func hostile(mem *Memory, answers [][]byte) func() {
	tr := mem.Join()
	go func() {
		for {
			msg, _, err := tr.Receive()
			if err != nil {
				return
			}
			var q dns.Msg
			if q.Unpack(msg) != nil || q.Response {
				continue // answer questions only, or answers would echo for ever
			}
			for _, a := range answers {
				mem.Inject(a, &net.UDPAddr{IP: net.IPv4(192, 168, 1, 66), Port: 5353})
			}
		}
	}()
	return func() { tr.Close() }
}

func TestMalformedAndHostileAnswersAreIgnored(t *testing.T) {
	const inst = "evil._microshop._tcp.local."
	ptr := "_microshop._tcp.local. 120 IN PTR "
	cases := map[string][][]byte{
		"garbage bytes":             {[]byte("not dns at all"), {0xff, 0xff, 0xff}, nil},
		"cut short":                 {answer(t, ptr+inst, "evil._microshop._tcp.local. 120 IN SRV 10 1 7420 evil.local.")[:40]},
		"no TXT":                    {answer(t, ptr+inst, inst+" 120 IN SRV 10 1 7420 evil.local.", "evil.local. 120 IN A 192.168.1.66")},
		"no SRV":                    {answer(t, ptr+inst, inst+` 120 IN TXT "v=1" "shop=`+testShop+`"`)},
		"another version":           {answer(t, ptr+inst, inst+" 120 IN SRV 10 1 7420 evil.local.", inst+` 120 IN TXT "v=2" "shop=`+testShop+`"`)},
		"no shop":                   {answer(t, ptr+inst, inst+" 120 IN SRV 10 1 7420 evil.local.", inst+` 120 IN TXT "v=1"`)},
		"a shop id that is not one": {answer(t, ptr+inst, inst+" 120 IN SRV 10 1 7420 evil.local.", inst+` 120 IN TXT "v=1" "shop=../../etc"`)},
		"port 0":                    {answer(t, ptr+inst, inst+" 120 IN SRV 10 1 0 evil.local.", inst+` 120 IN TXT "v=1" "shop=`+testShop+`"`)},
		"a name with a control character": {answer(t, ptr+`ev\007il._microshop._tcp.local.`,
			`ev\007il._microshop._tcp.local. 120 IN SRV 10 1 7420 evil.local.`, `ev\007il._microshop._tcp.local. 120 IN TXT "v=1" "shop=`+testShop+`"`)},
		"a name that is not UTF-8": {answer(t, ptr+`ev\255il._microshop._tcp.local.`,
			`ev\255il._microshop._tcp.local. 120 IN SRV 10 1 7420 evil.local.`, `ev\255il._microshop._tcp.local. 120 IN TXT "v=1" "shop=`+testShop+`"`)},
		"records of another service": {answer(t, "_other._tcp.local. 120 IN PTR x._other._tcp.local.",
			"x._other._tcp.local. 120 IN SRV 10 1 7420 evil.local.", `x._other._tcp.local. 120 IN TXT "v=1" "shop=`+testShop+`"`)},
		"a query, not an answer": {func() []byte { m := new(dns.Msg); m.SetQuestion(serviceAddr, dns.TypePTR); b, _ := m.Pack(); return b }()},
	}
	for name, answers := range cases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				mem := NewMemory()
				advertise(t, mem.Network(), stallAd())
				defer hostile(mem, answers)()
				got := browse(t, mem.Network())
				if len(got) != 1 || got[0].Name != "Stall laptop" {
					t.Fatalf("found %+v, want the stall laptop only", got)
				}
			})
		})
	}
}

func TestAFloodOfHostsIsCapped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemory()
		var flood [][]byte
		for i := range 400 {
			inst := "h" + string(rune('a'+i%26)) + time.Duration(i).String() + "._microshop._tcp.local."
			flood = append(flood, answer(t, "_microshop._tcp.local. 120 IN PTR "+inst,
				inst+" 120 IN SRV 10 1 7420 evil.local.", inst+` 120 IN TXT "v=1" "shop=`+testShop+`"`, "evil.local. 120 IN A 192.168.1.66"))
		}
		defer hostile(mem, flood)()
		got := browse(t, mem.Network())
		if len(got) == 0 || len(got) > maxNames {
			t.Fatalf("found %d hosts, want some and at most %d", len(got), maxNames)
		}
	})
}

func TestResponderAnswersOnlyQuestionsAboutTheService(t *testing.T) {
	zone, err := stallAd().zone()
	if err != nil {
		t.Fatal(err)
	}
	r := &responder{zone: zone, instance: zone.Instance + "." + serviceAddr}
	ask := func(name string, qtype uint16) []byte {
		m := new(dns.Msg)
		m.SetQuestion(name, qtype)
		b, _ := m.Pack()
		return b
	}
	if r.answer(ask("_MicroShop._TCP.local.", dns.TypePTR)) == nil {
		t.Error("a question in another case went unanswered")
	}
	if r.answer(ask(`Stall\ laptop._microshop._tcp.local.`, dns.TypeANY)) == nil {
		t.Error("a question about the instance went unanswered")
	}
	for name, q := range map[string][]byte{
		"another service": ask("_http._tcp.local.", dns.TypePTR),
		"garbage":         []byte{1, 2, 3},
		"its own answer":  r.answer(ask(serviceAddr, dns.TypePTR)),
	} {
		if a := r.answer(q); a != nil {
			t.Errorf("%s: answered", name)
		}
	}
}

func FuzzSightingsTakeAnyBytes(f *testing.F) {
	zone, _ := stallAd().zone()
	r := &responder{zone: zone, instance: zone.Instance + "." + serviceAddr}
	q := new(dns.Msg)
	q.SetQuestion(serviceAddr, dns.TypePTR)
	qb, _ := q.Pack()
	f.Add(r.answer(qb))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		s := newSightings()
		s.read(msg, &net.UDPAddr{IP: net.IPv4(10, 0, 0, 1)})
		for _, h := range s.hosts() {
			if h.Name == "" || len(h.URLs) == 0 || !oneLine(h.Name) {
				t.Fatalf("an unusable host was listed: %+v", h)
			}
		}
		r.answer(msg)
	})
}
