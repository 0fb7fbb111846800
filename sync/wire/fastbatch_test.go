package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"microshop/sync/changes"
)

// decodeWithJSON and encodeWithJSON are Decode and Encode without the fast
// paths: the codec as it was before them, which they must agree with.
func decodeWithJSON(data []byte) (Message, error) {
	if len(data) > MaxFrameBytes {
		return nil, Errorf(CodeTooLarge, "The message is %d bytes; the limit is %d.", len(data), MaxFrameBytes)
	}
	return decodeJSON(data)
}

func encodeWithJSON(m Message) ([]byte, error) {
	if m == nil {
		return nil, Errorf(CodeBadMessage, "No message to send.")
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	data, err := encodeJSON(m)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFrameBytes {
		return nil, Errorf(CodeTooLarge, "The %s message is %d bytes; the limit is %d.", m.MessageType(), len(data), MaxFrameBytes)
	}
	return data, nil
}

// sameResult fails t unless both calls gave the same value, or failed with
// the same error.
func sameResult[T any](t *testing.T, what string, in any, got T, err error, want T, wantErr error) {
	t.Helper()
	switch {
	case (err == nil) != (wantErr == nil):
		t.Fatalf("%s(%s): error %v, encoding/json says %v", what, brief(in), err, wantErr)
	case err != nil && err.Error() != wantErr.Error():
		t.Fatalf("%s(%s): error %q, encoding/json says %q", what, brief(in), err, wantErr)
	case !reflect.DeepEqual(got, want):
		t.Fatalf("%s(%s):\n%s\nencoding/json gives\n%s", what, brief(in), brief(got), brief(want))
	}
}

// brief is v for a failure message, cut short.
func brief(v any) string {
	s := fmt.Sprintf("%#v", v)
	if b, ok := v.([]byte); ok {
		s = strconv.Quote(string(b))
	}
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// changeWithBody is a typical change on the wire with the given body.
func changeWithBody(body string) string {
	return `{"origin":"0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b","seq":17,"hlc":"001764000000000.00000.0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b","entity":"sale","entity_id":"0190a1b2-0011-7000-8000-0000000084ef","body":` + body + `}`
}

var plainChange = changeWithBody(`{"sku_id":"0190a1b2-0000-7000-8000-000000000011","at":1764000000000,"qty":1,"price":1200,"channel":"online"}`)

// FuzzBatchFastPath checks that Decode and Encode give exactly what
// encoding/json gives, errors included, whichever path they take.
func FuzzBatchFastPath(f *testing.F) {
	batch := func(changes ...string) string {
		return `{"type":"changes","shop":"s","changes":[` + strings.Join(changes, ",") + `]}`
	}
	// change is plainChange with one key's value (or the key itself) replaced.
	change := func(old, new string) string {
		if !strings.Contains(plainChange, old) {
			panic(old)
		}
		return strings.Replace(plainChange, old, new, 1)
	}
	typical, err := Encode(Batch{Shop: "s", Changes: typicalBatch().Changes[:3]})
	if err != nil {
		f.Fatal(err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, typical, "", "\t"); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(typical),
		indented.String(),
		" \r\n\t" + batch(plainChange) + " \r\n\t",
		batch(plainChange, plainChange),
		batch(),
		`{"shop":"s","changes":[],"type":"changes"}`,
		`{"changes":[` + plainChange + `],"type":"changes","shop":"s"}`,
		// Keys as encoding/json matches them: any case, escaped, repeated.
		`{"TYPE":"changes","shop":"s","changes":[]}`,
		`{"type":"changes","Shop":"s","changes":[]}`,
		`{"typ\u0065":"changes","shop":"s","changes":[]}`,
		`{"type":"hello","type":"changes","shop":"s","changes":[]}`,
		`{"type":"changes","type":"ack","shop":"s","changes":[]}`,
		`{"type":"changes","Type":"ack","shop":"s","changes":[]}`,
		`{"type":"changes","shop":"s","shop":"t","changes":[]}`,
		`{"type":"changes","shop":"s","changes":[],"changes":[` + plainChange + `]}`,
		batch(change(`"seq":17`, `"seq":17,"seq":18`)),
		batch(change(`"entity":`, `"Entity":`)),
		batch(change(`"entity_id":`, `"entity_Id":`)),
		batch(change(`"entity":`, `"entit\u0079":`)),
		batch(change(`"seq":17`, `"seq":17,"extra":[1,{"a":null}]`)),
		// Missing, null and unknown members.
		`{"type":"changes","shop":"s"}`,
		`{"type":"changes","changes":[]}`,
		`{"shop":"s","changes":[]}`,
		`{"type":null,"shop":"s","changes":[]}`,
		`{"type":"changes","shop":null,"changes":[]}`,
		`{"type":"changes","shop":"s","changes":null}`,
		`{"type":"changes","shop":"s","changes":[null]}`,
		`{"type":"changes","shop":"s","changes":[],"compression":"none"}`,
		batch(change(`"seq":17,`, ``)),
		batch(change(`,"body":`, `,"nobody":`)),
		batch(change(`"entity":"sale"`, `"entity":null`)),
		// Strings: escapes, control characters, UTF-8 valid and not.
		`{"type":"chang\u0065s","shop":"s","changes":[]}`,
		`{"type":"changes","shop":"\u0073","changes":[]}`,
		batch(change(`"entity":"sale"`, `"entity":"sa\"le"`)),
		batch(change(`"entity":"sale"`, `"entity":"sal\u00e9"`)),
		batch(change(`"entity":"sale"`, `"entity":"salé"`)),
		batch(change(`"entity":"sale"`, "\"entity\":\"sal\xe9\"")),
		batch(change(`"entity":"sale"`, "\"entity\":\"sa\x00le\"")),
		batch(change(`"entity":"sale"`, "\"entity\":\"sa\x7fle\"")),
		batch(change(`"entity":"sale"`, "\"entity\":\"\xef\xbf\xbd\"")),
		batch(change(`"entity":"sale"`, "\"entity\":\"\xed\xa0\x80\"")),
		batch(change(`"entity":"sale"`, "\"entity\":\"a\u2028b\"")),
		batch(change(`"entity":"sale"`, `"entity":"a b"`)),
		batch(change(`"entity":"sale"`, `"entity":""`)),
		// Numbers.
		batch(change(`"seq":17`, `"seq":1e2`)),
		batch(change(`"seq":17`, `"seq":1.0`)),
		batch(change(`"seq":17`, `"seq":-0`)),
		batch(change(`"seq":17`, `"seq":0`)),
		batch(change(`"seq":17`, `"seq":017`)),
		batch(change(`"seq":17`, `"seq":-17`)),
		batch(change(`"seq":17`, `"seq":"17"`)),
		batch(change(`"seq":17`, `"seq":999999999999999999`)),
		batch(change(`"seq":17`, `"seq":9223372036854775807`)),
		batch(change(`"seq":17`, `"seq":9223372036854775808`)),
		batch(change(`"seq":17`, `"seq":1e400`)),
		// Bodies: any JSON value, kept byte for byte.
		batch(changeWithBody(`null`)),
		batch(changeWithBody(`"\u003c\ud800\n"`)),
		batch(changeWithBody("\"\xff\"")),
		batch(changeWithBody("{\"\xff\":\"\xc3\"}")),
		batch(changeWithBody(`[1,-2.5e+3,true,false,null,"",{},[]]`)),
		batch(changeWithBody(` { "a" : [ 1 , 2 ] } `)),
		batch(changeWithBody(`{"a\"b":1,"\u00e9":2}`)),
		batch(changeWithBody(`-`)),
		batch(changeWithBody(`01`)),
		batch(changeWithBody(`1.`)),
		batch(changeWithBody(`.5`)),
		batch(changeWithBody(`1e`)),
		batch(changeWithBody(`tru`)),
		batch(changeWithBody(`"\x"`)),
		batch(changeWithBody(`"\u12g4"`)),
		batch(changeWithBody(`[1,]`)),
		batch(changeWithBody(`{"a":1,}`)),
		batch(changeWithBody(`{"a"}`)),
		batch(changeWithBody(strings.Repeat("[", 100) + strings.Repeat("]", 100))),
		batch(changeWithBody(strings.Repeat("[", 101) + strings.Repeat("]", 101))),
		// Not one object.
		batch(plainChange) + ` {}`,
		batch(plainChange) + `x`,
		batch(plainChange)[1:],
		`{"type":"changes","shop":"s","changes":[` + plainChange,
		`{"type":"changes","shop":"s","changes":[` + plainChange + `,]}`,
		`{"type":"changes","shop":"s","changes":[],}`,
		`{"type":"changes","shop":"s","changes":{}}`,
		`["type","changes"]`,
		`null`,
		``,
		`{"type":"ack","vector":{"a":1}}`,
		`{"type":"hello","protocol":1,"schema":1,"shop":"s","device":"d","token":"t","vector":{"d":1}}`,
		// A change's signed point, as the last change of a run carries it.
		batch(strings.TrimSuffix(plainChange, `}`) + `,"sig":"AAAAAAAAAAFAFvv2z7cPrzWz5w"}`),
		batch(strings.TrimSuffix(plainChange, `}`) + `,"sig":1}`),
		batch(strings.TrimSuffix(plainChange, `}`) + `,"sig":"a","sig":"b"}`),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(checkAgreesWithJSON)
}

// Inputs too large to be good fuzzing seeds.
func TestFastPathAgreesOnLargeInputs(t *testing.T) {
	withBody := func(body string) string {
		return `{"type":"changes","shop":"s","changes":[` + changeWithBody(body) + `]}`
	}
	for _, data := range []string{
		`{"type":"changes","shop":"s","changes":[` + strings.Repeat(plainChange+",", MaxBatchChanges-1) + plainChange + `]}`,
		`{"type":"changes","shop":"s","changes":[` + strings.Repeat(plainChange+",", MaxBatchChanges) + plainChange + `]}`,
		withBody(`"` + strings.Repeat("x", MaxBodyBytes-2) + `"`),
		withBody(`"` + strings.Repeat("x", MaxBodyBytes-1) + `"`),
		withBody(`[` + strings.Repeat(`1, `, MaxBodyBytes/3-1) + `1]`),
		withBody(strings.Repeat("[", 10000) + strings.Repeat("]", 10000)),
		withBody(strings.Repeat("[", 10001) + strings.Repeat("]", 10001)),
		withBody(`"` + strings.Repeat("x", MaxFrameBytes) + `"`),
	} {
		checkAgreesWithJSON(t, []byte(data))
	}
}

// checkAgreesWithJSON decodes data and encodes the result, and fails t
// unless both give what they give without their fast paths.
func checkAgreesWithJSON(t *testing.T, data []byte) {
	t.Helper()
	m, err := Decode(data)
	want, wantErr := decodeWithJSON(data)
	sameResult(t, "Decode", data, m, err, want, wantErr)
	if err != nil {
		return
	}
	enc, err := Encode(m)
	wantEnc, wantErr := encodeWithJSON(m)
	sameResult(t, "Encode", m, enc, err, wantEnc, wantErr)
}

// FuzzEncodeBatchFast checks Encode on batches Decode could never give it:
// bodies that are not JSON, strings that are not printable.
func FuzzEncodeBatchFast(f *testing.F) {
	good := typicalBatch().Changes[0]
	f.Add("s", good.Origin, good.Seq, good.HLC, good.Entity, good.EntityID, []byte(good.Body))
	for _, body := range []string{
		`null`, `"x"`, `-1.5e-3`, `[]`, `{"a":[{}]}`, `{"a":"<&>\u2028"}`, "\"\u2028\"", "\"\xff\"",
		` {"a":1}`, `{"a":1} `, `{"a": 1}`, "{\"a\":\n1}", `{"a":1}{}`, `{"a":1`, `{"a":01}`, `nul`, `1.`, `""x`, ``,
		strings.Repeat("[", 101) + strings.Repeat("]", 101),
	} {
		f.Add("s", "d", int64(1), "001700000000000.00000.d", "sale", "e", []byte(body))
	}
	for _, s := range []string{"é", "a\"b", `a\b`, "a\x7fb", "\xff", "a\u2028", "<a&b>", "a b", "\t", "~"} {
		f.Add("s", s, int64(1), "001700000000000.00000."+s, s, s, []byte(`{}`))
	}
	f.Add("S", "d", int64(1), "001700000000000.00000.d", "sale", "e", []byte(`{}`))
	f.Add("s", "d", int64(0), "001700000000000.00000.d", "sale", "e", []byte(`{}`))
	f.Add("s", "d", int64(-1<<63), "001700000000000.00000.d", "sale", "e", []byte(`{}`))
	f.Add("s", "d", int64(1<<63-1), "x", "sale", "e", []byte(`{}`))
	f.Fuzz(func(t *testing.T, shop, origin string, seq int64, hlc, entity, entityID string, body []byte) {
		c := changes.Change{Origin: origin, Seq: seq, HLC: hlc, Entity: entity, EntityID: entityID, Body: body}
		for _, b := range []Batch{
			{Shop: shop, Changes: []changes.Change{c}},
			{Shop: shop, Changes: []changes.Change{good, c, good}},
		} {
			got, err := Encode(b)
			want, wantErr := encodeWithJSON(b)
			sameResult(t, "Encode", b, got, err, want, wantErr)
		}
		for _, s := range []string{shop, origin, hlc, entity, entityID, string(body)} {
			if got, want := printableName(s), printableNameByUnicode(s); got != want {
				t.Fatalf("printableName(%q) = %v, want %v", s, got, want)
			}
		}
	})
}

// printableNameByUnicode is checkName's test as it was before its ASCII
// shortcut.
func printableNameByUnicode(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || !unicode.IsPrint(r)
	}) < 0
}

func TestPrintableNameEveryCharacter(t *testing.T) {
	for c := range 256 {
		if s := string([]byte{byte(c)}); printableName(s) != printableNameByUnicode(s) {
			t.Errorf("printableName(%q) = %v", s, printableName(s))
		}
	}
	for r := range rune(unicode.MaxRune + 1) {
		if s := string(r); printableName(s) != printableNameByUnicode(s) {
			t.Errorf("printableName(%q) = %v", s, printableName(s))
		}
	}
}

// The batches we send take the fast paths both ways, indented or not.
func TestTypicalBatchesTakeFastPaths(t *testing.T) {
	for _, b := range []Batch{typicalBatch(), fullBatch(), {Shop: "s", Changes: []changes.Change{}}} {
		data, ok := encodeBatchFast(nil, b)
		if !ok {
			t.Fatalf("encodeBatchFast refused a batch of %d changes", len(b.Changes))
		}
		if want, err := encodeWithJSON(b); err != nil || !bytes.Equal(data, want) {
			t.Fatalf("encodeBatchFast gave\n%.300s…\nencoding/json\n%.300s… (%v)", data, want, err)
		}
		var indented bytes.Buffer
		if err := json.Indent(&indented, data, " ", "  "); err != nil {
			t.Fatal(err)
		}
		for _, text := range [][]byte{data, indented.Bytes()} {
			got, ok := decodeBatchFast(text)
			if !ok {
				t.Fatalf("decodeBatchFast refused %.300s…", text)
			}
			if want, err := decodeWithJSON(text); err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("decodeBatchFast and encoding/json disagree on %.300s… (%v)", text, err)
			}
		}
		if got, _ := decodeBatchFast(data); !reflect.DeepEqual(got, b) {
			t.Fatal("decodeBatchFast(encodeBatchFast(nil, b)) != b")
		}
	}
}

