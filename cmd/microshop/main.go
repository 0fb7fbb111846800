// Command microshop is the Microshop desktop app: it opens the shop the
// command line and microshopctl share (--db, else $MICROSHOP_DB, else the
// default database), or first run when there is none, and runs the window.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"microshop/app"
	"microshop/assets"
	_ "microshop/cmd/microshop/internal/locale" // before Fyne reads the locale
	"microshop/sync/controller"
	"microshop/sync/lan"
	"microshop/ui"
)

// appID is the app's identity for preferences and notifications; it
// matches FyneApp.toml.
const appID = "com.microshop.app"

func main() {
	limitMemory()
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "microshop:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("microshop", flag.ContinueOnError)
	db := fs.String("db", os.Getenv("MICROSHOP_DB"), "the shop database `PATH` (default $MICROSHOP_DB, or microshop/shop.db in your data directory)")
	screen := fs.String("screen", "today", fmt.Sprintf("the screen to open first: one of %v", ui.ScreenNames))
	demo := fs.Bool("demo", false, "when there is no shop at the database path, make the demo shop there and open it")
	readOnly := fs.Bool("read-only", false, "open the shop for reading only: every screen shows it, every change is refused (a shop that cannot be written opens so by itself)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := *db
	if path == "" {
		p, err := app.DefaultPath()
		if err != nil {
			return err
		}
		path = p
	}

	a := fyneapp.NewWithID(appID)
	a.SetIcon(assets.Icon)
	w := a.NewWindow("Microshop")

	opts := ui.Options{
		Path:   path,
		Screen: *screen,
		Demo: func(ctx context.Context, path string) (*app.Shop, error) {
			return app.Demo(ctx, path, 1, app.Options{})
		},
		Join:    joinShop,
		NewSync: func(s *app.Shop) ui.SyncController { return controller.New(s) },
		Nearby:  lan.Finder{},
	}
	var shop *app.Shop
	if *demo && !app.Exists(path) {
		s, err := opts.Demo(context.Background(), path)
		if err != nil {
			return err
		}
		shop = s
	} else if app.Exists(path) {
		opts.Open = func(path string) (*app.Shop, error) { return app.Open(path, app.Options{ReadOnly: *readOnly}) }
		s, err := opts.Open(path)
		if err != nil {
			opts.OpenErr = err
		} else {
			shop = s
		}
	}
	u := ui.New(a, w, shop, opts)
	// The window opens at the size it was closed at, which may not fit a
	// smaller screen than it was made on.
	a.Lifecycle().SetOnStarted(func() { u.FitScreen(screenRoom(w)) })
	ctx, stop := context.WithCancel(context.Background())
	go giveBackWhenIdle(ctx)
	stopQuitting := quitOnSignal(u)
	w.ShowAndRun()
	stopQuitting()
	stop()
	u.Close()
	if s := u.Shop(); s != nil {
		return s.Close()
	}
	return nil
}

// quitOnSignal makes Ctrl+C in the terminal that started the app, or the
// session ending (SIGTERM), quit as the menu does: the window size is
// kept and the shop closed, where killed outright neither was. The func
// it returns stops listening, once the window is gone.
func quitOnSignal(u *ui.UI) (stop func()) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		if _, ok := <-signals; ok {
			fyne.Do(u.Quit)
		}
	}()
	return func() {
		signal.Stop(signals)
		close(signals)
	}
}
