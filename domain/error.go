package domain

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error codes. They cross the sync wire and appear in JSON, so this list is
// append-only: do not reorder or remove any item.
const (
	EInvalid      = "invalid"      // the input is malformed or outside what is accepted
	ENotFound     = "not_found"    // a named thing does not exist
	EConflict     = "conflict"     // the thing exists already or its state forbids the action
	EInternal     = "internal"     // a failure that is not the user's doing
	EUnavailable  = "unavailable"  // the shop or a peer cannot be reached or opened
	ETooNew       = "too_new"      // data written by a newer version of Microshop
	EUnauthorized = "unauthorized" // a missing, wrong or revoked token
	EShort        = "short"        // fewer units available than asked for: a *app.ShortError says how many
	ETampered     = "tampered"     // a sealed change that does not open under the shop's key where it claims to be
	ENeedsInvite  = "needs_invite" // the shop is sealed and this device does not hold its key
	EReadOnly     = "read_only"    // the shop can only be read here: a change to it is refused
)

// Error is a failure a person can act on: Code is for programs, Message is one
// sentence for a maker that names the bad value and what would be accepted.
type Error struct {
	Code    string
	Message string
	Remedy  Remedy // what would settle it, for the interface to say its own way
	Err     error  // the underlying cause, if any, for logs
}

// Remedy names what would settle an error, apart from any interface: the
// command line names a command or a flag, the desktop app a screen or a
// button. So a Message says only what is wrong and what is accepted, and
// never a flag or a command a maker at the desktop app cannot type.
type Remedy string

const (
	RemedyListSKUs      Remedy = "list_skus"       // a code the shop lacks: see the codes, or add the SKU
	RemedyListArchived  Remedy = "list_archived"   // a code no archived SKU has
	RemedyListFactories Remedy = "list_factories"  // a factory name the shop lacks
	RemedyListBatches   Remedy = "list_batches"    // a batch id that names no batch, or several
	RemedyListConflicts Remedy = "list_conflicts"  // a conflict that is not there
	RemedyListSales     Remedy = "list_sales"      // a sale id that names no sale line
	RemedyResumeFactory Remedy = "resume_factory"  // the factory is paused
	RemedyEditSKU       Remedy = "edit_sku"        // another SKU holds the code
	RemedyNameFactory   Remedy = "name_factory"    // a SKU that is made needs its primary factory
	RemedyCreateShop    Remedy = "create_shop"     // no usable shop at the path: create one or open another
	RemedyOtherShop     Remedy = "other_shop"      // this path cannot be used: open or give another
	RemedyAssumeRate    Remedy = "assume_rate"     // no sales yet: assume a daily rate
	RemedyListLocations Remedy = "list_locations"  // a location name the shop lacks
	RemedyMoveUnits     Remedy = "move_units"      // a location still holds units: move them elsewhere first
	RemedyInvite        Remedy = "invite"          // the shop is sealed: join with an invite from one of its devices
	RemedyJoinShop      Remedy = "join_shop"       // another shop's bundle: a machine becomes a device of a shop by joining it, not by init
	RemedyWritableCopy  Remedy = "writable_copy"   // the shop can only be read here: make a copy that can be changed
	RemedyOpenWritable  Remedy = "open_writable"   // the shop was opened read-only on purpose: open it normally
	RemedySupplyPath    Remedy = "supply_path"     // a listings file adds SKUs: give their supply path and factory
	RemedySameCode      Remedy = "same_code"       // SKUs on sale share the code (added on devices apart): give one a code of its own
	RemedyWaitForWriter Remedy = "wait_for_writer" // another program writes a long change (an import, a sync): wait for it to finish
)

// With returns e with the remedy r.
func (e *Error) With(r Remedy) *Error {
	e.Remedy = r
	return e
}

// WithRemedy adds an interface's words for what would settle an error to
// its message: after "; ", or as a sentence of its own after a question
// ("did you mean Stall? See …").
func WithRemedy(msg, remedy string) string {
	if !strings.HasSuffix(msg, "?") {
		return msg + "; " + remedy
	}
	r, n := utf8.DecodeRuneInString(remedy)
	return msg + " " + string(unicode.ToUpper(r)) + remedy[n:]
}

// RemedyOf returns the remedy of the first *Error in err's chain, or "".
func RemedyOf(err error) Remedy {
	var e *Error
	if errors.As(err, &e) {
		return e.Remedy
	}
	return ""
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the human message of the first *Error in err's chain,
// or a generic sentence for errors that are not the user's to fix.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong inside Microshop: " + err.Error() + "."
}
