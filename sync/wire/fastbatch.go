package wire

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"

	"microshop/sync/changes"
)

// Batches are nearly all of the traffic, and a replica's first sync is
// hundreds of thousands of changes: encoding/json spent about 6 µs decoding
// each (reflection, a first pass just to read "type") and 2 µs encoding it
// (reflection, compacting every body again). The reader and writer here
// handle the shape Encode writes and report false for anything else they
// are not sure about, which encoding/json then handles: the result is
// always the one encoding/json gives. FuzzBatchFastPath and
// FuzzEncodeBatchFast check that.

// decodeBatchFast reads a "changes" message in the shape Encode writes: an
// object with the keys type, shop and changes (and sig, or not), and changes with the six keys
// of changes.Change (and sig, or not), each key once and spelled exactly so; strings in valid
// UTF-8 without escapes, seq a positive integer without fraction or
// exponent, and a body of any JSON value. White space may be anywhere JSON
// allows it. Anything else (other keys, escapes, nulls, trailing data)
// reports false.
func decodeBatchFast(data []byte) (Batch, bool) {
	r := jsonReader{b: data}
	var b Batch
	var seen uint8
	ok := r.object(func(key []byte) bool {
		var bit uint8
		var ok bool
		switch string(key) {
		case "type":
			bit = 1 << 0
			var t []byte
			t, ok = r.plainString()
			ok = ok && string(t) == string(TypeBatch)
		case "shop":
			bit = 1 << 1
			b.Shop, ok = r.text("")
		case "changes":
			bit = 1 << 2
			b.Changes, ok = r.changes()
		case "sig":
			bit = 1 << 3
			b.Sig, ok = r.text("")
		}
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		return true
	})
	// The three keys, a signature or not, and nothing after the object.
	r.space()
	return b, ok && seen&(1<<3-1) == 1<<3-1 && r.i == len(r.b)
}

// changes reads the array of changes. Changes of one batch mostly share
// their origin and entity, so those reuse the previous change's strings.
func (r *jsonReader) changes() ([]changes.Change, bool) {
	cs := []changes.Change{} // encoding/json makes an empty array a non-nil slice
	var prev changes.Change
	ok := r.array(func() bool {
		c, ok := r.change(prev)
		cs = append(cs, c)
		prev = c
		return ok
	})
	return cs, ok
}

func (r *jsonReader) change(prev changes.Change) (changes.Change, bool) {
	var c changes.Change
	var seen uint8
	ok := r.object(func(key []byte) bool {
		var bit uint8
		var ok bool
		switch string(key) {
		case "origin":
			bit = 1 << 0
			c.Origin, ok = r.text(prev.Origin)
		case "seq":
			bit = 1 << 1
			c.Seq, ok = r.seq()
		case "hlc":
			bit = 1 << 2
			c.HLC, ok = r.text("")
		case "entity":
			bit = 1 << 3
			c.Entity, ok = r.text(prev.Entity)
		case "entity_id":
			bit = 1 << 4
			c.EntityID, ok = r.text("")
		case "body":
			bit = 1 << 5
			var raw []byte
			raw, ok = r.value()
			// A copy, as encoding/json makes: the caller may reuse data.
			c.Body = append(json.RawMessage(nil), raw...)
		case "sig":
			bit = 1 << 6
			c.Sig, ok = r.text("")
		}
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		return true
	})
	return c, ok && seen&(1<<6-1) == 1<<6-1 // all six keys, and a sig or not
}

// encodeBatchFast writes a Batch byte for byte as encoding/json does, when
// its strings are printable ASCII without '"' or '\' (encoding/json writes
// those as they are) and its bodies are compact JSON (encoding/json compacts
// a body, which leaves compact JSON as it is). For anything else it reports
// false. It appends the text to dst.
func encodeBatchFast(dst []byte, m Message) ([]byte, bool) {
	b, ok := m.(Batch)
	if !ok || !plainASCII(b.Shop) || !plainASCII(b.Sig) {
		return nil, false
	}
	size := len(`{"type":"changes","shop":"","changes":[],"sig":""}`) + len(b.Shop) + len(b.Sig)
	for _, c := range b.Changes {
		if !plainASCII(c.Origin) || !plainASCII(c.HLC) || !plainASCII(c.Entity) || !plainASCII(c.EntityID) || !plainASCII(c.Sig) || !compactJSON(c.Body) {
			return nil, false
		}
		size += ChangeSize(c) // more than the change's JSON, so out never grows
	}
	out := slices.Grow(dst, size)
	out = append(out, `{"type":"changes","shop":"`...)
	out = append(out, b.Shop...)
	out = append(out, `","changes":[`...)
	for i, c := range b.Changes {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, `{"origin":"`...)
		out = append(out, c.Origin...)
		out = append(out, `","seq":`...)
		out = strconv.AppendInt(out, c.Seq, 10)
		out = append(out, `,"hlc":"`...)
		out = append(out, c.HLC...)
		out = append(out, `","entity":"`...)
		out = append(out, c.Entity...)
		out = append(out, `","entity_id":"`...)
		out = append(out, c.EntityID...)
		out = append(out, `","body":`...)
		out = append(out, c.Body...)
		if c.Sig != "" {
			out = append(out, `,"sig":"`...)
			out = append(out, c.Sig...)
			out = append(out, '"')
		}
		out = append(out, '}')
	}
	out = append(out, ']')
	if b.Sig != "" {
		out = append(out, `,"sig":"`...)
		out = append(out, b.Sig...)
		out = append(out, '"')
	}
	return append(out, '}'), true
}

