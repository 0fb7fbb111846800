package client

import (
	"context"

	"microshop/sync/changes"
)

// JoinReplica makes a new device's replica of the shop a token belongs to:
// it asks the relay for the shop, has create make an empty replica of it,
// and syncs it in full. On error the caller removes what create made.
func JoinReplica(ctx context.Context, relay, token string, create func(shopID string) (changes.Replica, error)) (changes.Replica, error) {
	shopID, err := Join(ctx, relay, token)
	if err != nil {
		return nil, err
	}
	r, err := create(shopID)
	if err != nil {
		return nil, err
	}
	if _, err := Sync(ctx, Config{Relay: relay, Token: token, Replica: r}); err != nil {
		return r, err
	}
	return r, nil
}
