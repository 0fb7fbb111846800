package app

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// A read connection that the desktop uses every second (it asks for the
// version vector to see other programs' changes) is still closed in time:
// the pages of the shop file it read for a report stay resident for as
// long as it lives.
func TestReadConnectionsAreRenewed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _ := mustCreate(t)
		ctx := context.Background()
		for range 2 * readLife / time.Second {
			if _, err := s.Vector(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Second)
		}
		if st := s.db.Stats(); st.MaxLifetimeClosed == 0 {
			t.Errorf("a connection used every second for %v was never closed (%+v)", 2*readLife, st)
		}
	})
}
