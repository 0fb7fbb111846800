package relay

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/wire"
)

func TestTokenSecretIsNeverStored(t *testing.T) {
	dir := t.TempDir()
	db := mustOpenTokenDB(t, filepath.Join(dir, "tokens.db"))
	ctx := context.Background()
	tok, text, err := db.Create(ctx, shopA, "stall laptop")
	if err != nil {
		t.Fatal(err)
	}
	if len(text) < len(tokenPrefix)+32 {
		t.Fatalf("token %q is too short to hold 128 random bits", text)
	}
	if _, err := db.Authenticate(ctx, text, shopA); err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	secret := text[strings.LastIndex(text, "_")+1:]
	// Check the database and its WAL while open, as a copied file would be.
	files, _ := filepath.Glob(filepath.Join(dir, "tokens.db*"))
	if len(files) == 0 {
		t.Fatal("no token database files")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(secret)) || bytes.Contains(data, []byte(strings.ToUpper(secret))) {
			t.Errorf("%s holds the token's secret", filepath.Base(name))
		}
		if !bytes.Contains(data, []byte(tok.ID)) && filepath.Base(name) == "tokens.db-wal" {
			t.Logf("%s does not hold the token id either (checkpointed)", filepath.Base(name))
		}
	}
	list, err := db.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != tok.ID || list[0].Label != "stall laptop" || list[0].Shop != shopA {
		t.Errorf("List = %+v, want the one token", list)
	}
}

func TestTokenAuthentication(t *testing.T) {
	ctx := context.Background()
	eachTokenBackend(t, func(t *testing.T, db tokenAdmin) {
		_, forA, _ := db.Create(ctx, shopA, "")
		revoked, revokedText, _ := db.Create(ctx, shopA, "")
		if err := db.Revoke(ctx, revoked.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Revoke(ctx, revoked.ID); err != nil {
			t.Errorf("revoking twice: %v, want no error", err)
		}
		flipped := []byte(forA)
		flipped[len(flipped)-1] ^= 1

		tests := []struct {
			name, token, shop string
			wantShop, code    string
		}{
			{"right token", forA, shopA, shopA, ""},
			{"joining with the token's shop", forA, "", shopA, ""},
			{"empty", "", shopA, "", wire.CodeUnauthorized},
			{"one bit off", string(flipped), shopA, "", wire.CodeUnauthorized},
			{"unknown id", "mst_ffffffffffffffff" + forA[len("mst_ffffffffffffffff"):], shopA, "", wire.CodeUnauthorized},
			{"truncated", forA[:len(forA)-1], shopA, "", wire.CodeUnauthorized},
			{"revoked", revokedText, shopA, "", wire.CodeUnauthorized},
			{"another shop", forA, shopB, "", wire.CodeWrongShop},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.Authenticate(ctx, tt.token, tt.shop)
				if code := domain.ErrorCode(err); code != tt.code || got != tt.wantShop {
					t.Errorf("Authenticate = %q, %v; want %q, code %q", got, err, tt.wantShop, tt.code)
				}
			})
		}
	})
}

