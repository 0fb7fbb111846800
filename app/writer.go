package app

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
)

// writer runs this process's write transactions one at a time on one
// connection. SQLite lets one writer in at a time anyway; keeping it on one
// connection keeps that connection's page cache, which a write from any
// other connection would empty, and lets its statements be prepared once
// for the life of the shop instead of once a transaction.
type writer struct {
	mu    sync.Mutex
	conn  *sql.Conn
	stmts map[string]*sql.Stmt // prepared on conn; they go when it does
	// direct are statements prepared on conn's driver connection itself,
	// run by execDirect; they go when conn does.
	direct map[string]driver.Stmt
	named  []driver.NamedValue // execDirect's values, kept for the next run
	keys   map[string]int64    // sku_keys as committed, and as this transaction adds
	args   []any               // logEventRun's values, kept for the next run
	// masks are the optional columns of the full-run statements prepared
	// so far (eventInsert); past maxMasks, runs bind every column.
	masks map[columnMask]bool
	// unsure is set when this transaction added a key: if it does not
	// commit, the keys are read again.
	unsure bool
	// bulk is set when this transaction took bulkWriting: the writer's
	// own settings are put back when it ends.
	bulk bool
	// relaxed is set when this transaction commits without waiting for
	// the disk (beginRelaxed): the wait is put back when it ends.
	relaxed bool
	// tells is set once conn asks for the lock in short waits, to say
	// soon that it waits for another program (WaitWhileBusy).
	tells bool
}

// writerSettings are the writer connection's own. Its page cache is small:
// its transactions read through the memory map, what it caches is mostly
// pages it is about to write, and a cache that grows takes every new page
// from the driver's emulated C allocator, which costs far more than reusing
// one (applying a sync batch ran a third faster with 8 MiB than with the
// 64 MiB the report connections keep). Its temporary files are in memory:
// a statement that writes many rows (see logEventRun) keeps a journal to
// undo just itself, which in a file cost more than the statement saved.
const writerSettings = writerUsual + `; PRAGMA temp_store = MEMORY`

// writerUsual are the writer connection's page cache and checkpoint
// settings, which the writer puts back after a bulk write (see
// bulkWriting).
const writerUsual = `PRAGMA cache_size = -8192; PRAGMA wal_autocheckpoint = ` + autoCheckpointPages

// autoCheckpointPages bounds the write-ahead log on every connection: a
// commit that leaves it longer copies it into the file, should the
// checkpointer fall behind.
const autoCheckpointPages = "8192"

// bulkWriting are the settings of a write that logs tens of thousands of
// events in one transaction, such as an import.
//
// A larger page cache: its changes dirty more pages of the log's indexes
// than the writer's cache holds, and SQLite then writes pages out to the
// WAL mid-transaction and reads them back, again and again (a
// 100,000-line import spent a fifth of its time so). The cache takes only
// the pages the write needs, and gives them back when writerUsual is set
// again, as the writer does when the write ends.
//
// No checkpoint in its commit: the write-ahead log it leaves is far past
// the auto-checkpoint's bound, and the commit then copied all of it into
// the file and waited for the disk before it returned, a sixth of a
// 100,000-line import's time. The checkpointer copies it after, as it does
// after every commit.
const bulkWriting = `PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 0`

// begin starts a write transaction on the writer connection. done ends the
// turn: call it after Commit or Rollback, and call committed after a
// successful Commit. Its commit returns once the disk holds it
// (synchronous FULL, set for every connection in open): a sale reported
// as made survives a power cut a moment later.
func (s *Shop) begin(ctx context.Context) (tx *writeTx, done func(), err error) {
	return s.beginAs(ctx, false)
}

// beginRelaxed is begin for a transaction that holds only what another
// device can send again: changes from a relay, a computer nearby or a
// bundle, with the vector that says they are here. Its commit does not
// wait for the disk (synchronous NORMAL): a power cut may take the batch
// back, vector and all, and the next sync brings it again; the next
// commit that waits, any change made here, puts it on the disk with its
// own. Waiting cost applying a batch of 500 a fifth of its time. A
// change made here must never commit this way: one sent on and then lost
// would have its number given again to another change.
func (s *Shop) beginRelaxed(ctx context.Context) (tx *writeTx, done func(), err error) {
	return s.beginAs(ctx, true)
}

func (s *Shop) beginAs(ctx context.Context, relaxed bool) (tx *writeTx, done func(), err error) {
	if s.ro != nil {
		return nil, nil, s.ro.refusal()
	}
	w := &s.writer
	w.mu.Lock()
	if w.conn == nil {
		if w.conn, err = s.db.Conn(ctx); err != nil {
			w.mu.Unlock()
			return nil, nil, err
		}
		if _, err = w.conn.ExecContext(ctx, writerSettings); err != nil {
			w.dropConn()
			w.mu.Unlock()
			return nil, nil, err
		}
	}
	if relaxed {
		// Outside the transaction: SQLite refuses it inside one.
		if _, err = w.conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
			w.discardConn()
			w.mu.Unlock()
			return nil, nil, err
		}
		w.relaxed = true
	}
	if err = s.beginImmediate(ctx, w); err != nil {
		// A broken connection, or one still in a transaction, is closed:
		// in the pool it would fail every write that took it again.
		w.discardConn()
		w.mu.Unlock()
		return nil, nil, err
	}
	return &writeTx{w: w}, w.end, nil
}

// writeTx is a write transaction on the writer's connection, begun and
// ended by its own statements rather than by a transaction of
// database/sql's: that one watches its context on a goroutine, and so
// does every query run in it, a goroutine started and stopped for each of
// the dozen queries of a sale. Here a query starts one only when its own
// context can be cancelled.
type writeTx struct {
	w    *writer
	over bool
}

