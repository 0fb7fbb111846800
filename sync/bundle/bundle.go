// Package bundle syncs by file: export writes the changes a peer lacks to a
// file for a USB stick, import applies such a file. Import is the same
// idempotent apply as network sync, so a bundle can be imported twice or
// after the changes arrived another way.
//
// A bundle is one gzip stream of JSON lines:
//
//	{"format":"microshop-bundle","version":2,"shop_id":…,"vector":{…},…}   the header
//	{"origin":…,"seq":…,"hlc":…,"entity":…,"entity_id":…,"body":…}        one line per change
//	{"end":true,"count":N,"sha256":"…"}                                    the end line
//
// The end line counts the changes and carries the SHA-256 of every byte
// before it, so a file changed or damaged anywhere is refused as such, on
// top of the gzip stream's own CRC-32, which import also checks. Every line
// is at most MaxLineBytes and the whole unpacked file at most MaxBytes, so a
// hostile file costs bounded memory and time. Bundles written before the
// checksum (no version in the header) are still read: the gzip CRC-32 and
// the count guard them.
package bundle

import (
	"context"
	"strconv"

	"microshop/sync/changes"
)

// Format names the file type in its header.
const Format = "microshop-bundle"

// Version is the bundle format this build writes. It rises only when an
// older Microshop would misread a newer file; a header field that older
// readers may ignore is added without raising it.
const Version = 2

// Limits of what a bundle holds. A line is a change of at most the wire's
// frame size (a body is at most 64 KiB, escaped as JSON), or the header.
// The whole file is far more than a small shop makes in years (a change
// takes about 300 bytes), and bounds what a hostile file can cost.
const (
	MaxLineBytes = 1 << 20   // one line, its newline included
	MaxBytes     = 512 << 20 // the whole file, unpacked
)

// maxBytes is MaxBytes, lowered by tests that cross it.
var maxBytes int64 = MaxBytes

// sizeText is a limit in words: "512 MiB", or bytes when not whole MiB.
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// batchSize is how many changes one import transaction applies.
const batchSize = 500

// pageSize is how many changes export reads at a time, so a large shop is
// streamed rather than held in memory.
const pageSize = 5000

// Header is the first line of a bundle. Readers ignore fields they do not
// know, so it can gain fields (such as per-origin digests) without a new
// Version.
type Header struct {
	Format        string         `json:"format"`
	Version       int            `json:"version,omitempty"` // absent in bundles from before Version 2
	ShopID        string         `json:"shop_id"`
	ShopName      string         `json:"shop_name,omitempty"` // for people: a bundle of another shop not sealed is named by its name
	SchemaVersion int            `json:"schema_version"`
	Origin        string         `json:"origin"` // the exporting device
	Vector        changes.Vector `json:"vector"` // what the exporter held
	// Heads: per origin, the exporter's highest change and its digest, so
	// a device restored from a backup, or one holding another's restored
	// changes, is told apart (DESIGN.md section 3). Absent in older bundles.
	Heads map[string]changes.Head `json:"heads,omitempty"`
}

// namedShop is a replica that knows its shop's name, which a bundle
// carries so that a bundle imported into the wrong shop says whose it is.
type namedShop interface {
	ShopName(ctx context.Context) string
}

// endLine closes a bundle: the count of changes, and the SHA-256 (hex) of
// every byte before this line. Without it the file was cut short.
type endLine struct {
	End    bool   `json:"end"`
	Count  int    `json:"count"`
	SHA256 string `json:"sha256,omitempty"`
}
