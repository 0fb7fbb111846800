package app

import (
	"context"

	"microshop/domain"
)

// checkMoney refuses an amount the shop's currency cannot have, such as
// 15.50 in yen. Amounts not given (nil) pass, and the shop's currency is
// read only when one is.
func (t *txn) checkMoney(amounts ...*domain.Money) error {
	currency, read := "", false
	for _, m := range amounts {
		if m == nil {
			continue
		}
		if !read {
			var err error
			if currency, err = shopCurrency(t.ctx, t.tx, t.shop.shopID); err != nil {
				return storeError(t.shop.path, err)
			}
			read = true
		}
		if err := m.CheckCurrency(currency); err != nil {
			return err
		}
	}
	return nil
}

// shopCurrency is the shop's currency, for checking amounts and writing
// them for people (domain.Money.Format); "" on a replica the shop record
// has not reached yet, which any amount passes and which writes two
// decimals.
func shopCurrency(ctx context.Context, q queryer, shopID string) (string, error) {
	var currency string
	err := q.QueryRowContext(ctx, `SELECT currency FROM shop WHERE id = ?`, shopID).Scan(&currency)
	if isNoRows(err) {
		return "", nil
	}
	return currency, err
}
