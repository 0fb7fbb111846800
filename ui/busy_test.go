package ui

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// A tile tapped while another program (microshopctl importing a long
// file) holds the shop waits for it and is sold once it is done: it failed
// after ten seconds with "busy in another program", and the sale tapped was
// lost unless the maker read the red line and tapped again. Meanwhile the
// status line says what the tap waits for.
func TestATapWhileAnotherProgramWritesIsSoldOnceItIsDone(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	db, err := sql.Open("sqlite", "file:"+shop.Path()+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	// Held past the ten-second busy timeout after which the sale failed.
	released := time.AfterFunc(11*time.Second, func() { conn.ExecContext(context.Background(), `ROLLBACK`) })
	defer released.Stop()

	test.Tap(findTile(t, w, "MUG"))
	if got, want := stockOf(t, shop, "MUG").Available, 41; got != want {
		t.Errorf("after the other program was done the shop has %d MUG available, want %d", got, want)
	}
	if got, want := shownAvailable(t, findTile(t, w, "MUG")), "41"; got != want {
		t.Errorf("the MUG tile shows %s, want %s", got, want)
	}
	if got := texts(w.Canvas().Content()); strings.Contains(got, "busy") {
		t.Errorf("the window says the shop is busy after the sale went through: %q", got)
	}

	u.status.waiting(true)
	if !u.status.trouble.Visible() || u.status.trouble.Text != waitingText {
		t.Errorf("while waiting the status line says %q (shown %v), want %q", u.status.trouble.Text, u.status.trouble.Visible(), waitingText)
	}
	u.status.waiting(false)
	if u.status.trouble.Visible() {
		t.Errorf("once the change went on the status line still says %q", u.status.trouble.Text)
	}
}
