package app

import "strconv"

// decodeEventFast reads the bodies this build writes: one flat object of
// known keys, each once, with plain ASCII strings, integers and booleans.
// Sync applies thousands a second and encoding/json's reflection was a
// tenth of that time. Anything else (escapes, other keys, nulls,
// fractions, trailing data) reports false, and encoding/json decides; a
// fuzz test checks that the two agree wherever this one answers.
func decodeEventFast(body []byte, e *event) bool {
	p := eventParser{b: body}
	if !p.skip('{') {
		return false
	}
	var seen uint32
	for first := true; ; first = false {
		if first && p.skip('}') {
			break
		}
		key, ok := p.str()
		if !ok || !p.skip(':') {
			return false
		}
		bit, ok := p.field(key, e)
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		if p.skip(',') {
			continue
		}
		if !p.skip('}') {
			return false
		}
		break
	}
	p.space()
	return p.i == len(p.b)
}

type eventParser struct {
	b []byte
	i int
}

func (p *eventParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// skip consumes c after any white space.
func (p *eventParser) skip(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a string of printable ASCII with no escapes.
func (p *eventParser) str() (string, bool) {
	if !p.skip('"') {
		return "", false
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			s := string(p.b[start:p.i])
			p.i++
			return s, true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return "", false
		}
	}
	return "", false
}

// int reads a JSON integer that fits 64 bits.
func (p *eventParser) int() (int64, bool) {
	p.space()
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	switch {
	case p.i == digits, p.b[digits] == '0' && p.i-digits > 1:
		return 0, false
	case p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E'):
		return 0, false
	}
	n, err := strconv.ParseInt(string(p.b[start:p.i]), 10, 64)
	return n, err == nil
}

func (p *eventParser) bool() (bool, bool) {
	p.space()
	switch rest := string(p.b[p.i:min(p.i+5, len(p.b))]); {
	case len(rest) >= 4 && rest[:4] == "true":
		p.i += 4
		return true, true
	case rest == "false":
		p.i += 5
		return false, true
	}
	return false, false
}

// small reads an integer that fits an int on every platform Go builds for.
func (p *eventParser) small() (int, bool) {
	n, ok := p.int()
	return int(n), ok && int64(int32(n)) == n
}

// field reads the value of key into e, and returns the key's bit.
func (p *eventParser) field(key string, e *event) (uint32, bool) {
	var ok bool
	switch key {
	case "sku_id":
		e.SKUID, ok = p.str()
		return 1 << 0, ok
	case "at":
		e.At, ok = p.int()
		return 1 << 1, ok
	case "qty":
		e.Qty, ok = p.small()
		return 1 << 2, ok
	case "held":
		e.Held, ok = p.small()
		return 1 << 3, ok
	case "batch_id":
		e.BatchID, ok = p.str()
		return 1 << 4, ok
	case "factory_id":
		e.FactoryID, ok = p.str()
		return 1 << 5, ok
	case "price":
		e.Price, ok = p.int()
		return 1 << 6, ok
	case "channel":
		e.Channel, ok = p.str()
		return 1 << 7, ok
	case "reason":
		e.Reason, ok = p.str()
		return 1 << 8, ok
	case "restock":
		e.Restock, ok = p.bool()
		return 1 << 9, ok
	case "note":
		e.Note, ok = p.str()
		return 1 << 10, ok
	case "ref":
		e.Ref, ok = p.str()
		return 1 << 11, ok
	case "order":
		e.Order, ok = p.str()
		return 1 << 12, ok
	case "payment":
		e.Payment, ok = p.str()
		return 1 << 13, ok
	case "discount":
		e.Discount, ok = p.int()
		return 1 << 14, ok
	case "refund":
		e.Refund, ok = p.int()
		return 1 << 15, ok
	case "location":
		e.Location, ok = p.str()
		return 1 << 16, ok
	case "to":
		e.To, ok = p.str()
		return 1 << 17, ok
	case "kit":
		e.Kit, ok = p.str()
		return 1 << 18, ok
	case "kit_qty":
		e.KitQty, ok = p.small()
		return 1 << 19, ok
	case "no_refund":
		e.NoRefund, ok = p.bool()
		return 1 << 20, ok
	}
	return 0, false
}

// encodeEventFast writes an event's body as json.Marshal does, byte for
// byte, for the events this build makes: strings of printable ASCII that
// JSON writes as they are. Anything else reports false, and json.Marshal
// writes it. A large import encodes a hundred thousand, and reflection was
// a tenth of logging them; a fuzz test checks the two agree.
func encodeEventFast(e *event) ([]byte, bool) {
	w := eventWriter{b: make([]byte, 0, 160+len(e.SKUID)+len(e.BatchID)+len(e.FactoryID)+len(e.Order)+len(e.Note)), ok: true}
	w.b = append(w.b, '{')
	w.text("sku_id", e.SKUID, true)
	w.int("at", e.At, true)
	w.int("qty", int64(e.Qty), true)
	w.int("held", int64(e.Held), false)
	w.text("batch_id", e.BatchID, false)
	w.text("factory_id", e.FactoryID, false)
	w.int("price", e.Price, false)
	w.text("channel", e.Channel, false)
	w.text("reason", e.Reason, false)
	w.flag("restock", e.Restock)
	w.text("note", e.Note, false)
	w.text("ref", e.Ref, false)
	w.text("order", e.Order, false)
	w.text("payment", e.Payment, false)
	w.int("discount", e.Discount, false)
	w.int("refund", e.Refund, false)
	w.text("location", e.Location, false)
	w.text("to", e.To, false)
	w.text("kit", e.Kit, false)
	w.int("kit_qty", int64(e.KitQty), false)
	w.flag("no_refund", e.NoRefund)
	return append(w.b, '}'), w.ok
}

// eventWriter writes an event's fields in its struct's order; ok turns
// false at a string json.Marshal would escape.
type eventWriter struct {
	b  []byte
	ok bool
}

func (w *eventWriter) key(k string) {
	if len(w.b) > 1 {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

// int writes a number; an omitempty one only when it is not 0.
func (w *eventWriter) int(k string, v int64, always bool) {
	if v != 0 || always {
		w.key(k)
		w.b = strconv.AppendInt(w.b, v, 10)
	}
}

// flag writes an omitempty boolean: only when it is true.
func (w *eventWriter) flag(k string, v bool) {
	if v {
		w.key(k)
		w.b = append(w.b, "true"...)
	}
}

// text writes a string; an omitempty one only when it is not empty.
func (w *eventWriter) text(k, v string, always bool) {
	if v == "" && !always {
		return
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			w.ok = false
			return
		}
	}
	w.key(k)
	w.b = append(w.b, '"')
	w.b = append(w.b, v...)
	w.b = append(w.b, '"')
}
