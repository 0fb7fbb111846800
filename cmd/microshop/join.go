package main

import (
	"context"

	"microshop/app"
	"microshop/sync/changes"
	"microshop/sync/client"
	"microshop/ui"
)

// joinShop makes this computer a replica of a shop on a relay. The shop
// takes its path only once complete, so a join cut short leaves none.
func joinShop(ctx context.Context, path string, in ui.JoinRequest) (*app.Shop, error) {
	j, err := app.StartJoin(path, app.Options{})
	if err != nil {
		return nil, err
	}
	_, err = client.JoinReplica(ctx, in.Relay, in.Token, func(shopID string) (changes.Replica, error) {
		return j.Create(shopID, in.Device)
	})
	var s *app.Shop
	if err == nil {
		s, err = j.Finish(ctx, app.SyncPeer{Relay: in.Relay, Token: in.Token})
	}
	if err != nil {
		j.Abort()
		return nil, err
	}
	return s, nil
}
