package seal

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"microshop/domain"
	"microshop/sync/changes"
)

const shop = "0190d8e2-8d1e-7c3a-9f00-000000000001"

func sample() changes.Change {
	return changes.Change{Origin: "0190d8e2-8d1e-7c3a-9f00-0000000000aa", Seq: 7, HLC: "0000018f3a2b1c00-0000-0190d8e2", Entity: "sku",
		EntityID: "0190d8e2-8d1e-7c3a-9f00-0000000000bb", Body: json.RawMessage(`{"code":{"v":"MUG-01"},"name":{"v":"Speckled mug"},"price":{"v":2400}}`)}
}

func mustKey(t *testing.T) Key {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A sealed change shows the relay its envelope and nothing of what it
// says, and opens to the very change that was sealed.
func TestSealedChangeHidesItsContentsAndOpens(t *testing.T) {
	s := New(shop, mustKey(t))
	c := sample()
	sealed, err := s.Seal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"MUG-01", "Speckled", "2400", "sku", c.EntityID} {
		if bytes.Contains(sealed.Body, []byte(secret)) || strings.Contains(sealed.Entity+sealed.EntityID, secret) {
			t.Errorf("the sealed change shows %q: %+v", secret, sealed)
		}
	}
	if sealed.Origin != c.Origin || sealed.Seq != c.Seq || sealed.HLC != c.HLC || !IsSealed(sealed) || Digest(sealed) != changes.Digest(c) {
		t.Errorf("envelope %+v, want origin, seq, stamp and the plaintext digest kept", sealed)
	}
	again, _ := s.Seal(c)
	if bytes.Equal(again.Body, sealed.Body) {
		t.Error("sealing twice gave the same bytes: the nonce is not fresh")
	}
	opened, err := s.Open(sealed)
	if err != nil {
		t.Fatal(err)
	}
	if opened.Entity != c.Entity || opened.EntityID != c.EntityID || !bytes.Equal(opened.Body, c.Body) || opened.Seq != c.Seq {
		t.Errorf("opened %+v, want %+v", opened, c)
	}
}

// Anything moved or changed does not open, with a typed error.
func TestTamperedChangesDoNotOpen(t *testing.T) {
	key := mustKey(t)
	s := New(shop, key)
	good, err := s.Seal(sample())
	if err != nil {
		t.Fatal(err)
	}
	flip := func(c changes.Change) changes.Change {
		var text string
		json.Unmarshal(c.Body, &text)
		b := []byte(text)
		b[len(b)/2] ^= 'A' ^ 'B' // stays base64, another byte
		if b[len(b)/2] == text[len(b)/2] {
			b[len(b)/2] = 'Q'
		}
		c.Body, _ = json.Marshal(string(b))
		return c
	}
	cases := map[string]struct {
		c      changes.Change
		sealer *Sealer
		code   string
	}{
		"one flipped bit":      {flip(good), s, domain.ETampered},
		"moved to another seq": {with(good, func(c *changes.Change) { c.Seq++ }), s, domain.ETampered},
		"another origin":       {with(good, func(c *changes.Change) { c.Origin = "0190d8e2-8d1e-7c3a-9f00-0000000000cc" }), s, domain.ETampered},
		"another stamp":        {with(good, func(c *changes.Change) { c.HLC = "0000018f3a2b1c01-0000-0190d8e2" }), s, domain.ETampered},
		"another digest":       {with(good, func(c *changes.Change) { c.EntityID = strings.Repeat("0", 64) }), s, domain.ETampered},
		"another shop":         {good, New("0190d8e2-8d1e-7c3a-9f00-000000000002", key), domain.ETampered},
		"another key":          {good, New(shop, mustKey(t)), domain.ETampered},
		"a body not a string":  {with(good, func(c *changes.Change) { c.Body = json.RawMessage(`{"x":1}`) }), s, domain.ETampered},
		"a body not base64":    {with(good, func(c *changes.Change) { c.Body = json.RawMessage(`"%%%"`) }), s, domain.ETampered},
		"a body too short":     {with(good, func(c *changes.Change) { c.Body = json.RawMessage(`"AAAA"`) }), s, domain.ETampered},
		"sent in the clear":    {sample(), s, domain.ETampered},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := tc.sealer.Open(tc.c)
			if domain.ErrorCode(err) != tc.code || !strings.HasPrefix(domain.ErrorMessage(err), "it") {
				t.Fatalf("err = %v (code %q), want %q saying why", err, domain.ErrorCode(err), tc.code)
			}
		})
	}
}

func with(c changes.Change, edit func(*changes.Change)) changes.Change {
	edit(&c)
	return c
}

// A batch's signature holds for exactly that batch of that shop under
// that key.
func TestBatchSignatures(t *testing.T) {
	key := mustKey(t)
	s := New(shop, key)
	c, _ := s.Seal(sample())
	batch := []changes.Change{c, with(c, func(c *changes.Change) { c.Seq++ })}
	sig := s.Sign(batch)
	pub, ok := ParseWriteKey(s.WriteKey())
	if !ok || !Verify(pub, shop, batch, sig) {
		t.Fatal("a batch's own signature does not verify")
	}
	if New(shop, key).WriteKey() != s.WriteKey() {
		t.Error("the write key is not the same on every device holding the shop key")
	}
	other, _ := ParseWriteKey(New(shop, mustKey(t)).WriteKey())
	cases := map[string]bool{
		"another key":      Verify(other, shop, batch, sig),
		"another shop":     Verify(pub, "0190d8e2-8d1e-7c3a-9f00-000000000002", batch, sig),
		"a change dropped": Verify(pub, shop, batch[:1], sig),
		"a seq moved":      Verify(pub, shop, []changes.Change{batch[0], with(batch[1], func(c *changes.Change) { c.Seq++ })}, sig),
		"a body changed":   Verify(pub, shop, []changes.Change{batch[0], with(batch[1], func(c *changes.Change) { c.Body = json.RawMessage(`"x"`) })}, sig),
		"no signature":     Verify(pub, shop, batch, ""),
		"garbage":          Verify(pub, shop, batch, "not-a-signature"),
	}
	for name, verified := range cases {
		if verified {
			t.Errorf("%s: the signature still verifies", name)
		}
	}
}

func TestKeyText(t *testing.T) {
	k := mustKey(t)
	back, err := ParseKey(k.String())
	if err != nil || back != k {
		t.Fatalf("ParseKey(String) = %v, %v", back, err)
	}
	for _, bad := range []string{"", "abc", k.String()[:20], k.String() + "AA", strings.Repeat("!", 43)} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) accepted it", bad)
		}
	}
}
