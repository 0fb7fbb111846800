package relay

import (
	"context"

	"microshop/sync/changes"
)

// Store keeps the change log of every shop the relay serves. It is the seam
// for other backends (PostgreSQL for a hosted relay): the protocol code
// depends only on this. Implementations are safe for concurrent use and
// never read a change's body.
type Store interface {
	// Vector is what the store holds for shop: per origin, the highest
	// sequence, all below it held too.
	Vector(ctx context.Context, shop string) (changes.Vector, error)

	// Append commits batch to shop's log in one transaction and returns the
	// shop's vector after it. A change the store holds already is skipped;
	// one whose seq is above vector[origin]+1 is a gap, refused with a
	// wire.CodeBadMessage error, and then nothing of the batch is stored.
	Append(ctx context.Context, shop string, batch []changes.Change) (changes.Vector, error)

	// ChangesAfter lists shop's changes that v does not cover, in origin
	// order and sequence order within an origin: at most maxChanges, and no
	// more than maxBytes by wire.ChangeSize, except that the first change is
	// always returned.
	ChangesAfter(ctx context.Context, shop string, v changes.Vector, maxChanges, maxBytes int) ([]changes.Change, error)

	// RaiseSchema records that a device of shop speaks the change schema
	// version schema and returns the newest version any device of the shop
	// has spoken, so devices that cannot read its changes are turned away.
	RaiseSchema(ctx context.Context, shop string, schema int) (int, error)

	// ForgetPlan reports what Forget would drop of shop, changing nothing.
	// A shop the store has never held is a domain.ENotFound error.
	ForgetPlan(ctx context.Context, shop string) (ForgetReport, error)

	// Forget drops every change the store holds of shop, and its vector,
	// in one transaction, and reports what it dropped. It keeps the shop's
	// schema and write key, so devices that cannot read its changes stay
	// turned away and only the shop's devices can write again. The shop's
	// devices send what they hold again on their next sync; relays with
	// live sessions of the shop end them (see watchLost).
	Forget(ctx context.Context, shop string) (ForgetReport, error)

	// ResetWriteKey forgets shop's write key, and the device keys it
	// vouched for, so the next sealed device
	// to connect binds its own: for a shop whose first sealed hello came
	// from someone holding only a token, which turns the shop's own
	// devices away. Sessions already open keep the key they checked:
	// revoke the token they use first.
	ResetWriteKey(ctx context.Context, shop string) error

	// BindWriteKey makes key the write key of shop if it has none yet, and
	// returns the key the shop has after it: nil for a shop not sealed
	// (asked with a nil key), key when it was bound now or before, another
	// key when the shop was sealed with another. The relay then stores only
	// batches signed with it (package seal).
	BindWriteKey(ctx context.Context, shop string, key []byte) ([]byte, error)

	// KeyOf is the key shop's device origin signs its changes with, nil
	// while none is bound.
	KeyOf(ctx context.Context, shop, origin string) ([]byte, error)

	// BindDeviceKey makes key the key of shop's device origin if it has
	// none yet, and returns the key it has after it (package seal: the
	// first point of a device that verifies binds its key).
	BindDeviceKey(ctx context.Context, shop, origin string, key []byte) ([]byte, error)
}
