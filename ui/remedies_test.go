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
