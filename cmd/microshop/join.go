package main

import (
	"context"

	"microshop/app"
	"microshop/sync/join"
	"microshop/ui"
)

// joinShop makes this computer a replica of the shop an invite names. The
// shop takes its path only once complete, so a join cut short leaves none.
func joinShop(ctx context.Context, path string, in ui.JoinRequest) (*app.Shop, error) {
	inv, err := app.ParseInvite(in.Invite)
	if err != nil {
		return nil, err
	}
	s, _, err := join.New(ctx, path, inv, in.Device, app.Options{}, nil)
	return s, err
}
