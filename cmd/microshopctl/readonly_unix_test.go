//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"microshop/app/apptest"
)

// maker is the user the process test runs microshopctl as: the tests'
// own when file modes bind them, else nobody, since root writes whatever
// the modes say.
type maker struct {
	cred *syscall.Credential // nil: the tests' own user
}

func newMaker(t *testing.T) maker {
	t.Helper()
	if os.Geteuid() != 0 {
		return maker{}
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("running as root, with no user nobody to run as: %v", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	return maker{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
}

// own gives path to the maker, as their own files are.
func (m maker) own(t *testing.T, path string) {
	t.Helper()
	if m.cred == nil {
		return
	}
	if err := os.Chown(path, int(m.cred.Uid), int(m.cred.Gid)); err != nil {
		t.Fatal(err)
	}
}

// enter lets the maker into dir and the test's folders above it, which
// the testing package makes for its own user only.
func (m maker) enter(t *testing.T, dir string) {
	t.Helper()
	if m.cred == nil {
		return
	}
	for d := dir; d != filepath.Dir(os.TempDir()) && d != "/"; d = filepath.Dir(d) {
		if strings.HasPrefix(d, filepath.Clean(os.TempDir())+string(filepath.Separator)) {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// run runs the binary as the maker.
func (m maker) run(bin string, args ...string) result {
	cmd := exec.Command(bin, args...)
	cmd.Dir = os.TempDir()
	if m.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: m.cred}
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		code = -1
		errb.WriteString(err.Error())
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// The real microshopctl, run by a maker who is not root on their own shop
// with the modes they would set (chmod 444 the file, chmod 555 the
// folder): it reads, refuses a sale in one sentence saying which of the
// two stops it, and the files stay as they were, no -wal or -shm beside
// them.
func TestAReadOnlyShopAsAMaker(t *testing.T) {
	base := t.TempDir()
	bin := ctlBinary(t, base)
	m := newMaker(t)
	m.enter(t, base)
	cases := []struct {
		name         string
		file, folder os.FileMode
		want         string
	}{
		{"a read-only file in a read-only folder", 0o444, 0o555, "its file's permissions let you read it but not change it"},
		{"a read-only folder", 0o600, 0o555, "its folder "},
		{"a read-only file", 0o444, 0o700, "its file's permissions let you read it but not change it"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(base, "stall"+strconv.Itoa(i))
			db := filepath.Join(dir, "shop.db")
			s := &testShop{t: t, db: db}
			s.ok("init", "--shop", "Clay & Ink", "--device", "stall laptop")
			s.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "digital")
			s.ok("sell", "ZINE", "--qty", "2")
			want := s.ok("stock", "--json")
			files, _ := filepath.Glob(filepath.Join(dir, "*"))
			for _, p := range files {
				m.own(t, p)
				if err := os.Chmod(p, tc.file); err != nil {
					t.Fatal(err)
				}
			}
			m.own(t, dir)
			if err := os.Chmod(dir, tc.folder); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o700) })
			before := apptest.Snap(t, dir)

			if r := m.run(bin, "--db", db, "stock", "--json"); r.code != 0 || r.stdout != want {
				t.Errorf("stock: exit %d, stderr %q,\n%s\nwant\n%s", r.code, r.stderr, r.stdout, want)
			}
			checkRefused(t, "sell", m.run(bin, "--db", db, "sell", "ZINE"), "the shop at "+db+" can only be read here: "+tc.want)
			before.Unchanged(t, dir)
		})
	}
}
