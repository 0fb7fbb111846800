//go:build unix

package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A pipe nobody writes to is refused, not waited on for ever: opening it
// blocked, deaf to Ctrl-C, until the process was killed.
func TestImportRefusesAPipe(t *testing.T) {
	s := importShop(t)
	pipe := filepath.Join(t.TempDir(), "orders.csv")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skipf("no pipe here: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := s.Import(context.Background(), ImportRequest{Path: pipe}); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a file but a pipe") {
			t.Errorf("a pipe: error %v; want one saying it is not a file", err)
		}
	case <-time.After(5 * time.Second):
		os.WriteFile(pipe, nil, 0o600) // let the import go
		<-done
		t.Error("importing a pipe nobody writes to waited for ever")
	}
}
