package app

import "microshop/domain"

// checkMoney refuses an amount the shop's currency cannot have, such as
// 15.50 in yen. Amounts not given (nil) pass, and the shop's currency is
// read only when one is.
func (t *txn) checkMoney(amounts ...*domain.Money) error {
	currency := ""
	for _, m := range amounts {
		if m == nil {
			continue
		}
		if currency == "" {
			err := t.tx.QueryRowContext(t.ctx, `SELECT currency FROM shop WHERE id = ?`, t.shop.shopID).Scan(&currency)
			if isNoRows(err) {
				return nil // a replica the shop record has not reached yet
			} else if err != nil {
				return storeError(t.shop.path, err)
			}
		}
		if err := m.CheckCurrency(currency); err != nil {
			return err
		}
	}
	return nil
}
