// Command microshopctl is the headless face of Microshop: everything the
// desktop app can do to a shop, scriptable, with stable JSON output. See
// `microshopctl help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// version is this build's version, set at build time with
// -ldflags "-X main.version=1.4.0"; when empty, the module's build
// information says (see buildVersion).
var version string

func main() {
	// A service manager stops `sync --watch` with SIGTERM: it ends as
	// Ctrl+C does, saying it is offline, rather than being killed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
