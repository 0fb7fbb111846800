package app

import (
	"context"
	"fmt"
	"slices"

	"microshop/domain"
)

// KitsOfPart are the codes of the kits on sale that have the SKU code as a
// part. Archiving that SKU stops them selling (a kit sells as its parts), so
// whoever archives it is told which.
func (s *Shop) KitsOfPart(ctx context.Context, code string) ([]string, error) {
	part, err := findSKU(ctx, s.db, code)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT code, parts FROM skus WHERE path = 'kit' AND NOT archived`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	var kits []string
	for rows.Next() {
		var kit, raw string
		if err := rows.Scan(&kit, &raw); err != nil {
			return nil, storeError(s.path, err)
		}
		parts, err := domain.DecodeKitParts(raw)
		if err != nil {
			continue // parts another device wrote badly: none to tell of
		}
		if slices.ContainsFunc(parts, func(p domain.KitPart) bool { return p.SKUID == part.ID }) {
			kits = append(kits, kit)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	slices.Sort(kits)
	return kits, nil
}

// KitsStopSelling says which kits stop selling while part is archived:
// "kit GIFT cannot be sold while PEN is archived, as PEN is one of its parts".
func KitsStopSelling(part string, kits []string) string {
	if len(kits) == 1 {
		return fmt.Sprintf("kit %s cannot be sold while %s is archived, as %s is one of its parts", kits[0], part, part)
	}
	return fmt.Sprintf("kits %s cannot be sold while %s is archived, as %s is one of their parts", domain.JoinAnd(kits), part, part)
}
