package domain

// Status is a SKU's stock state: the first that applies of digital,
// oversold, stockout, reorder, low and ok.
type Status string

const (
	StatusDigital  Status = "digital"
	StatusOversold Status = "oversold"
	StatusStockout Status = "stockout"
	StatusReorder  Status = "reorder"
	StatusLow      Status = "low"
	StatusOK       Status = "ok"
)

// StatusOf decides a SKU's status from its path, available units and plan.
// Low means available cover is below the minimum while enough is on order.
func StatusOf(path SupplyPath, available int, p Plan) Status {
	if path == PathDigital {
		return StatusDigital
	}
	return stockStatus(available, p)
}

// stockStatus is the status of a SKU that has stock: every path but digital.
func stockStatus(available int, p Plan) Status {
	switch {
	case available < 0:
		return StatusOversold
	case available == 0:
		return StatusStockout
	case p.NeedsReorder():
		return StatusReorder
	case p.Rate.Sold > 0 && int64(available)*int64(p.Rate.Days) < int64(p.Rate.Sold)*int64(p.MinCover):
		return StatusLow
	}
	return StatusOK
}
