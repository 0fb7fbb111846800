package ui

import (
	"context"
	"strings"
	"sync"
)

// decisionCache keeps Today's bundle ideas and money-losing SKUs until the
// shop changes: going back to Today then costs no second reading of every
// sale, which on a large shop takes a few hundred milliseconds.
type decisionCache struct {
	mu   sync.Mutex // held while they are read, so they are read once
	key  cacheKey
	rows []todayItem
}

// items are the rows as of now; callers must not change them.
func (c *decisionCache) items(ctx context.Context, u *UI) ([]todayItem, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, err := u.data.key(ctx)
	if err != nil {
		return nil, err
	}
	if k == c.key {
		return c.rows, nil
	}
	rows, err := decisionItems(ctx, u.shop, u.info.Currency)
	if err != nil {
		return nil, err
	}
	c.rows, c.key = rows, k
	return rows, nil
}

// withDecisions adds to Today's summary of the alerts how many SKUs lose
// money and how many bundle ideas there are.
func withDecisions(summary string, items []todayItem) string {
	losing, ideas := 0, 0
	for _, it := range items {
		switch it.alert.Kind {
		case kindLosesMoney:
			losing++
		case kindBundleIdea:
			ideas++
		}
	}
	var parts []string
	if losing > 0 {
		parts = append(parts, plural(losing, "SKU loses", "SKUs lose")+" money")
	}
	if ideas > 0 {
		parts = append(parts, plural(ideas, "bundle idea", "bundle ideas"))
	}
	if len(parts) == 0 {
		return summary
	}
	if summary == "" || strings.HasSuffix(summary, ".") { // "all in order."
		return strings.TrimSpace(summary + " " + sentence(strings.Join(parts, " · ")))
	}
	return summary + " · " + strings.Join(parts, " · ")
}
