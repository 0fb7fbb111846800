package relay

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"microshop/sync/changes"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// A device whose acknowledgement was lost sends its changes again from
// where the relay last acknowledged, now in a longer run filling a whole
// batch: the relay holds the first ones with the point of their first
// sending, and the rest with the new run's. A device holding the first
// ones is sent the new run whole, from its start, so it can check its
// point. Read again from that start, with the old point still on one of
// the changes it holds, the run came to more than a batch: it was cut
// before its point, and what was left was the old run alone, all of it
// held, so the device was sent nothing new, again at each try.
func TestAResentRunReachesPastWhatTheDeviceHolds(t *testing.T) {
	ctx := context.Background()
	key, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	sealer := seal.New(shopA, key)
	desk, err := seal.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	sealed := func(seq int64, pad int) changes.Change {
		c, err := sealer.Seal(changes.Change{Origin: "desk", Seq: seq,
			HLC:    changes.Stamp{Wall: 1_700_000_000_000 + seq, Device: "desk"}.String(),
			Entity: "sale", EntityID: fmt.Sprintf("desk-sale-%d", seq),
			Body: json.RawMessage(fmt.Sprintf(`{"qty":1,"note":%q}`, strings.Repeat("x", pad)))})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	signed := func(run []changes.Change) []changes.Change {
		run = append([]changes.Change(nil), run...)
		for i := range run {
			run[i].Sig = ""
		}
		run[len(run)-1].Sig = sealer.SignRun(desk, run)
		return run
	}
	store := mustOpenStore(t, t.TempDir())
	first := signed([]changes.Change{sealed(1, 10), sealed(2, 10), sealed(3, 10)})
	if _, err := store.Append(ctx, shopA, first); err != nil {
		t.Fatal(err)
	}
	// The run sent again, from 1, fills a batch as its device counts it.
	size := func(cs []changes.Change) int {
		n := 0
		for _, c := range cs {
			n += wire.ChangeSize(c)
		}
		return n
	}
	run := append([]changes.Change(nil), first...)
	for size(run) < wire.MaxBatchBytes-12_000 {
		run = append(run, sealed(int64(len(run)+1), 4000))
	}
	last := int64(len(run) + 1)
	var whole []changes.Change
	for pad := max(0, (wire.MaxBatchBytes-size(run))/2-1000); ; pad++ {
		whole = signed(append(run[:len(run):len(run)], sealed(last, pad)))
		if size(whole) > wire.MaxBatchBytes-seal.PointTextSize/2 {
			break
		}
	}
	if n := size(whole); n > wire.MaxBatchBytes {
		t.Fatalf("the run takes %d bytes, over a batch's %d", n, wire.MaxBatchBytes)
	}
	if _, err := store.Append(ctx, shopA, whole); err != nil {
		t.Fatal(err)
	}

	got, err := SignedChangesAfter(ctx, store, shopA, changes.Vector{"desk": 3}, wire.MaxBatchChanges, wire.MaxBatchBytes)
	if err != nil {
		t.Fatal(err)
	}
	var seqs []string
	for _, c := range got {
		p := fmt.Sprint(c.Seq)
		if c.Sig != "" {
			p += "*"
		}
		seqs = append(seqs, p)
	}
	if len(got) != len(whole) || got[0].Seq != 1 || got[len(got)-1].Sig != whole[len(whole)-1].Sig {
		t.Fatalf("a device holding desk's 1 to 3 is sent %v; want the run 1 to %d whole, its point (*) on %[2]d", seqs, last)
	}
	for _, c := range got[:len(got)-1] {
		if c.Sig != "" {
			t.Fatalf("a device holding desk's 1 to 3 is sent %v; want one point, on %d", seqs, last)
		}
	}
}
