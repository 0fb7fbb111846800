package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"microshop/app"
	"microshop/domain"
)

// locationFlag defines --location: where an event happens; empty means
// this device's default location.
func (f *flagSet) locationFlag() *string {
	return f.String("location", "", "where it happens, location `NAME` (default this device's, see `microshopctl location use`)")
}

// placeName names where an event of this device happened: the location
// named, or the device's default.
func placeName(ctx context.Context, s *app.Shop, name string) string {
	loc, err := s.DeviceLocation(ctx)
	if name != "" {
		loc, err = s.FindLocation(ctx, name)
	}
	if err != nil {
		return name
	}
	return loc.Name
}

type locationJSON struct {
	Name string `json:"name"`
	// Removed and Units list a removed location that still holds units
	// (brought there by a device that was apart): `location list` alone.
	Removed bool `json:"removed,omitempty"`
	Units   int  `json:"units,omitempty"`
}

func runLocationAdd(ctx context.Context, c *cli, args []string) error {
	pos, err := c.flags().parse(args, "NAME")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		loc, err := s.AddLocation(ctx, pos[0])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(locationJSON{Name: loc.Name})
		}
		c.say("Added location %s; sell from it on this device with `microshopctl location use %s`.", loc.Name, shellArg(loc.Name))
		return nil
	})
}

func runLocationList(ctx context.Context, c *cli, args []string) error {
	if _, err := c.flags().parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		locs, err := s.Locations(ctx)
		if err != nil {
			return err
		}
		here, err := s.DeviceLocation(ctx)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]locationJSON, len(locs))
			for i, l := range locs {
				out[i] = locationJSON{Name: l.Name, Removed: l.Retired, Units: l.Units}
			}
			return c.printJSON(out)
		}
		for _, l := range locs {
			mark := ""
			switch {
			case l.Retired:
				mark = fmt.Sprintf(" (removed, but %s of %s are there: `microshopctl stock --location %s` lists them, `microshopctl move` takes them out)",
					count(l.Units, "unit"), count(l.SKUs, "SKU"), shellArg(l.Name))
			case l.ID == here.ID:
				mark = " (this device)"
			}
			c.say("%s%s", l.Name, mark)
		}
		return nil
	})
}

func runLocationUse(ctx context.Context, c *cli, args []string) error {
	pos, err := c.flags().parse(args, "NAME")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		loc, err := s.UseLocation(ctx, pos[0])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(locationJSON{Name: loc.Name})
		}
		c.say("This device now sells, receives, counts and takes returns at %s.", loc.Name)
		return nil
	})
}

// renameJSON is what `location rename` prints.
type renameJSON struct {
	Name string `json:"name"`
	Was  string `json:"was"`
}

func runLocationRename(ctx context.Context, c *cli, args []string) error {
	pos, err := c.flags().parse(args, "NAME", "NEW")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		was := placeName(ctx, s, pos[0])
		loc, err := s.RenameLocation(ctx, pos[0], pos[1])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(renameJSON{Name: loc.Name, Was: was})
		}
		if loc.Name == was {
			c.say("Location %s has that name already.", loc.Name)
			return nil
		}
		c.say("Renamed location %s to %s; its units, sales and moves go with it.", was, loc.Name)
		return nil
	})
}

// removeJSON is what `location remove` prints: the location removed, and
// where this device works now.
type removeJSON struct {
	Name           string `json:"name"`
	Removed        bool   `json:"removed"`
	DeviceLocation string `json:"device_location"`
}

func runLocationRemove(ctx context.Context, c *cli, args []string) error {
	pos, err := c.flags().parse(args, "NAME")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		gone, err := s.RemoveLocation(ctx, pos[0])
		if err != nil {
			return err
		}
		here, err := s.DeviceLocation(ctx)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(removeJSON{Name: gone.Name, Removed: true, DeviceLocation: here.Name})
		}
		c.say("Removed location %s; its sales and moves keep its name, and `microshopctl location add %s` brings it back.", gone.Name, shellArg(gone.Name))
		if gone.WasDefault {
			c.say("This device sold at %s: it sells, receives and counts at %s now (`microshopctl location use NAME` chooses another).", gone.Name, here.Name)
		}
		return nil
	})
}

// moveJSON is what `move` prints.
type moveJSON struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Qty  int    `json:"qty"`
	From string `json:"from"`
	To   string `json:"to"`
	At   string `json:"at"`
}

