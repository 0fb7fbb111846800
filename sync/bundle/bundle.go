// Package bundle syncs by file: export writes the changes a peer lacks to a
// file for a USB stick, import applies such a file. Import is the same
// idempotent apply as network sync, so a bundle can be imported twice or
// after the changes arrived another way.
package bundle

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"microshop/domain"
	"microshop/sync/changes"
)

// Format names the file type in its header.
const Format = "microshop-bundle"

// batchSize is how many changes one import transaction applies.
const batchSize = 500

// Header is the first line of a bundle.
type Header struct {
	Format        string         `json:"format"`
	ShopID        string         `json:"shop_id"`
	SchemaVersion int            `json:"schema_version"`
	Origin        string         `json:"origin"` // the exporting device
	Vector        changes.Vector `json:"vector"` // what the exporter held
}

// line is any line after the header: a change, or the trailer that ends the
// file with the count of changes (without it the file was cut short).
type line struct {
	changes.Change
	End   bool `json:"end,omitempty"`
	Count int  `json:"count,omitempty"`
}

// pageSize is how many changes export reads at a time, so a large shop is
// streamed rather than held in memory.
const pageSize = 5000

// Export writes every change r holds that `since` lacks (all of them for a
// nil vector) to path, gzip-compressed JSON lines. It returns how many.
func Export(ctx context.Context, r changes.Replica, path string, since changes.Vector) (int, error) {
	v, err := r.Vector(ctx)
	if err != nil {
		return 0, err
	}
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, domain.Errorf(domain.EUnavailable, "cannot write the bundle %s: %v", path, errors.Unwrap(err))
	}
	defer os.Remove(tmp)
	defer f.Close()
	zw := gzip.NewWriter(f)
	bw := bufio.NewWriter(zw)
	enc := json.NewEncoder(bw)
	h := Header{Format: Format, ShopID: r.ShopID(), SchemaVersion: changes.SchemaVersion, Origin: r.DeviceID(), Vector: v}
	if err := enc.Encode(h); err != nil {
		return 0, err
	}
	cursor := since.Clone()
	n := 0
	for {
		page, err := r.ChangesAfter(ctx, cursor, pageSize)
		if err != nil {
			return n, err
		}
		if len(page) == 0 {
			break
		}
		for _, c := range page {
			if err := enc.Encode(c); err != nil {
				return n, writeErr(path, err)
			}
			cursor[c.Origin] = c.Seq
			n++
		}
	}
	if err := enc.Encode(line{End: true, Count: n}); err != nil {
		return n, writeErr(path, err)
	}
	if err := bw.Flush(); err != nil {
		return n, writeErr(path, err)
	}
	if err := zw.Close(); err != nil {
		return n, writeErr(path, err)
	}
	if err := f.Sync(); err != nil {
		return n, writeErr(path, err)
	}
	if err := f.Close(); err != nil {
		return n, writeErr(path, err)
	}
	// Renamed into place only when whole, so a pulled USB stick never
	// leaves a bundle that looks complete.
	if err := os.Rename(tmp, path); err != nil {
		return n, writeErr(path, err)
	}
	return n, nil
}

func writeErr(path string, err error) error {
	return &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot write the bundle %s; check the disk has space and is writable", path), Err: err}
}

// Result is what an import did.
type Result struct {
	Total   int            // changes in the bundle
	Applied int            // changes this replica did not hold yet
	Vector  changes.Vector // the replica's vector afterwards
}

// Import checks the whole bundle at path first (its shop, its schema, and
// that it is complete) and only then applies it in batches.
func Import(ctx context.Context, r changes.Replica, path string) (Result, error) {
	h, err := scan(path, r.ShopID(), nil)
	if err != nil {
		return Result{}, err
	}
	before, err := r.Vector(ctx)
	if err != nil {
		return Result{}, err
	}
	res := Result{Total: h.count}
	var batch []changes.Change
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		v, err := r.Apply(ctx, batch)
		if err != nil {
			return err
		}
		res.Vector = v
		batch = batch[:0]
		return nil
	}
	_, err = scan(path, r.ShopID(), func(c changes.Change) error {
		batch = append(batch, c)
		if len(batch) >= batchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return res, err
	}
	if res.Vector == nil {
		res.Vector = before
	}
	res.Applied = int(res.Vector.Total() - before.Total())
	return res, nil
}

// scan reads a bundle, checking it belongs to shopID, and hands each change
// to fn (when not nil).
func scan(path, shopID string, fn func(changes.Change) error) (scanned, error) {
	var h scanned
	bad := func(why string) error {
		return domain.Errorf(domain.EInvalid, "%s is not a usable Microshop bundle: %s", path, why)
	}
	f, err := os.Open(path)
	if err != nil {
		return h, domain.Errorf(domain.ENotFound, "cannot open the bundle %s; check the path", path)
	}
	defer f.Close()
	var rd io.Reader = bufio.NewReader(f)
	if magic, _ := rd.(*bufio.Reader).Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return h, bad("its compression is damaged")
		}
		defer zr.Close()
		rd = zr
	}
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&h); err != nil || h.Format != Format {
		return h, bad("it does not start with a bundle header")
	}
	if h.ShopID != shopID {
		return h, domain.Errorf(domain.EConflict, "the bundle %s belongs to shop %s, not this shop %s; import it on a device of that shop", path, h.ShopID, shopID)
	}
	if h.SchemaVersion > changes.SchemaVersion {
		return h, domain.Errorf(domain.ETooNew, "the bundle %s was written by a newer Microshop (schema %d, this one reads up to %d); update Microshop to import it", path, h.SchemaVersion, changes.SchemaVersion)
	}
	for {
		var l line
		if err := dec.Decode(&l); err != nil {
			return h, bad(fmt.Sprintf("it ends early after %d changes (was the file copied completely?)", h.count))
		}
		if l.End {
			if l.Count != h.count {
				return h, bad(fmt.Sprintf("it says it holds %d changes but %d were read", l.Count, h.count))
			}
			return h, nil
		}
		h.count++
		if fn != nil {
			if err := fn(l.Change); err != nil {
				return h, err
			}
		}
	}
}

// scanned is a bundle's header and how many changes it holds.
type scanned struct {
	Header
	count int
}
