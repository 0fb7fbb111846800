// Command microshopctl is the headless face of Microshop: everything the
// desktop app can do to a shop, scriptable, with stable JSON output. See
// `microshopctl help`.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
