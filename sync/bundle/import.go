package bundle

import (
	"bytes"
	"context"
	"io"

	"microshop/sync/changes"
)

// Result is what an import did.
type Result struct {
	Total   int            // changes in the bundle
	Applied int            // changes this replica did not hold yet
	Vector  changes.Vector // the replica's vector afterwards
}

// Import reads a bundle from src and applies it to r; name is the file's
// name for messages. The whole bundle is checked first (that it is intact,
// complete, within the limits and of r's shop) and nothing is applied
// unless it passes. The packed bytes are kept in memory for the second
// reading, so a file changed meanwhile cannot slip in, and src is read once.
func Import(ctx context.Context, r changes.Replica, src io.Reader, name string) (Result, error) {
	var packed bytes.Buffer
	h, err := scan(ctx, io.TeeReader(src, &packed), name, r.ShopID(), nil)
	if err != nil {
		return Result{}, err
	}
	before, err := r.Vector(ctx)
	if err != nil {
		return Result{}, err
	}
	res := Result{Total: h.count}
	batch := make([]changes.Change, 0, batchSize)
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
	_, err = scan(ctx, bytes.NewReader(packed.Bytes()), name, r.ShopID(), func(c changes.Change) error {
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
