package wire

import (
	"fmt"

	"microshop/domain"
)

// Error codes a peer sends in an Error message and in the reason of the
// close frame that follows it. They cross the wire between versions, so this
// list is append-only: do not reorder or remove any item. Codes shared with
// the rest of Microshop reuse the domain constants.
const (
	CodeUnauthorized       = domain.EUnauthorized  // no token, a wrong or revoked one
	CodeWrongShop          = "wrong_shop"          // the token or the data belongs to another shop
	CodeVersionUnsupported = "version_unsupported" // protocol or schema the peer cannot speak
	CodeTooLarge           = "too_large"           // a frame, batch or body above the limits
	CodeBadMessage         = "bad_message"         // malformed, unknown or out-of-order input
	CodeInternal           = domain.EInternal      // the peer failed; retry later
	CodeUnavailable        = domain.EUnavailable   // the peer is shutting down; retry later
)

// Errorf returns a typed protocol error: a *domain.Error with the code, so
// domain.ErrorCode and domain.ErrorMessage work on it anywhere.
func Errorf(code, format string, args ...any) error {
	return &domain.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Retryable reports whether a session that ended with the code may succeed
// if the client simply reconnects later, as opposed to needing a person
// (a new token, an update) or a fixed client.
func Retryable(code string) bool {
	return code == CodeInternal || code == CodeUnavailable
}

// WrongShopKey is the message of the CodeUnauthorized error a relay sends
// a device whose shop key is not the one the shop was sealed with, so a
// device joining with an invite can say it is the invite's.
const WrongShopKey = "This device does not hold the key this shop was sealed with; join the shop with an invite from one of its devices."
