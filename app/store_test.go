package app

import (
	"context"
	"database/sql"
	"testing"
)

// A sale the till has reported as made must survive the laptop's battery
// dying a moment later, not only the program being killed: every
// connection to the shop waits for the disk to hold a commit before the
// commit returns (SQLite's synchronous FULL). With NORMAL, a power cut
// could take back the last sales in the write-ahead log, after "Sold".
func TestEveryConnectionWaitsForTheDiskBeforeASaleIsReported(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	var conns []*sql.Conn
	for range 3 { // held at once, so each is another pooled connection
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var level int
		if err := c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil {
			t.Fatal(err)
		}
		if level != 2 {
			t.Errorf("connection %d: synchronous = %d, want 2 (FULL): a commit must be on the disk before a sale is reported", i, level)
		}
	}
}
