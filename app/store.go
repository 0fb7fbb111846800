package app

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Shop is one device's replica of a shop, open on its SQLite file.
type Shop struct {
	db      *sql.DB
	path    string
	shopID  string
	device  atomic.Pointer[string] // replaced when a restored replica takes a new id
	clock   *changes.Clock         // read and replaced under the writer's lock
	now     func() time.Time
	loc     *time.Location
	watch   watchers
	ckpt    *checkpointer
	skuList skuCache
	sold    windowSales // units sold per SKU over the packaging rule's older days
	// factorySold is units sold per factory over reports' quality windows.
	factorySold factorySold
	readStmts   readStmts // reports' statements, prepared once
	kept        keptShop  // the last whole-shop report
	// recentChecked is how far recent_levels were checked against the log.
	recentChecked recentChecked
	// saleLevels are the levels this process's sales left their SKUs at.
	saleLevels saleLevels
	writer     writer
	busyTold   atomic.Pointer[func(waiting bool)] // see WaitWhileBusy
	named      atomic.Bool                        // this device's name is in the log under its id
	// recentDay is the last day whose start a whole-shop report saved every
	// SKU's level at (recent_levels): once a day is enough.
	recentDay atomic.Int64
	sealer    atomic.Pointer[seal.Sealer]  // nil while the shop is not sealed
	signer    atomic.Pointer[deviceSigner] // this device's key, once read (deviceKey)
	// boundKeys holds other devices' keys as read from device_keys (KeyOf):
	// an origin's key, once bound, is its key for good.
	boundKeys sync.Map // origin → ed25519.PublicKey
	// sentPoints are the points this device signed on its own runs as it
	// sent them, kept once a peer acknowledges the run (keepSentPoints).
	sentPoints sentPoints
	// ro is why the shop can only be read here; nil when it can be
	// written (see ReadOnly).
	ro *readOnly
}

// Options adjust how a shop is opened; the zero value is right for real use.
type Options struct {
	Now      func() time.Time // the wall clock; time.Now when nil
	Location *time.Location   // the time zone dates are read in; time.Local when nil
	// ReadOnly opens the shop for reading only, as a shop whose file
	// cannot be written opens anyway: reports work, every change is
	// refused and nothing is written (Open only).
	ReadOnly bool
}

func (o Options) clock() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// DefaultPath is the database the desktop app and microshopctl share:
// microshop/shop.db in the user's data directory.
func DefaultPath() (string, error) {
	dir, err := dataDir()
	if err != nil {
		return "", domain.Errorf(domain.EUnavailable, "cannot find your data directory (%v)", err).With(domain.RemedyOtherShop)
	}
	return filepath.Join(dir, "microshop", "shop.db"), nil
}

func dataDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	switch {
	case os.Getenv("APPDATA") != "" && filepath.Separator == '\\':
		return os.Getenv("APPDATA"), nil
	case fileExists(filepath.Join(home, "Library")) && !fileExists(filepath.Join(home, ".local")):
		return filepath.Join(home, "Library", "Application Support"), nil
	}
	return filepath.Join(home, ".local", "share"), nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Exists reports whether a shop database exists at path.
func Exists(path string) bool { return fileExists(path) }

// Open opens the existing shop at path. A shop this user cannot write to
// (see ReadOnly), or one opened with opts.ReadOnly, opens read-only.
func Open(path string, opts Options) (*Shop, error) {
	ro := readOnlyAt(path, opts.ReadOnly)
	err := checkShopFile(path, ro)
	if ro == nil && err != nil {
		// Even a look needs the shared-memory file beside a shop, which a
		// full disk cannot grow: the shop is then read as it is.
		if ro = refusedWrite(path, err); ro != nil {
			err = checkShopFile(path, ro)
		}
	}
	if err != nil {
		return nil, err
	}
	var s *Shop
	if ro != nil {
		s, err = openReadOnly(path, opts, ro)
	} else {
		tightenShopFiles(path)
		s, err = open(path, opts)
		if ro = refusedWrite(path, err); ro != nil {
			s, err = openReadOnly(path, opts, ro)
		}
	}
	if err != nil {
		return nil, err
	}
	if s.shopID == "" {
		s.Close()
		return nil, domain.Errorf(domain.EUnavailable, "%s is not a complete shop (it was never initialized); remove it and create the shop again", path).With(domain.RemedyCreateShop)
	}
	return s, nil
}

