//go:build linux || darwin

package app

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"microshop/domain"
)

// fullDiskEnv names the shop a child test process opens with a file size
// limit: the limit makes the disk "full" for that process only.
const fullDiskEnv = "MICROSHOP_TEST_FULL_DISK"

// A disk that cannot take the shop's shared-memory file makes SQLite
// answer "disk I/O error (4874)" (SQLITE_IOERR_SHMSIZE), which is what a
// full memory-backed /tmp gave a maker. Opening the shop must say what is
// wrong instead. A file size limit (RLIMIT_FSIZE) below the 32 KiB the
// shared-memory file needs produces the real error, in a child process so
// the limit touches nothing else.
func TestFullDiskSaysWhatIsWrong(t *testing.T) {
	if path := os.Getenv(fullDiskEnv); path != "" {
		fullDiskChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "shop.db")
	s, err := Create(path, NewShop{Name: "Clay & Ink"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFullDiskSaysWhatIsWrong$")
	cmd.Env = append(os.Environ(), fullDiskEnv+"="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	var code int
	if _, err := fmt.Sscanf(line, "code=%d", &code); err != nil {
		t.Fatalf("child said %q", out)
	}
	if code&0xff != sqlite3.SQLITE_IOERR {
		t.Fatalf("the size limit gave SQLite code %d, not an I/O error; the test no longer fills the disk (%s)", code, out)
	}
	_, msg, _ := strings.Cut(line, " ")
	checkMessage(t, "Open on a full disk", msg, "could not write to the disk holding "+path, "full")
}

// fullDiskChild opens the shop under a 16 KiB file size limit and prints
// the SQLite code and the sentence the maker would see.
func fullDiskChild(path string) {
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails instead of killing the process
	lim := &syscall.Rlimit{Cur: 16 << 10, Max: 16 << 10}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, lim); err != nil {
		fmt.Println("code=0 setrlimit:", err)
		return
	}
	s, err := Open(path, Options{})
	if err == nil {
		s.Close()
		fmt.Println("code=0 opened")
		return
	}
	var se *sqlite.Error
	code := -1
	if errors.As(err, &se) {
		code = se.Code()
	}
	fmt.Printf("code=%d %s\n", code, domain.ErrorMessage(err))
}
