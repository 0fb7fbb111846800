package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ctlBinary builds microshopctl into dir, for tests that need real
// processes: several programs on one shop, or one killed half-way.
func ctlBinary(t *testing.T, dir string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := filepath.Join(dir, "microshopctl")
	cmd := exec.Command("go", "build", "-o", bin, "microshop/cmd/microshopctl")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build microshopctl: %v\n%s", err, out)
	}
	return bin
}

// ctlRun runs the binary on db and returns its stdout, or an error that
// carries its stderr.
func ctlRun(bin, db string, args ...string) (string, error) {
	out, err := exec.Command(bin, append([]string{"--db", db}, args...)...).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(out), &procError{args: args, err: ee, stderr: string(ee.Stderr)}
	}
	return string(out), err
}

type procError struct {
	args   []string
	err    error
	stderr string
}

func (e *procError) Error() string {
	return "microshopctl " + strings.Join(e.args, " ") + ": " + e.err.Error() + ": " + e.stderr
}
