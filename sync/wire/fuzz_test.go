package wire

import (
	"bytes"
	"strings"
	"testing"

	"microshop/domain"
)

// FuzzDecode checks that Decode never panics, that whatever it refuses is a
// typed protocol error, and that whatever it accepts encodes to a frame that
// decodes to the same thing. The seeds run in every plain `go test`.
func FuzzDecode(f *testing.F) {
	seeds := []string{
		`{"type":"hello","protocol":1,"schema":1,"shop":"s","device":"d","token":"t","vector":{"d":1}}`,
		`{"type":"hello","protocol":99,"schema":1,"device":"d"}`,
		`{"type":"welcome","protocol":1,"schema":1,"shop":"s","vector":{}}`,
		`{"type":"changes","shop":"s","changes":[{"origin":"d","seq":1,"hlc":"001700000000000.00000.d","entity":"sale","entity_id":"e","body":{"q": 1}}]}`,
		`{"type":"changes","shop":"s","changes":[{"origin":"d","seq":1,"hlc":"001700000000000.00000.d","entity":"sale","entity_id":"e","body":"\u003c\ud800"}]}`,
		`{"type":"ack","vector":{"a":1,"b":0}}`,
		`{"type":"error","code":"wrong_shop","message":"no"}`,
		`{"type":"ack","vector":{"a":1e400}}`,
		`{"type":"ack","vector":{"a":-0}}`,
		`{"type":"ack","type":"hello","vector":{}}`,
		`{"type":"hello","protocol":1,"schema":1,"device":"\u0000"}`,
		"{\"type\":\"error\",\"code\":\"x\",\"message\":\"\xff\"}",
		`{"type":"changes"`,
		`[]`,
		`null`,
		``,
		strings.Repeat(`[`, 10000),
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			if code := domain.ErrorCode(err); code != CodeBadMessage && code != CodeTooLarge {
				t.Fatalf("Decode error %v has code %q, want bad_message or too_large", err, code)
			}
			return
		}
		enc, err := Encode(m)
		if err != nil {
			// Escaping invalid UTF-8 can grow a frame past the limit.
			if domain.ErrorCode(err) != CodeTooLarge {
				t.Fatalf("Encode(%#v) after a successful Decode: %v", m, err)
			}
			return
		}
		m2, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(m)) = %v for %s", err, enc)
		}
		enc2, err := Encode(m2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not stable:\n%s\n%s (err %v)", enc, enc2, err)
		}
	})
}
