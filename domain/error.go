package domain

import (
	"errors"
	"fmt"
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
)

// Error is a failure a person can act on: Code is for programs, Message is one
// sentence for a maker that names the bad value and what would be accepted.
type Error struct {
	Code    string
	Message string
	Err     error // the underlying cause, if any, for logs
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
