package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// While another program writes a long change to the shop (the desktop
// importing a year of orders), a command that writes gives up after the
// busy timeout and says what to do: wait for that program, then run the
// command again. It said "try again in a moment", and a maker who did met
// the same refusal ten seconds later, the import a minute from done.
func TestACommandRefusedWhileAnotherProgramWritesSaysToWait(t *testing.T) {
	s := newShop(t)
	s.ok("sku", "add", "PAT", "--name", "Pattern", "--path", "digital", "--price", "6")
	other, err := sql.Open("sqlite", "file:"+s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), `ROLLBACK`)
	res := s.run("sell", "PAT")
	if res.code != 1 || !strings.Contains(res.stderr, "another program is writing a long change to it") ||
		!strings.Contains(res.stderr, "wait for that program to finish, then run the command again") {
		t.Errorf("sell while another program writes: exit %d, %q; want it refused, saying to wait for that program and run the command again", res.code, res.stderr)
	}
}
