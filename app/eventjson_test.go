package app

import (
	"encoding/json"
	"testing"
)

// Wherever the fast decoder answers, encoding/json must read the same
// event; where encoding/json fails, the fast one must not answer.
func FuzzDecodeEventFast(f *testing.F) {
	for _, seed := range []string{
		`{"sku_id":"01a21efe-0e7e-7db7-98e7-aa5695d72734","at":1783123200000,"qty":1,"factory_id":"f1","price":1200,"channel":"fair"}`,
		`{"sku_id":"x","at":-5,"qty":3,"held":1,"batch_id":"b","restock":true,"reason":"defect","note":"n","ref":"r"}`,
		`{"sku_id":"x","at":5,"qty":4,"ref":"r","kit":"k","kit_qty":2}`, `{"kit_qty":99999999999}`,
		`{"sku_id":"x","at":5,"qty":1,"reason":"wrong-size","restock":true,"no_refund":true}`, `{"no_refund":false}`, `{"no_refund":1}`,
		`{"no_refund":true,"no_refund":false}`,
		` { "sku_id" : "x" , "at" : 0 , "restock" : false } `,
		`{}`, `{"qty":01}`, `{"qty":1.0}`, `{"qty":1e3}`, `{"qty":99999999999}`, `{"at":9223372036854775808}`,
		`{"sku_id":"a\"b"}`, `{"sku_id":"é"}`, `{"SKU_ID":"x"}`, `{"qty":1,"qty":2}`, `{"qty":null}`,
		`{"restock":tru}`, `{"qty":1}x`, `{"qty":1,}`, `{"extra":1}`, `[1]`, `{"qty":-}`, `{"qty":"1"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var fast event
		if !decodeEventFast(body, &fast) {
			return
		}
		var slow event
		if err := json.Unmarshal(body, &slow); err != nil {
			t.Fatalf("fast decoder read %q, encoding/json refuses it: %v", body, err)
		}
		if fast != slow {
			t.Fatalf("%q: fast %+v, encoding/json %+v", body, fast, slow)
		}
	})
}

// The bodies this build writes take the fast path.
func TestEventBodiesWeWriteDecodeFast(t *testing.T) {
	for _, e := range []event{
		{SKUID: "s", At: 1783123200000, Qty: 2, FactoryID: "f", Price: 1500, Channel: "online"},
		{SKUID: "s", At: 5, Qty: 10, Held: 1, BatchID: "b", FactoryID: "f"},
		{SKUID: "s", At: 5, Qty: 1, Reason: "damaged-in-transit", Restock: true, FactoryID: "f"},
		{SKUID: "s", At: 5, Qty: -3, Note: "found behind the shelf"},
		{SKUID: "s", At: 5, Qty: 1, Ref: "sale-id"},
		{SKUID: "s", At: 5, Qty: 4, Ref: "sale-id", Kit: "kit-id", KitQty: 2},
		{SKUID: "s", At: 5, Qty: 1, Reason: "wrong-size", Restock: true, FactoryID: "f", NoRefund: true},
	} {
		body, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var got event
		if !decodeEventFast(body, &got) || got != e {
			t.Errorf("%s: fast decoder gave %+v, want %+v", body, got, e)
		}
	}
}

// Wherever the fast encoder answers, it writes what json.Marshal writes.
func FuzzEncodeEventFast(f *testing.F) {
	f.Add("01a21efe-0e7e-7db7-98e7-aa5695d72734", int64(1783123200000), 2, 0, "", "f1", int64(1200), "etsy", "", false, "", "", "9001", "other", int64(0), int64(0), "", "", "", 0, false)
	f.Add("s", int64(-5), -3, 1, "b", "", int64(0), "", "defect", true, "a <note> & \"quote\"", "r", "", "", int64(-1), int64(300), "loc", "to", "kit", 2, false)
	f.Add("", int64(0), 0, 0, "é", "\x00", int64(0), "\u2028", "", false, "", "", "", "", int64(0), int64(0), "", "", "é", -1, false)
	f.Add("s", int64(5), 1, 0, "", "f", int64(0), "", "wrong-size", true, "", "", "", "", int64(0), int64(0), "", "", "", 0, true)
	f.Fuzz(func(t *testing.T, sku string, at int64, qty, held int, batch, factory string, price int64, channel, reason string, restock bool,
		note, ref, order, payment string, discount, refund int64, location, to, kit string, kitQty int, noRefund bool) {
		e := event{SKUID: sku, At: at, Qty: qty, Held: held, BatchID: batch, FactoryID: factory, Price: price, Channel: channel, Reason: reason,
			Restock: restock, Note: note, Ref: ref, Order: order, Payment: payment, Discount: discount, Refund: refund, Location: location, To: to,
			Kit: kit, KitQty: kitQty, NoRefund: noRefund}
		fast, ok := encodeEventFast(&e)
		if !ok {
			return
		}
		want, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if string(fast) != string(want) {
			t.Fatalf("fast encoder wrote %s, json.Marshal %s", fast, want)
		}
	})
}

// The events an import writes take the fast path.
func TestImportedSalesEncodeFast(t *testing.T) {
	e := event{Kind: kindSale, ID: "i", SKUID: "01a21efe-0e7e-7db7-98e7-aa5695d72734", At: 1783123200000, Qty: 2, Price: 2400, Channel: "etsy",
		FactoryID: "01a21efe-0e7e-7db7-98e7-aa5695d72735", Order: "3141592653", Payment: "other"}
	fast, ok := encodeEventFast(&e)
	want, _ := json.Marshal(e)
	if !ok || string(fast) != string(want) {
		t.Fatalf("fast encoder: %s, %v; want %s", fast, ok, want)
	}
}
