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

// The versions of the change bodies' schema. A replica refuses changes
// from a newer schema rather than misreading them. A sealed shop's changes
// travel sealed (DESIGN.md section 6): a device that cannot open them must
// not take part, so sealed replicas announce SealedSchema, and a relay
// turns away the devices of a sealed shop that announce less.
const (
	PlainSchema   = 1
	SealedSchema  = 2
	SchemaVersion = SealedSchema // the newest this build reads
)

// SchemaOf is the schema r's changes travel in.
func SchemaOf(r Replica) int {
	if s, ok := r.(interface{ Sealed() bool }); ok && s.Sealed() {
		return SealedSchema
	}
	return PlainSchema
}

// Signer is a replica of a sealed shop: it names the public half of the
// shop's write key in its hello and signs the batches it pushes, so a relay
// stores only what the shop's devices send (DESIGN.md section 6). A replica
// of a shop not sealed returns "" for both.
type Signer interface {
	WriteKey() string
	SignBatch(batch []Change) string
}

// WriteKeyOf and SignatureOf are r's write key and signature of batch, ""
// when r does not sign.
func WriteKeyOf(r Replica) string {
	if s, ok := r.(Signer); ok {
		return s.WriteKey()
	}
	return ""
}

func SignatureOf(r Replica, batch []Change) string {
	if s, ok := r.(Signer); ok {
		return s.SignBatch(batch)
	}
	return ""
}

// Preparer is a Replica that can do ahead the part of applying a batch
// that writes nothing (opening sealed changes, reading them, checking
// their signatures), so a sync can prepare the next batch on another core
// while the replica commits the one before.
type Preparer interface {
	// Prepare readies batch for ApplyPrepared. It writes nothing, and
	// what it finds wrong is reported by ApplyPrepared, as Apply would.
	Prepare(ctx context.Context, batch []Change) Prepared
	// ApplyPrepared applies prepared batches, in order, exactly as Apply
	// applies the batches' changes one after the other in one batch.
	ApplyPrepared(ctx context.Context, batches []Prepared) (Vector, error)
}

// Checker is a Replica that can tell, writing nothing, whether it would
// refuse any change of a file's batches, so a file is applied whole or
// not at all.
type Checker interface {
	// Checks returns a check of batches as Apply would apply them, one
	// after the other: the error Apply would return for the first change
	// it would refuse (a sealed body that does not open, a signature that
	// does not verify), nil while there is none.
	Checks(ctx context.Context) func(batch []Change) error
}

// Prepared is a batch a Preparer prepared, for its ApplyPrepared only.
type Prepared interface {
	// Changes is the batch as it was given to Prepare.
	Changes() []Change
}
