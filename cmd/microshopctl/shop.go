package main

import (
	"context"
	"os"
	"strings"

	"microshop/app"
)

// shopJSON is the shape of `init`, `join` and `shop`.
type shopJSON struct {
	ShopID     string `json:"shop_id"`
	Name       string `json:"name"`
	Currency   string `json:"currency"`
	DeviceID   string `json:"device_id"`
	DeviceName string `json:"device_name"`
	DB         string `json:"db"`
	// ReadOnly is set when the shop can only be read here (`shop` only).
	ReadOnly bool `json:"read_only,omitempty"`
}

func newShopJSON(info app.ShopInfo, path string) shopJSON {
	return shopJSON{ShopID: info.ShopID, Name: info.Name, Currency: info.Currency,
		DeviceID: info.DeviceID, DeviceName: info.DeviceName, DB: path}
}

func runInit(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	name := f.String("shop", "", "the shop's `NAME`")
	currency := f.String("currency", "EUR", "the shop currency, a three-letter `CODE` like EUR, USD or GBP")
	device := f.String("device", "", "a `NAME` for this device, for people (default the host name)")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if err := f.require("shop"); err != nil {
		return err
	}
	if *device == "" {
		*device, _ = os.Hostname()
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	s, err := app.Create(path, app.NewShop{Name: *name, Currency: *currency, Device: *device}, app.Options{Location: c.loc})
	if err != nil {
		return err
	}
	defer s.Close()
	return c.sayShop(ctx, s, "Created shop %q (%s) in %s; this device is %s.")
}

func runShop(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		info, err := s.Info(ctx)
		if err != nil {
			return err
		}
		if c.json {
			out := newShopJSON(info, s.Path())
			out.ReadOnly = s.ReadOnly() != nil
			return c.printJSON(out)
		}
		tw := c.table("Shop", info.Name)
		row(tw, "Currency", info.Currency)
		row(tw, "Shop id", info.ShopID)
		device := info.DeviceID
		if info.DeviceName != "" {
			device += " (" + info.DeviceName + ")"
		}
		row(tw, "Device", device)
		sealed := "yes: its changes leave this device encrypted with the shop's key"
		if !s.Sealed() {
			sealed = "no: `microshopctl shop seal` seals it"
		}
		row(tw, "Sealed", sealed)
		row(tw, "Database", s.Path())
		if err := s.ReadOnly(); err != nil {
			row(tw, "Read-only", "yes: "+errorText(err))
		}
		return tw.Flush()
	})
}

func runDemo(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	seed := f.seedFlag("seed", 1, "`N` picks one of many believable shops; the same seed makes the same shop")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if err := checkSeed("seed", *seed); err != nil {
		return err
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	s, err := app.Demo(ctx, path, *seed, app.Options{Location: c.loc})
	if err != nil {
		return err
	}
	defer s.Close()
	info, err := s.Info(ctx)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(newShopJSON(info, path))
	}
	c.say("Created the demo shop %q in %s with 90 days of history; try `microshopctl alerts`.", info.Name, path)
	return nil
}

// sayShop tells what a command that made a shop made: the shop as JSON, or
// format filled with its name, currency, path and this device's id.
func (c *cli) sayShop(ctx context.Context, s *app.Shop, format string) error {
	info, err := s.Info(ctx)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(newShopJSON(info, s.Path()))
	}
	c.say(format, info.Name, info.Currency, s.Path(), info.DeviceID)
	return nil
}

// literal is s as it reads inside a format string.
func literal(s string) string { return strings.ReplaceAll(s, "%", "%%") }
