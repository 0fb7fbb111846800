package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestStartsQuietUnderTheCLocale: Fyne reads the locale as its package
// is initialized, before main, and under LANG=C.UTF-8 logged "Fyne
// error: Error parsing user locale C" at every start. This runs the
// test binary, which initializes the app's packages in the app's order,
// again in that locale.
func TestStartsQuietUnderTheCLocale(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=", "LANG=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if strings.Contains(string(out), "locale") {
		t.Errorf("started logging %q", out)
	}
}
