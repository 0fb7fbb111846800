package wire

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"microshop/sync/changes"
)

// FuzzDecodeChange checks that DecodeChange gives exactly what
// encoding/json gives whenever it reads a change at all, and that it reads
// the lines a bundle holds.
func FuzzDecodeChange(f *testing.F) {
	sealed := changeWithBody(`"sT7/2/zIxbloOdlguC9VEvup3ZJoyAZpqvWbayRCqaXVAw2DsrHvHDt=="`)
	signed := strings.Replace(sealed, `}`, `,"sig":"p1.7.1.abc"}`, 1)
	for _, line := range []string{plainChange, sealed, signed + "\n"} {
		if _, ok := DecodeChange([]byte(line)); !ok {
			f.Fatalf("DecodeChange refused a change in the shape a bundle holds: %s", line)
		}
	}
	for _, seed := range []string{
		plainChange, sealed, signed + "\n", " \t" + plainChange + "\r\n",
		strings.Replace(plainChange, `"seq":17`, `"seq":17,"seq":18`, 1),
		strings.Replace(plainChange, `"entity":`, `"Entity":`, 1),
		strings.Replace(plainChange, `"seq":17`, `"seq":17,"end":true`, 1),
		strings.Replace(plainChange, `"seq":17`, `"seq":-17`, 1),
		strings.Replace(plainChange, `"seq":17`, `"seq":1.5`, 1),
		strings.Replace(plainChange, `"hlc":"`, `"hlc":"\u00e9`, 1),
		plainChange + " x", plainChange[:len(plainChange)-1],
		`{"end":true,"count":3,"sha256":"ab"}`, `null`, ``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, ok := DecodeChange([]byte(line))
		if !ok {
			return
		}
		var want changes.Change
		if err := json.Unmarshal([]byte(line), &want); err != nil {
			t.Fatalf("DecodeChange read %q, which encoding/json refuses: %v", line, err)
		}
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("DecodeChange(%q) = %+v, encoding/json gives %+v", line, c, want)
		}
	})
}
