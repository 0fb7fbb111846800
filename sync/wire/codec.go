package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"microshop/sync/changes"
)

// Encode returns the JSON text of m with its "type" key. It refuses a
// message that Decode would refuse, so a peer never sends what the other
// side must reject.
func Encode(m Message) ([]byte, error) { return appendEncoded(nil, m) }

// appendEncoded appends Encode's text of m to dst.
func appendEncoded(dst []byte, m Message) ([]byte, error) {
	if m == nil {
		return nil, Errorf(CodeBadMessage, "No message to send.")
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	data, ok := encodeBatchFast(dst, m) // the hot message; see fastbatch.go
	if !ok {
		text, err := encodeJSON(m)
		if err != nil {
			return nil, err
		}
		data = append(dst, text...)
	}
	if len(data)-len(dst) > MaxFrameBytes {
		return nil, Errorf(CodeTooLarge, "The %s message is %d bytes; the limit is %d.", m.MessageType(), len(data)-len(dst), MaxFrameBytes)
	}
	return data, nil
}

// encodeJSON is Encode by encoding/json, for any message.
func encodeJSON(m Message) ([]byte, error) {
	var v any
	switch m := m.(type) {
	case Hello:
		v = struct {
			Type Type `json:"type"`
			Hello
		}{TypeHello, m}
	case Welcome:
		v = struct {
			Type Type `json:"type"`
			Welcome
		}{TypeWelcome, m}
	case Batch:
		v = struct {
			Type Type `json:"type"`
			Batch
		}{TypeBatch, m}
	case Ack:
		v = struct {
			Type Type `json:"type"`
			Ack
		}{TypeAck, m}
	case Error:
		v = struct {
			Type Type `json:"type"`
			Error
		}{TypeError, m}
	default:
		return nil, Errorf(CodeBadMessage, "Cannot send a message of type %T.", m)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// HTML escaping would grow bodies with < > & sixfold and change them
	// for no reader of ours.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode %s: %w", m.MessageType(), err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Decode reads one message. Malformed JSON, an unknown type, a missing or
// invalid field, or data above MaxFrameBytes is a typed error (CodeBadMessage
// or CodeTooLarge). Unknown keys are ignored so that a newer peer may add
// fields without a new protocol version.
func Decode(data []byte) (Message, error) {
	if len(data) > MaxFrameBytes {
		return nil, Errorf(CodeTooLarge, "The message is %d bytes; the limit is %d.", len(data), MaxFrameBytes)
	}
	if b, ok := decodeBatchFast(data); ok { // the hot message; see fastbatch.go
		if err := b.validate(); err != nil {
			return nil, err
		}
		return b, nil
	}
	return decodeJSON(data)
}

// decodeJSON is Decode by encoding/json, for any message.
func decodeJSON(data []byte) (Message, error) {
	var head struct {
		Type *Type `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, jsonError(err)
	}
	if head.Type == nil {
		return nil, Errorf(CodeBadMessage, "The message has no \"type\"; expected hello, welcome, changes, ack or error.")
	}
	var m Message
	var err error
	switch *head.Type {
	case TypeHello:
		m, err = decodeAs[Hello](data)
	case TypeWelcome:
		m, err = decodeAs[Welcome](data)
	case TypeBatch:
		m, err = decodeAs[Batch](data)
	case TypeAck:
		m, err = decodeAs[Ack](data)
	case TypeError:
		m, err = decodeAs[Error](data)
	default:
		return nil, Errorf(CodeBadMessage, "Unknown message type %q; expected hello, welcome, changes, ack or error.", truncate(string(*head.Type)))
	}
	if err != nil {
		return nil, err
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return m, nil
}

func decodeAs[M Message](data []byte) (Message, error) {
	var m M
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, jsonError(err)
	}
	return m, nil
}

// jsonError turns a decoding failure into a typed error naming the field.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return Errorf(CodeBadMessage, "The message is not a JSON object.")
		}
		return Errorf(CodeBadMessage, "The field %q holds a %s; expected %s.", typeErr.Field, typeErr.Value, typeErr.Type)
	}
	return Errorf(CodeBadMessage, "The message is not valid JSON: %v.", err)
}

func (h Hello) validate() error {
	if h.Protocol < 1 {
		return missing("hello", "protocol")
	}
	if h.Schema < 1 {
		return missing("hello", "schema")
	}
	if h.Shop != "" && !ValidShopID(h.Shop) {
		return badShop(h.Shop)
	}
	if err := checkName("hello", "device", h.Device); err != nil {
		return err
	}
	if len(h.Token) > MaxIDBytes {
		return Errorf(CodeBadMessage, "The token is %d bytes long; tokens are at most %d.", len(h.Token), MaxIDBytes)
	}
	if len(h.WriteKey) > MaxIDBytes || !plainASCII(h.WriteKey) {
		return Errorf(CodeBadMessage, "The hello's write key %q is not a key.", truncate(h.WriteKey))
	}
	return checkVector("hello", h.Vector, false)
}

func (w Welcome) validate() error {
	if w.Protocol < 1 {
		return missing("welcome", "protocol")
	}
	if w.Schema < 1 {
		return missing("welcome", "schema")
	}
	if !ValidShopID(w.Shop) {
		return badShop(w.Shop)
	}
	if err := checkHead("welcome", w.Head); err != nil {
		return err
	}
	return checkVector("welcome", w.Vector, true)
}

// checkHead refuses a head that is not a sequence and a digest.
func checkHead(msg string, h *changes.Head) error {
	if h == nil {
		return nil
	}
	if h.Seq < 1 {
		return Errorf(CodeBadMessage, "The %s's head has sequence %d; sequences start at 1.", msg, h.Seq)
	}
	if !changes.ValidDigest(h.Digest) {
		return Errorf(CodeBadMessage, "The %s's head digest %q is not %d hexadecimal characters.", msg, truncate(h.Digest), changes.DigestSize)
	}
	return nil
}

func (b Batch) validate() error {
	if !ValidShopID(b.Shop) {
		return badShop(b.Shop)
	}
	if b.Changes == nil {
		return missing("changes", "changes")
	}
	if len(b.Sig) > MaxIDBytes || !plainASCII(b.Sig) {
		return Errorf(CodeBadMessage, "The batch's signature %q is not a signature.", truncate(b.Sig))
	}
	if len(b.Changes) > MaxBatchChanges {
		return Errorf(CodeTooLarge, "The batch holds %d changes; the limit is %d.", len(b.Changes), MaxBatchChanges)
	}
	for i, c := range b.Changes {
		if err := checkChange(c); err != nil {
			return fmt.Errorf("change %d: %w", i, err)
		}
	}
	return nil
}

func (a Ack) validate() error { return checkVector("ack", a.Vector, true) }

func (e Error) validate() error {
	if e.Code == "" {
		return missing("error", "code")
	}
	if len(e.Code) > MaxIDBytes {
		return Errorf(CodeBadMessage, "The error code is %d bytes long; the limit is %d.", len(e.Code), MaxIDBytes)
	}
	return nil
}

func checkChange(c changes.Change) error {
	for _, f := range []struct{ name, value string }{
		{"origin", c.Origin}, {"entity", c.Entity}, {"entity_id", c.EntityID},
	} {
		if err := checkName("change", f.name, f.value); err != nil {
			return err
		}
	}
	if c.Seq < 1 {
		return Errorf(CodeBadMessage, "The change from %q has sequence %d; sequences start at 1.", c.Origin, c.Seq)
	}
	if _, err := changes.ParseStamp(c.HLC); err != nil || c.HLC == "" {
		return Errorf(CodeBadMessage, "The change %s/%d has the clock stamp %q; expected WWWWWWWWWWWWWWW.CCCCC.device.", c.Origin, c.Seq, truncate(c.HLC))
	}
	if len(c.Sig) > MaxSigBytes || !plainASCII(c.Sig) {
		return Errorf(CodeBadMessage, "The change %s/%d has the signature %q, which is not a signature.", c.Origin, c.Seq, truncate(c.Sig))
	}
	if len(c.Body) == 0 {
		return Errorf(CodeBadMessage, "The change %s/%d has no \"body\".", c.Origin, c.Seq)
	}
	if len(c.Body) > MaxBodyBytes {
		return Errorf(CodeTooLarge, "The change %s/%d has a body of %d bytes; the limit is %d.", c.Origin, c.Seq, len(c.Body), MaxBodyBytes)
	}
	return nil
}

// checkVector requires a vector to be present when required (an absent one
// decodes as nil) and to name valid origins with sequences of 0 or more.
func checkVector(msg string, v changes.Vector, required bool) error {
	if v == nil && required {
		return missing(msg, "vector")
	}
	for origin, seq := range v {
		if err := checkName(msg, "vector origin", origin); err != nil {
			return err
		}
		if seq < 0 {
			return Errorf(CodeBadMessage, "The %s vector holds %d for %q; sequences are 0 or more.", msg, seq, origin)
		}
	}
	return nil
}

// checkName accepts an id or name of 1 to MaxIDBytes bytes of printable
// UTF-8 without spaces: it ends up in logs, SQL parameters and messages.
func checkName(msg, field, s string) error {
	if s == "" {
		return missing(msg, field)
	}
	if len(s) > MaxIDBytes || !printableName(s) {
		return Errorf(CodeBadMessage, "The %s %s %q is not accepted; expected up to %d printable characters without spaces.", msg, field, truncate(s), MaxIDBytes)
	}
	return nil
}

// printableName reports whether s is printable UTF-8 without spaces. Ids
// are ASCII, whose printable characters other than the space are '!' to
// '~', and the Unicode tables are only needed for the rest.
func printableName(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool {
				return unicode.IsSpace(r) || !unicode.IsPrint(r)
			}) < 0
		}
	}
	return true
}

// ValidToken reports whether s reads as a relay token, as relays make
// them: "mst_", the token's id in 16 lower-case hex digits, "_", and its
// secret in 64.
func ValidToken(s string) bool {
	const idLen, secretLen = 16, 64
	if len(s) != len(TokenPrefix)+idLen+1+secretLen || !strings.HasPrefix(s, TokenPrefix) || s[len(TokenPrefix)+idLen] != '_' {
		return false
	}
	for i, r := range s[len(TokenPrefix):] {
		if i != idLen && !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// TokenPrefix begins every relay token, so secret scanners spot a leaked one.
const TokenPrefix = "mst_"

// ValidShopID reports whether s can name a shop: 1 to 64 lower-case
// letters, digits, '-' or '_', as a UUID's text is. Relays name files after
// shops, so nothing else is accepted.
func ValidShopID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func badShop(s string) error {
	return Errorf(CodeBadMessage, "The shop id %q is not accepted; expected up to 64 lower-case letters, digits, '-' or '_'.", truncate(s))
}

func missing(msg, field string) error {
	return Errorf(CodeBadMessage, "The %s message has no valid %q.", msg, field)
}

// truncate keeps hostile input from filling error messages and logs.
func truncate(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	for i := n; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return s[:n] + "…"
}
