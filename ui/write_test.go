package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
)

// A tap hands its sale to the writer and returns at once, even while the
// shop is busy (a sync applying a batch holds the write lock); the sales
// are recorded, and shown, in the order they were asked.
func TestWritesLeaveTheUIGoroutineInOrder(t *testing.T) {
	test.NewTempApp(t)
	u := &UI{}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	u.startWriter()
	defer func() { u.cancel(); u.wg.Wait() }()

	busy := make(chan struct{})
	done := make(chan struct{})
	var recorded, shown []int
	for i := 1; i <= 3; i++ {
		u.write(func(ctx context.Context) func() {
			if i == 1 {
				<-busy // the shop is busy until the test says otherwise
			}
			recorded = append(recorded, i)
			return func() {
				shown = append(shown, i)
				if i == 3 {
					close(done)
				}
			}
		})
	}
	// Reaching this line while the first write waits is the point: had
	// write run on the calling goroutine, the test would hang here.
	close(busy)
	<-done
	if !slices.Equal(recorded, []int{1, 2, 3}) || !slices.Equal(shown, []int{1, 2, 3}) {
		t.Fatalf("recorded %v and shown %v, want both in the order asked", recorded, shown)
	}
}
