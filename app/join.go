package app

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"microshop/domain"
)

// Joining is a replica of an existing shop being filled for the first time.
// It is built under a temporary name beside its path (PATH.joining) and
// takes the path only once it holds everything the relay had: a join cut
// short by a crash, a kill or a lost network leaves no half-filled shop
// reporting wrong stock, and the next join clears what it left.
type Joining struct {
	path string  // where the shop goes once complete
	tmp  string  // where it is filled meanwhile
	opts Options // how the shop is opened
	shop *Shop
	// made is the outermost folder the join created for path, "" when
	// path's folder was there already: a join refused (a wrong bundle, a
	// relay that does not answer) takes it away again, as it leaves no shop.
	made string
}

func joiningPath(path string) string { return path + ".joining" }

// StartJoin prepares to join a shop into path: it refuses an existing
// shop, clears what an earlier join cut short left, and opens an empty
// database under the temporary name. Call Create with the shop's id once
// the relay has named it, then Finish; on any error, Abort.
func StartJoin(path string, opts Options) (*Joining, error) {
	return startBuild(path, joiningPath(path), "joining a shop into", opts)
}

// creatingPath is where Create makes a new shop before it takes its path.
func creatingPath(path string) string { return path + ".creating" }

// startBuild is StartJoin with the shop built at tmp; doing says what
// another program building there is doing.
func startBuild(path, tmp, doing string, opts Options) (*Joining, error) {
	if err := refuseExisting(path); err != nil {
		return nil, err
	}
	j := &Joining{path: path, tmp: tmp, opts: opts}
	if fileExists(j.tmp) {
		if inUse(j.tmp) {
			return nil, domain.Errorf(domain.EConflict, "another program is %s %s right now; wait for it to finish", doing, path)
		}
		Remove(j.tmp)
	}
	// A device file and sync settings at path without a shop there are
	// left by a join killed while it moved the shop in: without their
	// database they mean nothing, and a stale relay token must not follow
	// a new shop.
	os.Remove(path + ".device")
	os.Remove(path + ".sync")
	j.made = missingDir(filepath.Dir(path))
	s, err := open(j.tmp, opts)
	if err != nil {
		j.Abort()
		return nil, err
	}
	j.shop = s
	return j, nil
}

// inUse reports whether another connection, in this program or another,
// has the database at path open: a join under way keeps its temporary
// database open from start to finish, and a connection that asks for an
// exclusive lock is refused while any other holds it open.
func inUse(path string) bool {
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return false
	}
	defer db.Close()
	var n int
	err = db.QueryRow(`SELECT count(*) FROM sqlite_master`).Scan(&n)
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
	}
	return false
}

// Create makes the temporary database an empty replica of the shop an
// invite names, sealed with its key, for sync to fill; device names this
// device for people.
func (j *Joining) Create(in Invite, device string) (*Shop, error) {
	if in.Shop == "" {
		return nil, domain.Errorf(domain.EInvalid, "the shop id is empty; a replica needs the id of the shop it copies")
	}
	if err := j.shop.becomeReplica(in.Shop, device); err != nil {
		return nil, err
	}
	if err := j.shop.setKey(context.Background(), in.Key); err != nil {
		return nil, err
	}
	return j.shop, nil
}

// Finish remembers peer as the relay to sync with, closes the complete
// replica cleanly and moves it to its path, and opens it there.
func (j *Joining) Finish(ctx context.Context, peer SyncPeer) (*Shop, error) {
	s := j.shop
	if s == nil || s.shopID == "" {
		return nil, domain.Errorf(domain.EInvalid, "the join into %s was not started", j.path)
	}
	if err := s.SetSyncPeer(ctx, peer); err != nil {
		return nil, err
	}
	if err := s.SetLastSync(ctx, s.now().UnixMilli()); err != nil {
		return nil, err
	}
	// The device is named at once, as a restored one is: `status` showed
	// it by its bare id, and the other devices not at all, until it first
	// recorded something.
	if err := s.write(ctx, func(t *txn) error { _, err := t.nameDevice(); return err }); err != nil {
		return nil, err
	}
	return j.place(ctx)
}

// place closes the complete shop cleanly, moves it to its path and opens
// it there.
func (j *Joining) place(ctx context.Context) (*Shop, error) {
	s := j.shop
	// Everything goes into the database file itself before it moves: a
	// write-ahead log is found by the database's name, so one left behind
	// would not follow it.
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, storeError(j.path, err)
	}
	j.shop = nil
	if err := s.Close(); err != nil {
		return nil, storeError(j.path, err)
	}
	if fi, err := os.Stat(j.tmp + "-wal"); err == nil && fi.Size() > 0 {
		return nil, domain.Errorf(domain.EUnavailable, "the new shop could not be written out completely (another program has %s open); try again", j.tmp)
	}
	os.Remove(j.tmp + "-wal")
	os.Remove(j.tmp + "-shm")
	if err := refuseExisting(j.path); err != nil {
		return nil, err
	}
	// The database moves last: until it does, there is no shop at path,
	// and once it does, its device file and sync settings are beside it.
	for _, ext := range []string{".device", ".sync", ""} {
		err := os.Rename(j.tmp+ext, j.path+ext)
		if ext == ".sync" && errors.Is(err, fs.ErrNotExist) {
			continue // a new shop syncs with nothing yet
		}
		if err != nil {
			return nil, domain.Errorf(domain.EUnavailable, "cannot move the new shop to %s: %v", j.path+ext, err)
		}
	}
	syncDir(filepath.Dir(j.path))
	return Open(j.path, j.opts)
}

// Abort undoes a join that did not finish: nothing of it is left.
func (j *Joining) Abort() {
	if j.shop != nil {
		j.shop.Close()
		j.shop = nil
	}
	Remove(j.tmp)
	if j.made == "" {
		return
	}
	// os.Remove takes a folder only when empty: one something else was
	// put in meanwhile stays.
	for dir := filepath.Dir(j.path); ; dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil || dir == j.made {
			return
		}
	}
}

// missingDir is the outermost folder of dir, or dir itself, that does not
// exist yet: the one that creating dir creates first. It is "" when dir
// exists.
func missingDir(dir string) string {
	missing := ""
	for {
		if _, err := os.Stat(dir); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return missing
		}
		missing = dir
		parent := filepath.Dir(dir)
		if parent == dir {
			return missing
		}
		dir = parent
	}
}
