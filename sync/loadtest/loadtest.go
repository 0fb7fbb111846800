// Package loadtest holds what the sync benchmarks load a relay with: a
// device that holds nothing but its own changes and counts what reaches
// it, and the peak memory of the relay's process. Tests and benchmarks
// only; nothing in the app imports it.
package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"microshop/sync/changes"
)

// Device is a load generator: a device that made its own changes and
// counts what it receives from others without storing it. It is a
// client.Replica.
type Device struct {
	shop, device string
	own          []changes.Change
	mu           sync.Mutex
	vector       changes.Vector
}

// NewDevice is a new device of shop that made own sales.
func NewDevice(shop string, own int) *Device {
	device := uuid.Must(uuid.NewV7()).String()
	r := &Device{shop: shop, device: device, vector: changes.Vector{device: int64(own)}}
	now := time.Now().UnixMilli()
	for i := range own {
		seq := int64(i + 1)
		r.own = append(r.own, changes.Change{Origin: device, Seq: seq, HLC: changes.Stamp{Wall: now + seq, Device: device}.String(),
			Entity: "sale", EntityID: uuid.Must(uuid.NewV7()).String(), Body: json.RawMessage(`{"sku_id":"x","at":1,"qty":1}`)})
	}
	return r
}

func (r *Device) ShopID() string   { return r.shop }
func (r *Device) DeviceID() string { return r.device }

func (r *Device) Vector(context.Context) (changes.Vector, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.vector.Clone(), nil
}

func (r *Device) ChangesAfter(_ context.Context, v changes.Vector, limit int) ([]changes.Change, error) {
	from := int(v[r.device])
	if from >= len(r.own) {
		return nil, nil
	}
	return r.own[from:min(len(r.own), from+limit)], nil
}

// Apply counts a batch: each change next in its origin's order moves the
// vector on.
func (r *Device) Apply(_ context.Context, batch []changes.Change) (changes.Vector, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range batch {
		if c.Seq == r.vector[c.Origin]+1 {
			r.vector[c.Origin] = c.Seq
		}
	}
	return r.vector.Clone(), nil
}

// Total is how many changes the device holds, its own and received.
func (r *Device) Total() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.vector.Total()
}

// PeakRSS is a process's peak resident set (VmHWM), in KiB.
func PeakRSS(tb testing.TB, pid int) float64 {
	tb.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v
		}
	}
	tb.Fatal("no VmHWM in /proc status")
	return 0
}