// plainASCII reports whether encoding/json writes s between quotes as it
// is: printable ASCII without '"' or '\'.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// compactJSON reports whether body is one JSON value without white space
// between tokens, which is what encoding/json's compacting leaves as it is.
func compactJSON(body []byte) bool {
	r := jsonReader{b: body, compact: true}
	_, ok := r.value()
	return ok && r.i == len(body)
}

// maxBodyDepth bounds the nesting of a body the fast paths read, far below
// encoding/json's 10000; deeper bodies are left to encoding/json.
const maxBodyDepth = 100

// jsonReader reads JSON from b at i. object, array, plainString, seq and
// value skip the white space before what they read. Every method reports
// false for anything it does not accept, and accepts nothing outside the
// JSON grammar: what it accepts, encoding/json accepts too.
type jsonReader struct {
	b       []byte
	i       int
	compact bool // white space between tokens is not accepted
	depth   int  // of the value being read, for maxBodyDepth
}

func (r *jsonReader) space() {
	for !r.compact && r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// skip consumes c after any white space.
func (r *jsonReader) skip(c byte) bool {
	r.space()
	return r.accept(c)
}

// accept consumes c if it is next.
func (r *jsonReader) accept(c byte) bool {
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// object reads an object, calling member with each key to read its value.
// Keys with escapes are not accepted.
func (r *jsonReader) object(member func(key []byte) bool) bool {
	if !r.skip('{') {
		return false
	}
	if r.skip('}') {
		return true
	}
	for {
		key, ok := r.plainString()
		if !ok || !r.skip(':') || !member(key) {
			return false
		}
		if !r.skip(',') {
			return r.skip('}')
		}
	}
}

// array reads an array, calling element to read each element.
func (r *jsonReader) array(element func() bool) bool {
	if !r.skip('[') {
		return false
	}
	if r.skip(']') {
		return true
	}
	for {
		if !element() {
			return false
		}
		if !r.skip(',') {
			return r.skip(']')
		}
	}
}

// plainString reads a string without escapes and returns the bytes between
// its quotes, which are its value when they are valid UTF-8.
func (r *jsonReader) plainString() ([]byte, bool) {
	if !r.skip('"') {
		return nil, false
	}
	start := r.i
	for ; r.i < len(r.b); r.i++ {
		switch c := r.b[r.i]; {
		case c == '"':
			r.i++
			return r.b[start : r.i-1], true
		case c < ' ' || c == '\\':
			return nil, false
		}
	}
	return nil, false
}

// text reads a string as plainString does, refusing invalid UTF-8, which
// encoding/json would replace. It returns same when the string equals it,
// to save a copy.
func (r *jsonReader) text(same string) (string, bool) {
	s, ok := r.plainString()
	switch {
	case !ok || !utf8.Valid(s):
		return "", false
	case string(s) == same:
		return same, true
	}
	return string(s), true
}

// seq reads a sequence number as Encode writes it: a positive integer of at
// most 18 digits, which an int64 always holds.
func (r *jsonReader) seq() (int64, bool) {
	r.space()
	start := r.i
	var n int64
	for ; r.i < len(r.b) && r.i-start < 18 && '0' <= r.b[r.i] && r.b[r.i] <= '9'; r.i++ {
		n = n*10 + int64(r.b[r.i]-'0')
	}
	return n, r.i > start && r.b[start] != '0'
}

// value reads any JSON value up to maxBodyDepth deep and returns its text.
func (r *jsonReader) value() ([]byte, bool) {
	r.space()
	if r.i == len(r.b) {
		return nil, false
	}
	start := r.i
	var ok bool
	switch c := r.b[r.i]; {
	case c == '{' || c == '[':
		if r.depth == maxBodyDepth {
			return nil, false
		}
		r.depth++
		if c == '{' {
			ok = r.object(func([]byte) bool {
				_, ok := r.value()
				return ok
			})
		} else {
			ok = r.array(func() bool {
				_, ok := r.value()
				return ok
			})
		}
		r.depth--
	case c == '"':
		ok = r.anyString()
	case c == '-' || '0' <= c && c <= '9':
		ok = r.number()
	default:
		ok = r.literal("true") || r.literal("false") || r.literal("null")
	}
	return r.b[start:r.i], ok
}

// anyString reads any JSON string, escapes and all. Like encoding/json, it
// does not check UTF-8 here: a body keeps its bytes as they are.
func (r *jsonReader) anyString() bool {
	if !r.accept('"') {
		return false
	}
	for r.i < len(r.b) {
		c := r.b[r.i]
		r.i++
		switch {
		case c == '"':
			return true
		case c < ' ':
			return false
		case c == '\\':
			switch {
			case r.accept('u'):
				for range 4 {
					if r.i == len(r.b) || !isHex(r.b[r.i]) {
						return false
					}
					r.i++
				}
			case r.i < len(r.b) && isEscape(r.b[r.i]):
				r.i++
			default:
				return false
			}
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isEscape reports whether \c is one of JSON's short escapes.
func isEscape(c byte) bool {
	switch c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return true
	}
	return false
}

// number reads -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *jsonReader) number() bool {
	r.accept('-')
	if !r.accept('0') && r.digits() == 0 {
		return false
	}
	if r.accept('.') && r.digits() == 0 {
		return false
	}
	if r.accept('e') || r.accept('E') {
		_ = r.accept('+') || r.accept('-')
		if r.digits() == 0 {
			return false
		}
	}
	return true
}

func (r *jsonReader) digits() int {
	start := r.i
	for r.i < len(r.b) && '0' <= r.b[r.i] && r.b[r.i] <= '9' {
		r.i++
	}
	return r.i - start
}

func (r *jsonReader) literal(word string) bool {
	if len(r.b)-r.i >= len(word) && string(r.b[r.i:r.i+len(word)]) == word {
		r.i += len(word)
		return true
	}
	return false
}
