// Command microshop-relay runs the Microshop sync relay and manages its
// tokens; see CLI.md for the contract.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"microshop/domain"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "microshop-relay: "+domain.ErrorMessage(err))
		if domain.ErrorCode(err) == domain.EInvalid {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
