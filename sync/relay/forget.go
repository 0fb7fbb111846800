package relay

// Forgetting a shop's old changes (DESIGN.md section 6): a shop that synced
// before it was sealed left its changes readable in the relay's store. Once
// every device has synced sealed, the operator drops them; the devices send
// what they hold again, sealed.

import (
	"microshop/domain"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// ForgetReport is what Forget drops, or would drop, of one shop.
type ForgetReport struct {
	Shop    string
	Changes int // changes held
	// Clear counts the changes not sealed: bodies the relay can read,
	// sent before the shop was sealed.
	Clear   int
	Origins map[string]int // changes held per device that made them
}

// add counts n changes of origin, clear of them not sealed.
func (r *ForgetReport) add(origin string, n, clear int) {
	if r.Origins == nil {
		r.Origins = map[string]int{}
	}
	r.Origins[origin] += n
	r.Changes += n
	r.Clear += clear
}

// sealedEntity is the entity every sealed change carries in the clear; the
// stores count the others as readable.
const sealedEntity = seal.Entity

// checkForgetShop refuses an id that is not a shop id before any store
// looks for it.
func checkForgetShop(shop string) error {
	if !wire.ValidShopID(shop) {
		return domain.Errorf(domain.EInvalid, "%q is not a shop id; a shop id is 1 to 64 lowercase letters, digits, '-' or '_'", shop)
	}
	return nil
}

// unknownShop is the error for a shop the store has never held.
func unknownShop(shop string) error {
	return domain.Errorf(domain.ENotFound, "this relay holds nothing of shop %s; check the shop id", shop)
}
