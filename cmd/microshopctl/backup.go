package main

import (
	"context"

	"microshop/app"
)

func runBackup(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	out := f.out("the backup `FILE` to write, best on another disk or a USB stick")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if err := f.require("out"); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		if err := out.hint(s.Backup(ctx, *out.path, *out.overwrite)); err != nil {
			return err
		}
		if c.json {
			return c.printJSON(struct {
				File string `json:"file"`
			}{*out.path})
		}
		if s.ReadOnly() != nil {
			// Restored where it is, a shop that cannot be written, the
			// restore could only fail.
			c.say("Backed up the shop to %s; `microshopctl --db PATH restore %s` makes it a shop you can change at PATH, in a folder you can write to.", *out.path, shellArg(*out.path))
			return nil
		}
		c.say("Backed up the shop to %s; restore it with `microshopctl %srestore %s`.", *out.path, dbArg(s.Path()), shellArg(*out.path))
		return nil
	})
}

// dbArg is the --db that names the shop at path in a command to run, empty
// for the default shop: a restore without it put a shop opened with --db
// back in the default shop's place instead.
func dbArg(path string) string {
	if def, err := app.DefaultPath(); err == nil && def == path {
		return ""
	}
	return "--db " + shellArg(path) + " "
}

func runRestore(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "FILE")
	if err != nil {
		return err
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	res, err := app.Restore(ctx, pos[0], path, app.Options{Location: c.loc})
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(struct {
			Shop     string `json:"shop"`
			DeviceID string `json:"device_id"`
			Changes  int64  `json:"changes"`
			KeptAs   string `json:"kept_as,omitempty"`
		}{res.ShopName, res.DeviceID, res.Changes, res.KeptAs})
	}
	c.say("Restored %q (%s) to %s; it is now a new device of the shop, so sync brings back what other devices hold and nothing is counted twice.", res.ShopName, count(res.Changes, "change"), path)
	switch {
	case res.KeptAs != "" && res.Damaged:
		c.say("The damaged shop file that was there is kept as %s, untouched.", res.KeptAs)
	case res.KeptAs != "":
		c.say("The shop that was there is kept as %s; open it with --db %s and sync it to send any sales it had not synced.", res.KeptAs, shellArg(res.KeptAs))
	}
	return nil
}