func TestUnboundTokenBindsToTheFirstShop(t *testing.T) {
	ctx := context.Background()
	eachTokenBackend(t, func(t *testing.T, db tokenAdmin) {
		_, forA, _ := db.Create(ctx, shopA, "")
		fresh, text, _ := db.Create(ctx, "", "partner")

		if _, err := db.Authenticate(ctx, text, ""); domain.ErrorCode(err) != wire.CodeWrongShop {
			t.Errorf("joining with an unbound token: %v, want %s", err, wire.CodeWrongShop)
		}
		// A fresh token cannot claim a shop another token is for. Shop A
		// never synced here: the refusal said it "already syncs through
		// this relay", sending its maker looking for a device that did.
		_, err := db.Authenticate(ctx, text, shopA)
		if domain.ErrorCode(err) != wire.CodeWrongShop {
			t.Errorf("claiming shop A with a fresh token: %v, want %s", err, wire.CodeWrongShop)
		}
		want := "The shop " + shopA + " has a token on this relay already, and a token made without --shop cannot be used for it; ask the relay's owner for one made with --shop " + shopA + "."
		if got := domain.ErrorMessage(err); got != want {
			t.Errorf("claiming shop A with a fresh token says %q, want %q", got, want)
		}
		if _, err := db.Authenticate(ctx, forA, shopA); err != nil {
			t.Fatal(err)
		}

		// Devices of two shops race to use it: exactly one wins.
		shops := []string{shopB, "0190a1b2-cccc-7000-8000-000000000003"}
		errs := make([]error, len(shops))
		var wg sync.WaitGroup
		for i, shop := range shops {
			wg.Go(func() { _, errs[i] = db.Authenticate(ctx, text, shop) })
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("racing binds: %v and %v, want exactly one success", errs[0], errs[1])
		}
		winner, loser := shops[0], shops[1]
		if errs[0] != nil {
			winner, loser = loser, winner
		}
		if got, err := db.Authenticate(ctx, text, ""); got != winner || err != nil {
			t.Errorf("after binding, joining gives %q, %v; want %q", got, err, winner)
		}
		if _, err := db.Authenticate(ctx, text, loser); domain.ErrorCode(err) != wire.CodeWrongShop {
			t.Errorf("the bound token used for %s: %v, want %s", loser, err, wire.CodeWrongShop)
		}
		list, _ := db.List(ctx)
		for _, tok := range list {
			if tok.ID == fresh.ID && tok.Shop != winner {
				t.Errorf("token list shows shop %q, want %q", tok.Shop, winner)
			}
		}
	})
}

func TestCreateTokenRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	eachTokenBackend(t, func(t *testing.T, db tokenAdmin) {
		for _, tt := range []struct{ name, shop, label string }{
			{"path as shop", "../../etc", ""},
			{"upper-case shop", "SHOP", ""},
			{"label with a newline", shopA, "a\nb"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if _, _, err := db.Create(ctx, tt.shop, tt.label); domain.ErrorCode(err) != domain.EInvalid {
					t.Errorf("Create(%q, %q) = %v, want %s", tt.shop, tt.label, err, domain.EInvalid)
				}
			})
		}
		if err := db.Revoke(ctx, "nope"); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("Revoke of an unknown id = %v, want %s", err, domain.ENotFound)
		}
	})
}

// A revoked token's refusal says when as the app words times, in UTC:
// it showed the stored "2026-12-07T04:56:30Z" to the maker.
func TestARevokedTokenSaysWhenAsPeopleRead(t *testing.T) {
	ctx := context.Background()
	eachTokenBackend(t, func(t *testing.T, db tokenAdmin) {
		revoked, text, _ := db.Create(ctx, shopA, "")
		if err := db.Revoke(ctx, revoked.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.Authenticate(ctx, text, shopA)
		msg := domain.ErrorMessage(err)
		if day := time.Now().UTC().Format("2 Jan 2006"); !strings.Contains(msg, "was revoked on "+day+" ") || !strings.Contains(msg, " UTC;") || strings.Contains(msg, "Z;") {
			t.Errorf("a revoked token is refused with %q; want when, as \"%s 15:04 UTC\"", msg, day)
		}
	})
}

// A token the relay never made (one from another relay, or from before its
// data was replaced) reaches it mostly as remembered beside a shop, not as
// typed: the device is told to ask the relay's owner for a new one, not
// only to check its copying.
func TestATokenThisRelayDoesNotKnowSaysWhatToDo(t *testing.T) {
	ctx := context.Background()
	eachTokenBackend(t, func(t *testing.T, db tokenAdmin) {
		_, text, err := db.Create(ctx, shopA, "")
		if err != nil {
			t.Fatal(err)
		}
		otherRelays := "mst_ffffffffffffffff" + text[len("mst_ffffffffffffffff"):]
		_, err = db.Authenticate(ctx, otherRelays, shopA)
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, "ask the relay's owner for a new one") {
			t.Errorf("a token this relay never made is refused with %q, want it to say to ask the relay's owner for a new one", msg)
		}
	})
}