// typicalBatch is a full batch of sales as a replica sends them on its first
// sync: UUIDv7 ids, one origin, and the compact bodies the app writes.
func typicalBatch() Batch {
	const origin = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b"
	b := Batch{Shop: "0190a1b2-aaaa-7000-8000-000000000001"}
	for seq := int64(1); seq <= MaxBatchChanges; seq++ {
		at := 1764000000000 + seq*37
		b.Changes = append(b.Changes, changes.Change{
			Origin:   origin,
			Seq:      seq,
			HLC:      changes.Stamp{Wall: at, Counter: int(seq % 3), Device: origin}.String(),
			Entity:   "sale",
			EntityID: fmt.Sprintf("0190a1b2-%04x-7000-8000-%012x", seq, seq*7919),
			Body: json.RawMessage(fmt.Sprintf(`{"sku_id":"0190a1b2-0000-7000-8000-%012x","at":%d,"qty":%d,"price":%d,"channel":"online"}`,
				seq%40, at, 1+seq%3, 1200+seq%7*100)),
		})
	}
	// The run's signed point (package seal), of a point's length.
	b.Changes[len(b.Changes)-1].Sig = strings.Repeat("AbCd-_09", 32)
	return b
}

// The codec's speed on a batch of 500 typical sales.
func BenchmarkEncodeTypicalBatch(b *testing.B) {
	batch := typicalBatch()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(batch); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeTypicalBatch(b *testing.B) {
	data, err := Encode(typicalBatch())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
