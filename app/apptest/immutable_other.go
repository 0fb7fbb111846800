//go:build !linux

package apptest

import "errors"

// immutable is Linux's: elsewhere root is not held to a read-only file.
func immutable(string) (func(), error) { return nil, errors.ErrUnsupported }
