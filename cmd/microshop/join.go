package main

import (
	"context"

	"microshop/app"
	"microshop/sync/client"
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
	var progress client.Progress
	onStatus := func(st client.Status) {
		if done, total := progress.Of(st); total > 0 && in.Progress != nil {
			in.Progress(done, total)
		}
	}
	s, _, err := join.New(ctx, path, inv, in.Device, app.Options{}, onStatus)
	return s, err
}
