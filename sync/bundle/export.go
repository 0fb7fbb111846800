package bundle

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"io"

	"microshop/domain"
	"microshop/sync/changes"
)

// Export writes to w a bundle of every change r holds that since lacks (all
// of them for a nil vector) and returns how many. On an error w holds part
// of a bundle, which import refuses; write files through app's Output so
// nothing partial is left.
func Export(ctx context.Context, r changes.Replica, w io.Writer, since changes.Vector) (int, error) {
	v, err := r.Vector(ctx)
	if err != nil {
		return 0, err
	}
	// Sealed changes hardly compress: the fastest level writes a file 3 %
	// larger in a third less time than the default.
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	lw := &lineWriter{w: bufio.NewWriterSize(zw, 64<<10), sum: sha256.New()}
	h := Header{Format: Format, Version: Version, ShopID: r.ShopID(), SchemaVersion: changes.SchemaOf(r), Origin: r.DeviceID(), Vector: v}
	// A sealed shop's name is as private as its changes.
	if n, ok := r.(namedShop); ok && h.SchemaVersion < changes.SealedSchema {
		h.ShopName = n.ShopName(ctx)
	}
	if rs, ok := r.(changes.Restorable); ok {
		if h.Heads, err = rs.Heads(ctx); err != nil {
			return 0, err
		}
	}
	if err := lw.line(h, "the header"); err != nil {
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
			if err := lw.line(c, "the change"); err != nil {
				return n, err
			}
			cursor[c.Origin] = c.Seq
			n++
		}
	}
	// The end line is not part of what its checksum covers.
	end := endLine{End: true, Count: n, SHA256: hex.EncodeToString(lw.sum.Sum(nil))}
	lw.sum = nil
	if err := lw.line(end, "the end line"); err != nil {
		return n, err
	}
	if err := lw.w.Flush(); err != nil {
		return n, writeErr(err)
	}
	if err := zw.Close(); err != nil {
		return n, writeErr(err)
	}
	return n, nil
}

// lineWriter writes a bundle's lines, hashing them and keeping to the
// limits import enforces, so every bundle export writes can be imported.
type lineWriter struct {
	w     *bufio.Writer
	sum   hash.Hash
	total int64
}

func (lw *lineWriter) line(v any, what string) error {
	b, err := json.Marshal(v)
	if err != nil {
		return domain.Errorf(domain.EInternal, "cannot write %s of the bundle: %v", what, err)
	}
	b = append(b, '\n')
	if len(b) > MaxLineBytes {
		if c, ok := v.(changes.Change); ok {
			return domain.Errorf(domain.EInvalid, "change %d from device %s takes %d bytes, more than a bundle line holds (%d); sync over the network instead", c.Seq, c.Origin, len(b), MaxLineBytes)
		}
		return domain.Errorf(domain.EInvalid, "%s of the bundle takes %d bytes, more than a bundle line holds (%d); sync over the network instead", what, len(b), MaxLineBytes)
	}
	if lw.total += int64(len(b)); lw.total > maxBytes {
		return domain.Errorf(domain.EInvalid, "the changes to export take more than %s unpacked, the most a bundle holds; sync over the network instead", sizeText(maxBytes))
	}
	if lw.sum != nil {
		lw.sum.Write(b)
	}
	if _, err := lw.w.Write(b); err != nil {
		return writeErr(err)
	}
	return nil
}

// writeErr keeps the writer's own sentence (app's Output names its file)
// or says in general words what failed.
func writeErr(err error) error {
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	return &domain.Error{Code: domain.EUnavailable, Message: "cannot write the bundle; check the disk has space and is writable", Err: err}
}