func (t *writeTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.w.conn.ExecContext(ctx, query, args...)
}

func (t *writeTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.w.conn.QueryContext(ctx, query, args...)
}

func (t *writeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.w.conn.QueryRowContext(ctx, query, args...)
}

func (t *writeTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.w.conn.PrepareContext(ctx, query)
}

// StmtContext is st itself: the writer prepares its statements on its
// connection, where every transaction of it runs.
func (t *writeTx) StmtContext(_ context.Context, st *sql.Stmt) *sql.Stmt { return st }

// Commit commits the transaction; if that fails, it is rolled back, so the
// connection is left with none open.
func (t *writeTx) Commit() error {
	if t.over {
		return sql.ErrTxDone
	}
	t.over = true
	// Whatever the caller's context, the transaction ends here.
	if _, err := t.w.conn.ExecContext(context.Background(), `COMMIT`); err != nil {
		t.rollback()
		return err
	}
	return nil
}

// Rollback takes the transaction back, unless it has ended.
func (t *writeTx) Rollback() error {
	if t.over {
		return sql.ErrTxDone
	}
	t.over = true
	return t.rollback()
}

// rollback takes the transaction back; a connection that cannot is
// closed, not left holding it.
func (t *writeTx) rollback() error {
	_, err := t.w.conn.ExecContext(context.Background(), `ROLLBACK`)
	if err != nil {
		t.w.discardConn()
	}
	return err
}

// committed marks the transaction's new SKU keys as stored.
func (s *Shop) committed() { s.writer.unsure = false }

// end ends a write turn. Keys made by a transaction that did not commit
// would number other SKUs later, so they are all dropped.
func (w *writer) end() {
	if w.unsure {
		w.keys, w.unsure = nil, false
	}
	if w.relaxed && w.conn != nil {
		w.relaxed = false
		if _, err := w.conn.ExecContext(context.Background(), `PRAGMA synchronous = FULL`); err != nil {
			// Never back in the pool not waiting for the disk.
			w.discardConn()
		}
	}
	if w.bulk && w.conn != nil {
		w.bulk = false
		if _, err := w.conn.ExecContext(context.Background(), writerUsual); err != nil {
			// A connection that keeps the large cache is not kept: the
			// next write takes a new one, with the writer's settings.
			w.dropConn()
		}
	}
	w.mu.Unlock()
}

// prepared is a transaction of the writer with the writer's statements.
func (s *Shop) prepared(tx *writeTx) *prepared {
	p := newPrepared(tx)
	p.shared = s.writer.stmt
	return p
}

// stmt is the writer's statement for query, prepared on its connection on
// first use. Only called with the writer's lock held.
func (w *writer) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	st, err := w.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if w.stmts == nil {
		w.stmts = map[string]*sql.Stmt{}
	}
	w.stmts[query] = st
	return st, nil
}

// close releases the writer's connection and statements, waiting for a
// write under way.
func (w *writer) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.keys = nil
	if w.conn != nil {
		w.dropConn()
	}
}

// discardConn closes the connection rather than give it back to the
// pool, its statements first.
func (w *writer) discardConn() {
	w.closeStmts()
	w.tells, w.relaxed, w.bulk = false, false, false
	w.conn.Raw(func(any) error { return driver.ErrBadConn }) // database/sql then closes it
	w.conn.Close()
	w.conn = nil
}

// dropConn gives the connection back to the pool, its statements closed
// first: another goroutine may take it next.
func (w *writer) dropConn() {
	w.closeStmts()
	w.tells = false
	if w.relaxed { // not into the pool without the wait for the disk
		w.discardConn()
		return
	}
	w.conn.Close()
	w.conn = nil
}

// closeStmts closes the statements prepared on the writer's connection.
func (w *writer) closeStmts() {
	for _, st := range w.stmts {
		st.Close()
	}
	w.stmts = nil
	if len(w.direct) > 0 {
		w.conn.Raw(func(any) error {
			for _, st := range w.direct {
				st.Close()
			}
			return nil
		})
	}
	w.direct = nil
}

// execDirect runs query with args on the writer's connection, in its
// transaction, through the driver itself, and reports the rows changed.
// database/sql checks and converts each value, and keeps a copy: a
// multi-row insert of events binds a thousand values, and that cost a
// logged change a microsecond and 700 bytes, more than binding them.
// Values must be of driver.Value's types. Only called with the writer's
// lock held.
func (w *writer) execDirect(ctx context.Context, query string, args []any) (int64, error) {
	var n int64
	err := w.conn.Raw(func(dc any) error {
		st, ok := w.direct[query]
		if !ok {
			prep, ok := dc.(driver.ConnPrepareContext)
			if !ok {
				return errNoDirect
			}
			var err error
			if st, err = prep.PrepareContext(ctx, query); err != nil {
				return err
			}
			if w.direct == nil {
				w.direct = map[string]driver.Stmt{}
			}
			w.direct[query] = st
		}
		exec, ok := st.(driver.StmtExecContext)
		if !ok {
			return errNoDirect
		}
		named := w.named[:0]
		for i, v := range args {
			named = append(named, driver.NamedValue{Ordinal: i + 1, Value: v})
		}
		defer func() { clear(named); w.named = named[:0] }()
		res, err := exec.ExecContext(ctx, named)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// errNoDirect says the driver cannot run statements directly; the
// caller runs them through database/sql instead.
var errNoDirect = errors.New("the driver runs no statement directly")