func runMove(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	qty := f.Int("qty", 0, "`N` units moved")
	from := f.String("from", "", "the location `NAME` the units leave")
	to := f.String("to", "", "the location `NAME` they go to")
	at := f.atFlag()
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	if err := f.require("qty", "from", "to"); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		when := eventTime(s, *at)
		ids, err := s.MoveStock(ctx, app.Move{Code: pos[0], Qty: *qty, From: *from, To: *to, At: when})
		if err != nil {
			return err
		}
		sku, err := s.SKU(ctx, pos[0])
		if err != nil {
			return err
		}
		src, _ := s.FindLocation(ctx, *from)
		dst, _ := s.FindLocation(ctx, *to)
		if c.json {
			return c.printJSON(moveJSON{ID: ids[0], Code: sku.Code, Qty: *qty, From: src.Name, To: dst.Name, At: when.Format(time.RFC3339)})
		}
		c.say("Moved %d × %s from %s to %s.", *qty, sku.Code, src.Name, dst.Name)
		return nil
	})
}

// packJSON is a row of `pack`.
type packJSON struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Qty      int     `json:"qty"`
	FairRate float64 `json:"fair_rate"`
	There    int     `json:"there"`
}

func runPack(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	days := f.rangeFlag("days", 0, 1, domain.MaxFairDays, "the fair lasts `D` days")
	day := f.asOfFlag()
	to := f.String("to", "", "record the list as one move from main to location `NAME`")
	out := f.out("also write the list as a checklist to print, `FILE`.pdf")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *out.path != "" && !strings.EqualFold(filepath.Ext(*out.path), ".pdf") {
		return usagef("%s is not a .pdf file; pack writes its checklist as a PDF (give a name ending in .pdf)", *out.path)
	}
	if err := f.require("days"); err != nil {
		return err
	}
	if err := domain.ValidateFairDays(*days); err != nil {
		return err
	}
	if f.isSet("to") && f.isSet("as-of") {
		return usagef("--as-of lists what a past day's packing would have been, and --to moves stock now; give one or the other")
	}
	return c.withShop(func(s *app.Shop) error {
		lines, err := s.Pack(ctx, asOf(s, *day), *days, *to)
		if err != nil {
			return err
		}
		// The checklist first: a file that cannot be written moves nothing.
		if err := writeChecklist(ctx, s, out, lines, *days, *to); err != nil {
			return err
		}
		dest := ""
		if f.isSet("to") {
			if len(lines) > 0 {
				if err := packMove(ctx, s, lines, *to); err != nil {
					return err
				}
			}
			dest = placeName(ctx, s, *to)
		}
		return c.printPack(lines, dest)
	})
}

// writeChecklist writes the packing list as a PDF to print, when asked.
func writeChecklist(ctx context.Context, s *app.Shop, out outFile, lines []app.PackLine, days int, to string) error {
	if *out.path == "" {
		return nil
	}
	dest := "the fair"
	if to != "" {
		dest = placeName(ctx, s, to)
	}
	name := s.ShopName(ctx)
	return out.write(s, func(w io.Writer) error { return app.WritePackPDF(w, lines, days, dest, name) })
}

// packMove records a packing list as one move from main to the location.
func packMove(ctx context.Context, s *app.Shop, lines []app.PackLine, to string) error {
	moves := make([]app.Move, len(lines))
	for i, l := range lines {
		moves[i] = app.Move{Code: l.Code, Qty: l.Qty, From: domain.MainLocation, To: to}
	}
	_, err := s.MoveStock(ctx, moves...)
	return err
}

// printPack says what `pack` listed, and that it moved it to the fair's
// location, to, when that is set.
func (c *cli) printPack(lines []app.PackLine, to string) error {
	if c.json {
		rows := make([]packJSON, len(lines))
		for i, l := range lines {
			rows[i] = packJSON{Code: l.Code, Name: l.Name, Qty: l.Qty, FairRate: round(l.FairRate, 2), There: l.There}
		}
		return c.printJSON(rows)
	}
	switch {
	case len(lines) == 0 && to != "":
		c.say("Nothing to pack: %s has what the fair needs, or main has nothing to add.", to)
		return nil
	case len(lines) == 0:
		c.say("Nothing at main to pack.")
		return nil
	}
	header := []string{"CODE", "NAME", "BRING", "PER FAIR DAY"}
	if to != "" {
		header = append(header, "THERE ALREADY")
	}
	tw := c.table(header...)
	units := 0
	for _, l := range lines {
		cells := []any{l.Code, l.Name, l.Qty, fmt.Sprintf("%.2f", l.FairRate)}
		if to != "" {
			cells = append(cells, l.There)
		}
		row(tw, cells...)
		units += l.Qty
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if to != "" {
		c.say("Moved %s of %s from main to %s.", count(units, "unit"), count(len(lines), "SKU"), to)
	} else {
		// --to moves less what is at the fair's location already: said,
		// as the list printed to pack the van had read as what it moves.
		c.say("%s of %s for the fair; --to LOCATION moves them from main, less what is at LOCATION already.", count(units, "unit"), count(len(lines), "SKU"))
	}
	return nil
}
