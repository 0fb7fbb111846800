// Command microshopctl is the headless face of Microshop: everything the
// desktop app can do to a shop, scriptable, with stable JSON output. See
// `microshopctl help`.
package main

import (
	"context"
	"os"
	"os/signal"
)

// version is this build's version, set at build time with
// -ldflags "-X main.version=1.4.0"; when empty, the module's build
// information says (see buildVersion).
var version string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
