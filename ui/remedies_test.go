package ui

import (
	"context"
	"strings"
	"testing"

	"microshop/domain"
)

// The desktop app shows what settles an error in its own terms: a screen
// or a button, never a command to type.
func TestErrorsPointToTheAppNotTheCommandLine(t *testing.T) {
	ctx := context.Background()
	shop := mustShop(t)
	mustFactory(t, shop, "Press", domain.KindMicrofactory, 5, true)
	if err := shop.PauseFactory(ctx, "Press", ""); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{})
	u.showError(shop.PauseFactory(ctx, "Press", ""))
	got := dialogText(w)
	if !strings.Contains(got, "Resume on the Factories screen") || strings.Contains(got, "microshopctl") {
		t.Fatalf("the error dialog says %q; want the Resume button named and no command", got)
	}
}

// A write given up on while another program writes a long change says, in
// the app, to wait for that program and try again; never to run a command.
func TestABusyShopSaysToWaitForTheOtherProgram(t *testing.T) {
	err := &domain.Error{Code: domain.EUnavailable, Message: "the shop at /shop.db is busy: another program is writing a long change to it, an import or a sync",
		Remedy: domain.RemedyWaitForWriter}
	if got := errorText(err); !strings.HasSuffix(got, "; wait for that program to finish, then try again.") || strings.Contains(got, "command") {
		t.Errorf("the app says %q; want it to wait for that program, then try again", got)
	}
}