// checkShopFile makes sure path holds a Microshop shop before anything is
// written to it: another program's database, or any other file, is left
// exactly as it was. A shop that can only be read, ro, is looked at as it
// is then read.
func checkShopFile(path string, ro *readOnly) error {
	dsn := lookDSN(path)
	if ro != nil {
		dsn = readOnlyDSN(path, ro.cause == roFull)
	}
	kind, err := inspectWith(path, dsn)
	if err != nil && ro != nil {
		return ro.openError(err)
	}
	if err != nil {
		return err
	}
	switch kind {
	case kindNone:
		if fileExists(joiningPath(path)) {
			return domain.Errorf(domain.ENotFound, "there is no shop at %s yet: joining a shop there has not finished (it was interrupted, or is still under way); join again to finish it", path)
		}
		return domain.Errorf(domain.ENotFound, "there is no shop at %s", path).With(domain.RemedyCreateShop)
	case kindFolder:
		return folderError(path)
	case kindEmpty:
		return domain.Errorf(domain.EUnavailable, "%s is an empty file, not a Microshop shop", path).With(domain.RemedyCreateShop)
	case kindOtherDB:
		return domain.Errorf(domain.EUnavailable, "%s is another program's database, not a Microshop shop; it is left untouched", path).With(domain.RemedyCreateShop)
	case kindNotDB:
		return damagedError(path, nil)
	}
	return nil
}

// A shop's files are this user's alone: they hold every sale and the
// device's identity. New ones are made so; existing ones are tightened.
const (
	privateFile fs.FileMode = 0o600
	privateDir  fs.FileMode = 0o700
)

// shopFiles are the files a shop at path is made of.
func shopFiles(path string) []string {
	return []string{path, path + "-wal", path + "-shm", path + ".device", path + ".sync"}
}

// tightenShopFiles takes group and world access away from a shop's files
// made by an earlier version, which made them readable by everyone. A file
// this user may not change is left as it is: it is someone else's choice.
func tightenShopFiles(path string) {
	if runtime.GOOS == "windows" {
		return // access there is by the folder's ACL, not these bits
	}
	for _, p := range shopFiles(path) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
			os.Chmod(p, fi.Mode().Perm()&^0o077)
		}
	}
}

// fileURI is path as an SQLite file: URI. '?', '#' and '%' are escaped, so
// a folder named "Stall #2" is not cut short at the '#'.
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// busyTimeout is how long, in milliseconds, a connection waits for
// another program's lock on the shop before saying the shop is busy. The
// driver sets it before any other pragma, so even setting the journal mode
// waits.
var busyTimeout = "10000"

