package changes

import "context"

// Replica is a local copy of a shop that sync can read from and write to.
// The app's shop satisfies it; sync/client and sync/bundle depend only on it.
type Replica interface {
	// ShopID and DeviceID identify the shop and this device.
	ShopID() string
	DeviceID() string
	// Vector is what the replica holds.
	Vector(ctx context.Context) (Vector, error)
	// ChangesAfter lists up to limit changes the replica holds that v does
	// not, in origin order and, within an origin, in sequence order.
	ChangesAfter(ctx context.Context, v Vector, limit int) ([]Change, error)
	// Apply commits a batch of changes from elsewhere in one transaction and
	// returns the replica's new vector. Changes already held are skipped, so
	// applying a batch twice, or batches in any order, ends in the same state.
	Apply(ctx context.Context, batch []Change) (Vector, error)
}

// SchemaVersion is the version of the change bodies' schema. A replica
// refuses changes from a newer schema rather than misreading them.
const SchemaVersion = 1
