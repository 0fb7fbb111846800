package relay

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// ForgetPlan implements Store.
func (s *PGStore) ForgetPlan(ctx context.Context, shop string) (ForgetReport, error) {
	if err := checkForgetShop(shop); err != nil {
		return ForgetReport{}, err
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	var report ForgetReport
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		report, err = pgForgetReport(ctx, tx, shop, "")
		return err
	})
	if err != nil {
		return ForgetReport{}, storeError(ctx, "count the changes of shop "+shop, err)
	}
	return report, nil
}

// Forget implements Store. The shop's row is locked as Append locks it, so
// a batch committing meanwhile is either dropped with the rest or stored
// after. PostgreSQL keeps the deleted rows' bytes until its own VACUUM
// reuses their space.
func (s *PGStore) Forget(ctx context.Context, shop string) (ForgetReport, error) {
	if err := checkForgetShop(shop); err != nil {
		return ForgetReport{}, err
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	var report ForgetReport
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if report, err = pgForgetReport(ctx, tx, shop, " FOR UPDATE"); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM relay_changes WHERE shop = $1`, `DELETE FROM relay_heads WHERE shop = $1`} {
			if _, err := tx.Exec(ctx, q, shop); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ForgetReport{}, storeError(ctx, "forget shop "+shop, err)
	}
	return report, nil
}

// pgForgetReport counts shop's changes in tx, after reading its row with
// lock (" FOR UPDATE" or ""); a shop without a row was never held.
func pgForgetReport(ctx context.Context, tx pgx.Tx, shop, lock string) (ForgetReport, error) {
	tag, err := tx.Exec(ctx, `SELECT 1 FROM relay_shops WHERE shop = $1`+lock, shop)
	if err != nil {
		return ForgetReport{}, err
	}
	if tag.RowsAffected() == 0 {
		return ForgetReport{}, unknownShop(shop)
	}
	rows, err := tx.Query(ctx, `SELECT origin, count(*), count(*) FILTER (WHERE entity <> $2)
		FROM relay_changes WHERE shop = $1 GROUP BY origin`, shop, sealedEntity)
	if err != nil {
		return ForgetReport{}, err
	}
	report := ForgetReport{Shop: shop}
	var origin string
	var n, clear int
	_, err = pgx.ForEachRow(rows, []any{&origin, &n, &clear}, func() error {
		report.add(origin, n, clear)
		return nil
	})
	return report, err
}
