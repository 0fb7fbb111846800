package app

import (
	"testing"
)

// Wherever the plain path answers, it reads what the decoder reads.
func FuzzPlainColumnValue(f *testing.F) {
	for _, seed := range []string{`"etsy"`, `""`, `"a\"b"`, `"a\\b"`, `"\u0041"`, `"é"`, `"<&>"`, `0`, `-0`, `01`, `-`, `1779451200000`, `999999999999999999`,
		`9999999999999999999`, `1.5`, `1e3`, ` 7`, `7 `, `null`, `true`, `"x"y"`, `"`, `-12`} {
		f.Add([]byte(seed), 0)
		f.Add([]byte(seed), 1)
	}
	f.Fuzz(func(t *testing.T, raw []byte, kind int) {
		k := columnKind(kind & 3)
		v, ok, plain := plainColumnValue(k, raw)
		if !plain {
			return
		}
		want, wantOK := decodedColumnValue(k, raw)
		if ok != wantOK || ok && v != want {
			t.Fatalf("%q as %d: plain %v %v, decoder %v %v", raw, k, v, ok, want, wantOK)
		}
	})
}

// The values an import's order records hold take the plain path.
func TestOrderValuesArePlain(t *testing.T) {
	for raw, k := range map[string]columnKind{`"etsy"`: textColumn, `"9001"`: textColumn, `1779451200000`: intColumn} {
		if _, ok, plain := plainColumnValue(k, []byte(raw)); !ok || !plain {
			t.Errorf("%s: plain %v, ok %v; want read plainly", raw, plain, ok)
		}
	}
}
