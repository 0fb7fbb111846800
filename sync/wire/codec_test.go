package wire

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"microshop/domain"
	"microshop/sync/changes"
)

func testChange(origin string, seq int64) changes.Change {
	return changes.Change{
		Origin:   origin,
		Seq:      seq,
		HLC:      changes.Stamp{Wall: 1700000000000 + seq, Device: origin}.String(),
		Entity:   "sale",
		EntityID: "0190a1b2-0000-7000-8000-000000000001",
		Body:     json.RawMessage(`{"sku":"MUG-1","qty":1,"note":"<ok> & fine"}`),
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		msg  Message
	}{
		{"hello", Hello{Protocol: ProtocolVersion, Schema: 1, Shop: "shop-1", Device: "dev-a", Token: "mst_x", Vector: changes.Vector{"dev-a": 3}}},
		{"hello joining", Hello{Protocol: ProtocolVersion, Schema: 1, Device: "dev-a", Token: "mst_x"}},
		{"hello sealed", Hello{Protocol: ProtocolVersion, Schema: 2, Shop: "shop-1", Device: "dev-a", Token: "mst_x", Vector: changes.Vector{}, WriteKey: "b2Zmc2V0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE"}},
		{"welcome", Welcome{Protocol: ProtocolVersion, Schema: 1, Shop: "shop-1", Vector: changes.Vector{}}},
		{"changes", Batch{Shop: "shop-1", Changes: []changes.Change{testChange("dev-a", 1), testChange("dev-a", 2)}}},
		{"empty changes", Batch{Shop: "shop-1", Changes: []changes.Change{}}},
		{"signed changes", Batch{Shop: "shop-1", Changes: []changes.Change{testChange("dev-a", 1)}, Sig: "c2lnbmF0dXJlLW9mLXNpeHR5LWZvdXItYnl0ZXMtZm9yLWEtYmF0Y2gtb2YtY2hhbmdlcy0tLS0tLS0tLS0tLQ"}},
		{"ack", Ack{Vector: changes.Vector{"dev-a": 2, "dev-b": 7}}},
		{"error", Error{Code: CodeWrongShop, Message: "That token belongs to another shop."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := Encode(tt.msg)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			got, err := Decode(data)
			if err != nil {
				t.Fatalf("Decode(%s): %v", data, err)
			}
			// Read decodes each message from a buffer it reuses for the
			// next, so nothing decoded may point into data.
			encoded := string(data)
			for i := range data {
				data[i] = 'x'
			}
			if !reflect.DeepEqual(got, tt.msg) {
				t.Errorf("Decode(Encode(m)) = %#v, want %#v", got, tt.msg)
			}
			var head map[string]any
			if err := json.Unmarshal([]byte(encoded), &head); err != nil || head["type"] != string(tt.msg.MessageType()) {
				t.Errorf("type key = %v (err %v), want %q", head["type"], err, tt.msg.MessageType())
			}
		})
	}
}

