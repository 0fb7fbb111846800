package main

import (
	"context"
	"os"
	"path/filepath"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/client"
	"microshop/sync/join"
	"microshop/ui"
)

// joinShop makes this computer a replica of the shop an invite names,
// from its relay or from the bundle file given. The shop takes its path
// only once complete, so a join cut short leaves none.
func joinShop(ctx context.Context, path string, in ui.JoinRequest) (*app.Shop, error) {
	inv, err := app.ParseInvite(in.Invite)
	if err != nil {
		return nil, err
	}
	if in.Bundle != "" {
		f, err := os.Open(in.Bundle)
		if err != nil {
			return nil, domain.Errorf(domain.ENotFound, "cannot open the bundle %s; choose the bundle exported on the inviting device", in.Bundle)
		}
		defer f.Close()
		return join.FromBundle(ctx, path, inv, in.Device, f, filepath.Base(in.Bundle), app.Options{})
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
