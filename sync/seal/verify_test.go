package seal

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"microshop/domain"
	"microshop/sync/changes"
)

// keyBook is the device keys a checker holds.
type keyBook map[string]ed25519.PublicKey

func (b keyBook) KeyOf(_ context.Context, origin string) (ed25519.PublicKey, error) {
	return b[origin], nil
}

func mustDeviceKey(t *testing.T) DeviceKey {
	t.Helper()
	k, err := NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// run is changes from..to of origin, sealed, its last signed by key.
func run(t *testing.T, s *Sealer, key DeviceKey, origin string, from, to int64) []changes.Change {
	t.Helper()
	var out []changes.Change
	for seq := from; seq <= to; seq++ {
		c, err := s.Seal(changes.Change{Origin: origin, Seq: seq, HLC: changes.Stamp{Wall: 1_700_000_000_000 + seq, Device: origin}.String(),
			Entity: "sale", EntityID: fmt.Sprintf("%s-%d", origin, seq), Body: json.RawMessage(`{"qty":1}`)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	out[len(out)-1].Sig = s.SignRun(key, out)
	return out
}

func cat(runs ...[]changes.Change) []changes.Change {
	var out []changes.Change
	for _, r := range runs {
		out = append(out, r...)
	}
	return out
}

func TestSignedRunsAreKeptAndTheirKeysLearned(t *testing.T) {
	key, _ := NewKey()
	s := New("shop", key)
	desk, stall := mustDeviceKey(t), mustDeviceKey(t)
	batch := cat(run(t, s, desk, "desk", 1, 3), run(t, s, desk, "desk", 4, 5), run(t, s, stall, "stall", 7, 9))
	got, err := CheckBatch(context.Background(), keyBook{}, s.WritePublic(), "shop", batch)
	if err != nil {
		t.Fatal(err)
	}
	if got.Refused != nil || len(got.Kept) != len(batch) {
		t.Fatalf("kept %d of %d, refused %v", len(got.Kept), len(batch), got.Refused)
	}
	if len(got.Points) != 3 || !got.Points[0].Key.Equal(desk.Public()) || !got.Points[2].Key.Equal(stall.Public()) || got.Points[1].Seq != 5 {
		t.Errorf("points %+v: want desk's at 3 and 5 and stall's at 9, with their keys", got.Points)
	}
}

// Every way a change can fail its device's signature is refused with a
// typed error, and the other device's changes in the batch are kept.
func TestChangesNotSignedByTheirDeviceAreRefused(t *testing.T) {
	key, _ := NewKey()
	other, _ := NewKey()
	s := New("shop", key)
	desk, member := mustDeviceKey(t), mustDeviceKey(t)
	book := keyBook{"desk": desk.Public()}
	cases := map[string]func() []changes.Change{
		"no signature": func() []changes.Change {
			r := run(t, s, desk, "desk", 1, 3)
			r[2].Sig = ""
			return r
		},
		"a change after the signed run": func() []changes.Change {
			r := run(t, s, desk, "desk", 1, 3)
			extra := run(t, s, desk, "desk", 4, 4)
			extra[0].Sig = ""
			return append(r, extra...)
		},
		"a digest changed": func() []changes.Change {
			r := run(t, s, desk, "desk", 1, 3)
			r[1].EntityID = changes.Digest(changes.Change{Entity: "sale", EntityID: "x", Body: json.RawMessage(`{}`)})
			return r
		},
		"moved to another seq": func() []changes.Change {
			r := run(t, s, desk, "desk", 1, 3)
			for i := range r {
				r[i].Seq += 10
			}
			return r
		},
		"part of the run missing": func() []changes.Change {
			return run(t, s, desk, "desk", 1, 3)[1:]
		},
		"signed by a member in the desk's name": func() []changes.Change {
			return run(t, s, member, "desk", 1, 3)
		},
		"vouched for by another shop's key": func() []changes.Change {
			return run(t, New("shop", other), mustDeviceKey(t), "newcomer", 1, 2)
		},
		"for another shop": func() []changes.Change {
			return run(t, New("another shop", key), desk, "desk", 1, 2)
		},
		"garbage for a signature": func() []changes.Change {
			r := run(t, s, desk, "desk", 1, 2)
			r[1].Sig = "AAAA"
			return r
		},
	}
	for name, make := range cases {
		t.Run(name, func(t *testing.T) {
			bad := make()
			fine := run(t, s, mustDeviceKey(t), "stall", 1, 2)
			got, err := CheckBatch(context.Background(), book, s.WritePublic(), "shop", append(bad, fine...))
			if err != nil {
				t.Fatal(err)
			}
			if got.Refused == nil || domain.ErrorCode(got.Refused.Err) != domain.ETampered || !errors.Is(got.Refused.Err, ErrUnsigned) {
				t.Fatalf("refused %+v, want a tampered refusal of an unsigned change", got.Refused)
			}
			if got.Refused.Change.Origin != bad[0].Origin {
				t.Errorf("refused a change of %s, want one of %s", got.Refused.Change.Origin, bad[0].Origin)
			}
			// Only a whole signed run before the refused change stays.
			signed := 0
			if name == "a change after the signed run" {
				signed = 3
			}
			if len(got.Kept) != signed+len(fine) || got.Kept[len(got.Kept)-1].Origin != "stall" {
				t.Errorf("kept %d changes, want %d of the desk's and the stall's %d", len(got.Kept), signed, len(fine))
			}
		})
	}
}

// A key first seen in a batch is the origin's for the rest of it.
func TestAnOriginsFirstKeyHoldsWithinABatch(t *testing.T) {
	key, _ := NewKey()
	s := New("shop", key)
	batch := cat(run(t, s, mustDeviceKey(t), "new", 1, 2), run(t, s, mustDeviceKey(t), "new", 3, 4))
	got, err := CheckBatch(context.Background(), keyBook{}, s.WritePublic(), "shop", batch)
	if err != nil {
		t.Fatal(err)
	}
	if got.Refused == nil || got.Refused.Change.Seq != 3 || len(got.Kept) != 2 {
		t.Errorf("kept %d, refused %+v; want the first run kept and the second, under another key, refused", len(got.Kept), got.Refused)
	}
}

func TestCutSendsTheRunsTheirDeviceSigned(t *testing.T) {
	key, _ := NewKey()
	s := New("shop", key)
	desk := mustDeviceKey(t)
	seqs := func(cs []changes.Change) (out []string) {
		for _, c := range cs {
			mark := ""
			if c.Sig != "" {
				mark = "*"
			}
			out = append(out, fmt.Sprint(c.Seq, mark))
		}
		return out
	}
	t.Run("through the last point, without what follows it", func(t *testing.T) {
		tail := run(t, s, desk, "desk", 7, 8)
		tail[1].Sig = ""
		got, restart := Cut(cat(run(t, s, desk, "desk", 1, 3), run(t, s, desk, "desk", 4, 6), tail))
		if fmt.Sprint(seqs(got)) != "[1 2 3* 4 5 6*]" || restart != 0 {
			t.Errorf("cut %v, restart %d", seqs(got), restart)
		}
	})
	t.Run("the longest run when two begin together", func(t *testing.T) {
		short, long := run(t, s, desk, "desk", 1, 2), run(t, s, desk, "desk", 1, 4)
		held := append([]changes.Change(nil), long...)
		held[1].Sig = short[1].Sig
		got, _ := Cut(held)
		if fmt.Sprint(seqs(got)) != "[1 2 3 4*]" {
			t.Errorf("cut %v, want the run of four in one", seqs(got))
		}
	})
	t.Run("the runs that reach furthest, when the longest first leads nowhere", func(t *testing.T) {
		// Two cuts of the same changes, as a relay's batches and a bundle
		// bring them: 1-2, 3-5 and 6-7 in one, 1-4 in the other.
		held := cat(run(t, s, desk, "desk", 1, 2), run(t, s, desk, "desk", 3, 5), run(t, s, desk, "desk", 6, 7))
		held[3].Sig = run(t, s, desk, "desk", 1, 4)[3].Sig
		got, _ := Cut(held)
		if fmt.Sprint(seqs(got)) != "[1 2* 3 4 5* 6 7*]" {
			t.Errorf("cut %v, want all seven on the runs that reach the last", seqs(got))
		}
	})
	t.Run("again from where the point's run began", func(t *testing.T) {
		got, restart := Cut(run(t, s, desk, "desk", 1, 5)[2:])
		if len(got) != 0 || restart != 1 {
			t.Errorf("cut %v, restart %d; want nothing and a restart at 1", seqs(got), restart)
		}
	})
	t.Run("nothing of a run signed by no one", func(t *testing.T) {
		r := run(t, s, desk, "desk", 1, 3)
		r[2].Sig = ""
		if got, restart := Cut(r); len(got) != 0 || restart != 0 {
			t.Errorf("cut %v, restart %d; want nothing", seqs(got), restart)
		}
	})
}