// TestWireShapes pins the JSON keys clients are written against.
func TestWireShapes(t *testing.T) {
	tests := []struct {
		msg  Message
		want string
	}{
		{Hello{Protocol: 1, Schema: 1, Shop: "s", Device: "d", Token: "t", Vector: changes.Vector{"d": 1}},
			`{"type":"hello","protocol":1,"schema":1,"shop":"s","device":"d","token":"t","vector":{"d":1}}`},
		{Welcome{Protocol: 1, Schema: 2, Shop: "s", Vector: changes.Vector{}},
			`{"type":"welcome","protocol":1,"schema":2,"shop":"s","vector":{}}`},
		{Batch{Shop: "s", Changes: []changes.Change{{Origin: "d", Seq: 1, HLC: "001700000000000.00000.d", Entity: "sale", EntityID: "e", Body: json.RawMessage(`{"a":"<b>"}`)}}},
			`{"type":"changes","shop":"s","changes":[{"origin":"d","seq":1,"hlc":"001700000000000.00000.d","entity":"sale","entity_id":"e","body":{"a":"<b>"}}]}`},
		{Ack{Vector: changes.Vector{"d": 1}}, `{"type":"ack","vector":{"d":1}}`},
		{Error{Code: "too_large", Message: "m"}, `{"type":"error","code":"too_large","message":"m"}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.msg.MessageType()), func(t *testing.T) {
			got, err := Encode(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Encode = %s\nwant     %s", got, tt.want)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	goodChange := `{"origin":"d","seq":1,"hlc":"001700000000000.00000.d","entity":"sale","entity_id":"e","body":{}}`
	withChange := func(c string) string { return `{"type":"changes","shop":"s","changes":[` + c + `]}` }
	tests := []struct {
		name     string
		data     string
		wantCode string
	}{
		{"empty", ``, CodeBadMessage},
		{"not json", `hello`, CodeBadMessage},
		{"truncated", `{"type":"ack","vector":{`, CodeBadMessage},
		{"array", `[1,2]`, CodeBadMessage},
		{"null", `null`, CodeBadMessage},
		{"trailing data", `{"type":"ack","vector":{}} {}`, CodeBadMessage},
		{"no type", `{"vector":{}}`, CodeBadMessage},
		{"type not a string", `{"type":7}`, CodeBadMessage},
		{"unknown type", `{"type":"gimme","vector":{}}`, CodeBadMessage},
		{"hello without protocol", `{"type":"hello","schema":1,"device":"d","token":"t"}`, CodeBadMessage},
		{"hello without schema", `{"type":"hello","protocol":1,"device":"d","token":"t"}`, CodeBadMessage},
		{"hello without device", `{"type":"hello","protocol":1,"schema":1,"token":"t"}`, CodeBadMessage},
		{"hello with a path as shop", `{"type":"hello","protocol":1,"schema":1,"shop":"../etc","device":"d"}`, CodeBadMessage},
		{"hello with an upper-case shop", `{"type":"hello","protocol":1,"schema":1,"shop":"Shop","device":"d"}`, CodeBadMessage},
		{"hello with a negative vector", `{"type":"hello","protocol":1,"schema":1,"device":"d","vector":{"x":-1}}`, CodeBadMessage},
		{"hello with a string protocol", `{"type":"hello","protocol":"1","schema":1,"device":"d"}`, CodeBadMessage},
		{"welcome without vector", `{"type":"welcome","protocol":1,"schema":1,"shop":"s"}`, CodeBadMessage},
		{"ack without vector", `{"type":"ack"}`, CodeBadMessage},
		{"ack with null vector", `{"type":"ack","vector":null}`, CodeBadMessage},
		{"ack with a fractional seq", `{"type":"ack","vector":{"d":1.5}}`, CodeBadMessage},
		{"error without code", `{"type":"error","message":"m"}`, CodeBadMessage},
		{"changes without shop", `{"type":"changes","changes":[]}`, CodeBadMessage},
		{"changes without list", `{"type":"changes","shop":"s"}`, CodeBadMessage},
		{"change without origin", withChange(`{"seq":1,"hlc":"001700000000000.00000.d","entity":"sale","entity_id":"e","body":{}}`), CodeBadMessage},
		{"change with seq 0", withChange(`{"origin":"d","seq":0,"hlc":"001700000000000.00000.d","entity":"sale","entity_id":"e","body":{}}`), CodeBadMessage},
		{"change with a bad stamp", withChange(`{"origin":"d","seq":1,"hlc":"yesterday","entity":"sale","entity_id":"e","body":{}}`), CodeBadMessage},
		{"change without body", withChange(`{"origin":"d","seq":1,"hlc":"001700000000000.00000.d","entity":"sale","entity_id":"e"}`), CodeBadMessage},
		{"change with a space in its origin", withChange(`{"origin":"a b","seq":1,"hlc":"001700000000000.00000.d","entity":"sale","entity_id":"e","body":{}}`), CodeBadMessage},
		{"change body too large", withChange(`{"origin":"d","seq":1,"hlc":"001700000000000.00000.d","entity":"sale","entity_id":"e","body":"` + strings.Repeat("x", MaxBodyBytes) + `"}`), CodeTooLarge},
		{"too many changes", `{"type":"changes","shop":"s","changes":[` + strings.Repeat(goodChange+",", MaxBatchChanges) + goodChange + `]}`, CodeTooLarge},
		{"frame too large", `{"type":"ack","vector":{},"pad":"` + strings.Repeat("x", MaxFrameBytes) + `"}`, CodeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode([]byte(tt.data))
			if err == nil {
				t.Fatalf("Decode = %#v, want a %s error", m, tt.wantCode)
			}
			if got := domain.ErrorCode(err); got != tt.wantCode {
				t.Errorf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if domain.ErrorMessage(err) == "" {
				t.Error("the error has no message")
			}
		})
	}
}

func TestDecodeIgnoresUnknownKeys(t *testing.T) {
	m, err := Decode([]byte(`{"type":"ack","vector":{"d":2},"compression":"none"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m, (Ack{Vector: changes.Vector{"d": 2}}); !reflect.DeepEqual(got, want) {
		t.Errorf("Decode = %#v, want %#v", got, want)
	}
}

func TestEncodeRefusesWhatDecodeRefuses(t *testing.T) {
	_, err := Encode(Batch{Shop: "s", Changes: []changes.Change{{Origin: "d", Seq: 0}}})
	if got := domain.ErrorCode(err); got != CodeBadMessage {
		t.Errorf("Encode of a change with seq 0: code %q (%v), want %q", got, err, CodeBadMessage)
	}
}

func TestBatchOfMaxSizeFitsAFrame(t *testing.T) {
	// A sender filling a batch to MaxBatchBytes by ChangeSize, plus one last
	// change with the largest body, must still produce a frame under the limit.
	var batch []changes.Change
	size := 0
	for seq := int64(1); ; seq++ {
		c := testChange("0190a1b2-0000-7000-8000-00000000000a", seq)
		if size+ChangeSize(c) > MaxBatchBytes || len(batch) == MaxBatchChanges-1 {
			break
		}
		size += ChangeSize(c)
		batch = append(batch, c)
	}
	big := testChange("0190a1b2-0000-7000-8000-00000000000a", int64(len(batch)+1))
	big.Body = json.RawMessage(`"` + strings.Repeat("é", (MaxBodyBytes-2)/2) + `"`)
	batch = append(batch, big)
	data, err := Encode(Batch{Shop: "s", Changes: batch})
	if err != nil {
		t.Fatalf("Encode of %d changes: %v", len(batch), err)
	}
	if len(data) > MaxFrameBytes {
		t.Errorf("frame is %d bytes, limit %d", len(data), MaxFrameBytes)
	}
}

func TestFitBatch(t *testing.T) {
	small := make([]changes.Change, MaxBatchChanges+10)
	for i := range small {
		small[i] = testChange("d", int64(i+1))
	}
	big := testChange("d", 1)
	big.Body = json.RawMessage(`"` + strings.Repeat("x", MaxBodyBytes-2) + `"`)
	bigs := []changes.Change{big, big, big, big, big}
	tests := []struct {
		name string
		in   []changes.Change
		want int
	}{
		{"empty", nil, 0},
		{"a few", small[:3], 3},
		{"count limit", small, MaxBatchChanges},
		{"byte limit", bigs, MaxBatchBytes / ChangeSize(big)},
		{"a single large change", bigs[:1], 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FitBatch(tt.in)
			if len(got) != tt.want {
				t.Fatalf("FitBatch kept %d, want %d", len(got), tt.want)
			}
			if len(got) > 0 {
				if _, err := Encode(Batch{Shop: "s", Changes: got}); err != nil {
					t.Errorf("the fitted batch does not encode: %v", err)
				}
			}
		})
	}
}

func fullBatch() Batch {
	b := Batch{Shop: "0190a1b2-aaaa-7000-8000-000000000001"}
	for seq := int64(1); seq <= MaxBatchChanges; seq++ {
		b.Changes = append(b.Changes, testChange("0190a1b2-0000-7000-8000-00000000000a", seq))
	}
	return b
}
