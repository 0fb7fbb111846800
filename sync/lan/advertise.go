package lan

import (
	"net"
	"strings"
	"sync"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"

	"microshop/domain"
)

// Ad is what a computer hosting sync tells the local network.
type Ad struct {
	Name     string   // the device's name, for people: "Stall laptop"
	Computer string   // the computer's host name, for the DNS host record; any text
	Shop     string   // the id of the shop it syncs
	Port     int      // the hosted relay's port
	IPs      []net.IP // the computer's addresses, the likeliest to be reached first
}

// zone is the records answering for ad: hashicorp/mdns builds them (PTR,
// SRV, TXT, A and AAAA, as DNS-SD wants).
func (ad Ad) zone() (*mdns.MDNSService, error) {
	name := instanceLabel(ad.Name)
	if name == "" {
		return nil, domain.Errorf(domain.EInvalid, "this device has no name to show on the network; give it one")
	}
	if ad.Port <= 0 || ad.Port > 65535 {
		return nil, domain.Errorf(domain.EInvalid, "port %d cannot be advertised; a port is 1 to 65535", ad.Port)
	}
	if len(ad.IPs) == 0 {
		return nil, domain.Errorf(domain.EUnavailable, "this computer has no network address to advertise; connect it to the network")
	}
	txt := []string{"v=" + protocolVersion, "shop=" + ad.Shop}
	return mdns.NewMDNSService(name, service, "local.", hostLabel(ad.Computer)+".local.", ad.Port, ad.IPs, txt)
}

// Advertise answers the network's questions for the service with ad until
// stop is called.
func (n Network) Advertise(ad Ad) (stop func(), err error) {
	zone, err := ad.zone()
	if err != nil {
		return nil, err
	}
	tr, err := n.open()
	if err != nil {
		return nil, err
	}
	r := &responder{zone: zone, tr: tr, instance: zone.Instance + "." + serviceAddr}
	var wg sync.WaitGroup
	wg.Go(r.serve)
	var once sync.Once
	return func() {
		once.Do(func() {
			tr.Close()
			wg.Wait()
		})
	}, nil
}

// responder answers mDNS questions about one service.
type responder struct {
	zone     *mdns.MDNSService
	tr       Transport
	instance string
}

func (r *responder) serve() {
	for {
		msg, _, err := r.tr.Receive()
		if err != nil {
			return // closed
		}
		if answer := r.answer(msg); answer != nil {
			r.tr.Send(answer) // a lost answer is asked again
		}
	}
}

// maxQuestions is how many questions of one message are answered; a
// query holds one or two.
const maxQuestions = 8

// answer is the response to msg, or nil when msg is no query about the
// service: answers (others', and this responder's own come back),
// malformed bytes and questions about anything else are left unanswered.
func (r *responder) answer(raw []byte) []byte {
	var q dns.Msg
	if q.Unpack(raw) != nil || q.Response || q.Opcode != dns.OpcodeQuery || q.Rcode != 0 {
		return nil
	}
	var records []dns.RR
	for i, question := range q.Question {
		if i == maxQuestions {
			break
		}
		// Names are compared regardless of case, as DNS does.
		switch {
		case strings.EqualFold(question.Name, serviceAddr):
			question.Name = serviceAddr
		case strings.EqualFold(question.Name, r.instance):
			question.Name = r.instance
		default:
			continue
		}
		records = append(records, r.zone.Records(question)...)
	}
	if len(records) == 0 {
		return nil
	}
	resp := dns.Msg{MsgHdr: dns.MsgHdr{Response: true, Authoritative: true}, Compress: true, Answer: records}
	out, err := resp.Pack()
	if err != nil {
		return nil
	}
	return out
}
