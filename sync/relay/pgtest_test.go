package relay

import (
	"context"
	"testing"

	"microshop/sync/relay/pgtest"
)

func pgTestURL(t testing.TB) string { return pgtest.URL(t) }

func mustOpenPGStore(t testing.TB, url string) *PGStore {
	t.Helper()
	s, err := OpenPGStore(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
