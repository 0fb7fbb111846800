package app

import (
	"context"
	"database/sql"
	"sync"
)

// prepared runs a transaction's statements through a cache of prepared
// statements: apply and bulk writes run the same few statements thousands
// of times, and parsing each again would cost more than running it.
type prepared struct {
	tx    stmtRunner
	stmts map[string]*sql.Stmt
	own   []*sql.Stmt // prepared by this transaction: closed by close
	// shared, when set, gives statements prepared once for many
	// transactions (see writer); the transaction uses them as they are.
	shared func(ctx context.Context, query string) (*sql.Stmt, error)
}

// stmtRunner is a transaction: database/sql's, for reports, or the
// writer's (writeTx).
type stmtRunner interface {
	queryer
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	StmtContext(ctx context.Context, st *sql.Stmt) *sql.Stmt
}

func newPrepared(tx stmtRunner) *prepared { return &prepared{tx: tx, stmts: map[string]*sql.Stmt{}} }

func (p *prepared) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	var shared *sql.Stmt
	if p.shared != nil {
		var err error
		if shared, err = p.shared(ctx, query); err != nil {
			return nil, err
		}
	}
	// A statement of a transaction of database/sql's ends with it; the
	// writer's are its connection's, and those prepared here are closed
	// by close.
	st := shared
	if shared != nil {
		st = p.tx.StmtContext(ctx, shared)
	} else {
		var err error
		if st, err = p.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		p.own = append(p.own, st)
	}
	p.stmts[query] = st
	return st, nil
}

func (p *prepared) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (p *prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p *prepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil {
		// A Row cannot carry an error of ours; the transaction's own
		// QueryRow reports the same failure to the caller's Scan.
		return p.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// close releases the statements prepared for this transaction alone; the
// transaction is the caller's.
func (p *prepared) close() {
	for _, st := range p.own {
		st.Close()
	}
}

// readStmts are the reports' statements, prepared once on the database for
// every read transaction: one SKU's report runs a dozen queries, and
// preparing each again per report was a fifth of its time. database/sql
// keeps each prepared on every connection that has run it.
type readStmts struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// readStmtsMax bounds the statements kept: reports build their queries
// from a few fixed texts, but a bound keeps a mistake from holding one per
// report.
const readStmtsMax = 256

// stmt is the shared statement for query, or nil past the bound.
func (r *readStmts) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.stmts[query]; ok {
		return st, nil
	}
	if len(r.stmts) >= readStmtsMax {
		return nil, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if r.stmts == nil {
		r.stmts = map[string]*sql.Stmt{}
	}
	r.stmts[query] = st
	return st, nil
}

// close releases the statements.
func (r *readStmts) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, st := range r.stmts {
		st.Close()
	}
	r.stmts = nil
}
