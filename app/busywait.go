package app

import (
	"context"
	"errors"
	"strconv"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// A write that finds another program writing to the shop (microshopctl
// importing a year of orders, or applying a sync) waits busyTimeout for it,
// then fails: the shop is busy, try again. The command line may say so;
// the desktop app may not: a sale tapped during a long import was lost,
// said only in a red line under the tiles, and a tap that showed nothing
// for ten seconds was tapped again. WaitWhileBusy makes this process's
// writes wait for the other program instead, and say at once that they do.

// maxBusyWait bounds a write's wait for another program: an import of the
// largest file accepted takes a minute or two; a program that holds the
// shop far longer is stuck, and the write fails saying the shop is busy.
const maxBusyWait = 5 * time.Minute

// busyTell is how long a write waits for another program's lock before it
// says it is waiting: soon enough that a tap is not tapped again.
var busyTell = time.Second

// WaitWhileBusy makes the writes of this process wait as long as another
// program writes to the shop (up to a few minutes) rather than fail, and
// calls told with true as a write starts waiting, and with false as it
// goes on (or gives up). told is called on the writing goroutine.
func (s *Shop) WaitWhileBusy(told func(waiting bool)) { s.busyTold.Store(&told) }

// beginImmediate takes the write lock on the writer's connection, waiting
// for another program's write as WaitWhileBusy asked. Only called with the
// writer's lock held.
func (s *Shop) beginImmediate(ctx context.Context, w *writer) error {
	told := s.busyTold.Load()
	if told == nil {
		_, err := w.conn.ExecContext(ctx, `BEGIN IMMEDIATE`)
		return err
	}
	if !w.tells {
		// The lock is asked for in short waits, so the first can tell.
		if _, err := w.conn.ExecContext(ctx, `PRAGMA busy_timeout = `+strconv.FormatInt(busyTell.Milliseconds(), 10)); err != nil {
			return err
		}
		w.tells = true
	}
	_, err := w.conn.ExecContext(ctx, `BEGIN IMMEDIATE`)
	if !isBusy(err) {
		return err
	}
	(*told)(true)
	defer (*told)(false)
	for deadline := time.Now().Add(maxBusyWait); isBusy(err) && time.Now().Before(deadline) && ctx.Err() == nil; {
		_, err = w.conn.ExecContext(ctx, `BEGIN IMMEDIATE`)
	}
	return err
}

// isBusy reports whether err is SQLite's: another connection holds the lock.
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}
