package relay

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

// Two relays over one data directory can open a new shop's file at the
// same moment (a device reconnected to the other mid-sync): both open it,
// neither is told the database is locked.
func TestTwoRelaysOpenANewShopFileAtOnce(t *testing.T) {
	ctx := context.Background()
	for round := range 20 {
		path := filepath.Join(t.TempDir(), "shop.db")
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				db, err := openSQLite(ctx, path, "shop")
				if err != nil {
					t.Errorf("round %d: %v", round, err)
					return
				}
				db.Close()
			})
		}
		wg.Wait()
	}
}