// open opens or creates the database, migrates it and settles device identity.
func open(path string, opts Options) (*Shop, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, privateDir); err != nil {
			return nil, domain.Errorf(domain.EUnavailable, "cannot create the folder %s for the shop: %v", dir, err)
		}
	}
	// A new shop is made as an empty file readable by this user only before
	// SQLite sees it: SQLite makes a database 0644, and its -wal and -shm
	// files take the database's mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateFile); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, domain.Errorf(domain.EUnavailable, "cannot create the shop at %s: %v", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout("+busyTimeout+")")
	q.Add("_pragma", "journal_mode(WAL)")
	// FULL: a sale reported as made is on the disk, and a power cut
	// cannot take it back (NORMAL survives a crash, not a power cut).
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_pragma", "wal_autocheckpoint("+autoCheckpointPages+")")
	q.Add("_pragma", "mmap_size(1073741824)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", fileURI(path)+"?"+q.Encode())
	if err != nil {
		return nil, domain.Errorf(domain.EUnavailable, "cannot open the shop at %s: %v", path, err)
	}
	s := newShop(db, path, opts)
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.settleIdentity(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.moveSyncPeerOut(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.settleKey(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	s.startCheckpointer()
	// The device's signing key is made with its id, not at its first
	// sync: a copy of the shop taken with its device file before then
	// made a key of its own for the same id, and the relay refused every
	// change the copy made.
	if _, err := s.deviceKey(context.Background()); err != nil {
		s.Close()
		return nil, storeError(path, err)
	}
	if err := s.finishRestore(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// newShop is the shop on db, before anything is read.
func newShop(db *sql.DB, path string, opts Options) *Shop {
	// A read connection holds its page cache and its own map of the file,
	// which count as the app's memory: one idle a while is closed, and a
	// report that needs one opens it again in a millisecond.
	db.SetConnMaxIdleTime(readIdle)
	db.SetConnMaxLifetime(readLife)
	s := &Shop{db: db, path: path, now: opts.Now, loc: opts.Location}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.Local
	}
	return s
}

// openReadOnly opens the shop at path for reading only (see ReadOnly):
// nothing is migrated, no device id or key is made, nothing is written.
func openReadOnly(path string, opts Options, ro *readOnly) (*Shop, error) {
	db, err := sql.Open("sqlite", readOnlyDSN(path, ro.cause == roFull))
	if err != nil {
		return nil, domain.Errorf(domain.EUnavailable, "cannot open the shop at %s: %v", path, err)
	}
	s := newShop(db, path, opts)
	s.ro = ro
	ctx := context.Background()
	pending, err := s.pendingMigrations(ctx)
	if err == nil && len(pending) > 0 {
		err = ro.tooOld()
	}
	if err == nil {
		err = s.settleIdentity(ctx)
	}
	if err == nil {
		err = s.settleKey(ctx)
	}
	if err != nil {
		db.Close()
		return nil, ro.openError(err)
	}
	s.startCheckpointer()
	return s, nil
}

// Close closes the database.
func (s *Shop) Close() error {
	s.stopCheckpointer()
	s.writer.close()
	s.readStmts.close()
	return s.db.Close()
}

// Path is the database file.
func (s *Shop) Path() string { return s.path }

// ShopID is the id of the shop this replica holds.
func (s *Shop) ShopID() string { return s.shopID }

// DeviceID is this replica's device id.
func (s *Shop) DeviceID() string { return *s.device.Load() }

// Location is the time zone the shop reads dates in.
func (s *Shop) Location() *time.Location { return s.loc }

// Now is the shop's clock reading in its time zone.
func (s *Shop) Now() time.Time { return s.now().In(s.loc) }

// SchemaVersion is the number of migrations this build knows.
func SchemaVersion() int {
	names, _ := migrationNames()
	return len(names)
}

func migrationNames() ([]string, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names, nil
}

// migrate applies each embedded migration not yet applied, each in its own
// transaction, and refuses a database written by a newer Microshop.
func (s *Shop) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return storeError(s.path, err)
	}
	pending, err := s.pendingMigrations(ctx)
	if err != nil {
		return err
	}
	names, err := migrationNames()
	if err != nil {
		return err
	}
	applied := map[string]bool{}
	for _, n := range names {
		applied[n] = !slices.Contains(pending, n)
	}
	for _, n := range names {
		if applied[n] {
			if err := s.catchUp(ctx, n, applied); err != nil {
				return err
			}
			continue
		}
		body, err := fs.ReadFile(migrationFiles, "migrations/"+n)
		if err != nil {
			return err
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return storeError(s.path, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", n, storeError(s.path, err))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, n, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return storeError(s.path, err)
		}
		// A migration may fill the log's columns anew (0010, 0030), which
		// the open-orders cache, kept by log row, would not see: it is
		// made again from the ledger.
		if err := dropOpenOrdersMark(ctx, tx); err != nil {
			tx.Rollback()
			return storeError(s.path, err)
		}
		if err := tx.Commit(); err != nil {
			return storeError(s.path, err)
		}
		applied[n] = true
	}
	return nil
}

// pendingMigrations lists, in order, the embedded migrations the database
// has not applied, and refuses a database written by a newer Microshop.
func (s *Shop) pendingMigrations(ctx context.Context) ([]string, error) {
	names, err := migrationNames()
	if err != nil {
		return nil, err
	}
	done, err := queryStrings(ctx, s.db, `SELECT name FROM migrations`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	applied := map[string]bool{}
	for _, n := range done {
		applied[n] = true
	}
	for n := range applied {
		if !slices.Contains(names, n) {
			return nil, domain.Errorf(domain.ETooNew, "the shop at %s was written by a newer version of Microshop (it has migration %s); update Microshop to open it", s.path, n)
		}
	}
	var pending []string
	for _, n := range names {
		if !applied[n] {
			pending = append(pending, n)
		}
	}
	return pending, nil
}

// storeError turns a driver error into one a person can act on.
func storeError(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return damagedError(path, err)
		case sqlite3.SQLITE_READONLY:
			return readOnlyError(path, err, se.Code())
		case sqlite3.SQLITE_IOERR:
			return diskError(path, err, se.Code())
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot open %s for writing; check the file's permissions", path), Err: err}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			// Past the busy timeout, the other program's change is a long
			// one: "try again in a moment" sent a maker back to an import
			// with a minute to go.
			return &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("the shop at %s is busy: another program is writing a long change to it, an import or a sync", path),
				Remedy: domain.RemedyWaitForWriter, Err: err}
		case sqlite3.SQLITE_FULL:
			return &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("the disk holding %s is full; free some space and try again", path), Err: err}
		}
	}
	return err
}

