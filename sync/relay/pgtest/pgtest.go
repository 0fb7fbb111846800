// Package pgtest gives tests a fresh PostgreSQL database on the server
// scripts/with-postgres starts.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// URL returns the address of a new, empty database on the server in
// MICROSHOP_TEST_PG (scripts/with-postgres starts one), dropped after the
// test. Without it the test is skipped, except in CI, where it fails: the
// PostgreSQL relay is proven on every CI run.
func URL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("MICROSHOP_TEST_PG")
	if admin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("MICROSHOP_TEST_PG is not set, and CI must test the PostgreSQL relay: run the tests under scripts/with-postgres")
		}
		t.Skip("MICROSHOP_TEST_PG is not set (scripts/with-postgres sets it)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to MICROSHOP_TEST_PG: %v", err)
	}
	defer conn.Close(ctx)
	id := make([]byte, 6)
	rand.Read(id)
	name := "relay_test_" + hex.EncodeToString(id)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, admin); err == nil {
			c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