// readIdle is how long a read connection may stay idle before it closes.
const readIdle = 10 * time.Second

// readLife is how long a read connection lives. The desktop asks the shop
// for its version vector every second, so one connection never idles out,
// and the pages of the file it read for a report stayed mapped, and
// resident, for as long as the app ran (43 MB on the million-event shop
// after its first whole-shop report).
const readLife = 30 * time.Second

// Identity ---------------------------------------------------------------

func (s *Shop) deviceFile() string { return s.path + ".device" }

// writeDeviceFile puts a new device file beside the shop, naming device,
// under a temporary name first: never through the file that was there,
// which may be another shop's too (the shop a restore keeps aside shares
// its device file with the path until the restore ends).
func (s *Shop) writeDeviceFile(device string) error {
	f, tmp, err := createTemp(filepath.Dir(s.path), filepath.Base(s.deviceFile()))
	if err != nil {
		return err
	}
	err = f.Chmod(privateFile)
	if err == nil {
		_, err = f.WriteString(device + "\n")
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, s.deviceFile())
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// settleIdentity makes sure this replica has a device id of its own. The id
// lives in the database and in a file beside it: a database copied or
// restored without its file, or beside another's file, takes a new id, so
// two devices never issue the same change id.
func (s *Shop) settleIdentity(ctx context.Context) error {
	shopID, err := getMeta(ctx, s.db, "shop_id")
	if err != nil {
		return storeError(s.path, err)
	}
	s.shopID = shopID
	inDB, err := getMeta(ctx, s.db, "device_id")
	if err != nil {
		return storeError(s.path, err)
	}
	inFile := ""
	if b, err := os.ReadFile(s.deviceFile()); err == nil {
		inFile = strings.TrimSpace(string(b))
	}
	device := inDB
	switch {
	case s.ro != nil && device == "":
		device = newID() // kept nowhere: a shop that can only be read logs no change
	case s.ro != nil:
		// A copy without its device file keeps the id it has: it takes
		// a new one when it is opened where it can be written.
	case inDB == "" || inDB != inFile:
		device = newID()
		if err := setMeta(ctx, s.db, "device_id", device); err != nil {
			return storeError(s.path, err)
		}
		// No peer has acknowledged anything of a device just made.
		if err := setMeta(ctx, s.db, "acked_seq", "0"); err != nil {
			return storeError(s.path, err)
		}
		if err := s.writeDeviceFile(device); err != nil {
			return domain.Errorf(domain.EUnavailable, "cannot write the device file %s: %v", s.deviceFile(), err)
		}
	}
	s.device.Store(&device)
	s.clock = changes.NewClock(device, s.now)
	if last, err := getMeta(ctx, s.db, "clock"); err != nil {
		return storeError(s.path, err)
	} else if st, err := changes.ParseStamp(last); err == nil && st.Wall > 0 {
		s.clock.Observe(st)
	}
	return nil
}

// queryStrings is the one text column of the rows query reads.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getMeta(ctx context.Context, q queryer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setMeta(ctx context.Context, q queryer, key, value string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

func getMetaInt(ctx context.Context, q queryer, key string) (int64, error) {
	v, err := getMeta(ctx, q, key)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// newID makes a UUIDv7: time-ordered, unique without coordination.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
