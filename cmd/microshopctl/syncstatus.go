package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"microshop/app"
	"microshop/sync/changes"
)

// conflictJSON is a row of `conflicts`. Kept and lost are the field's
// values as they are typed on the command line, so either can be given
// back to the command that sets the field: money as a decimal string,
// days as numbers, "default" for an override given up, a factory by name.
type conflictJSON struct {
	ID           string `json:"id"`
	Entity       string `json:"entity"`
	EntityID     string `json:"entity_id"`
	Subject      string `json:"subject"`
	Field        string `json:"field"`
	Kept         any    `json:"kept"`
	Lost         any    `json:"lost"`
	LostDevice   string `json:"lost_device"`
	LostDeviceID string `json:"lost_device_id"`
	At           string `json:"at"`
}

type statusJSON struct {
	DeviceID string         `json:"device_id"`
	Vector   changes.Vector `json:"vector"`
	Unsynced int64          `json:"unsynced"`
}

// typedValue is a conflict's value as it is typed on the command line.
func typedValue(v app.FieldValue) any {
	if v.Default {
		return "default"
	}
	return v.Value
}

// valueText is a conflict's value for the table: a time as the other
// tables write times, where the JSON keeps RFC 3339.
func valueText(v app.FieldValue) string { return v.Text(minuteLayout, time.DateOnly) }

// quotedText is a value of cf for a sentence that names both of its
// values: text in quotes (app.Conflict.Quoted).
func quotedText(cf app.Conflict, v app.FieldValue) string {
	return cf.Quoted(v, minuteLayout, time.DateOnly)
}

// deviceText names a device for the table: "this device" for the one the
// command runs on, as the desktop says, else its name, or its id when it
// never told its name.
func deviceText(cf app.Conflict) string {
	if cf.LostHere {
		return "this device"
	}
	if cf.LostDevice != "" {
		return cf.LostDevice
	}
	return cf.LostDeviceID
}

func runConflicts(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		list, err := s.Conflicts(ctx)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]conflictJSON, 0, len(list))
			for _, cf := range list {
				out = append(out, conflictOf(cf))
			}
			return c.printJSON(out)
		}
		if len(list) == 0 {
			c.say("No conflicts: no concurrent edit has lost.")
			return nil
		}
		tw := c.table("ID", "WHEN", "WHAT", "FIELD", "KEPT", "LOST", "LOST ON DEVICE")
		for _, cf := range list {
			row(tw, cf.ID(), cf.At.Format(minuteLayout), cf.What(), cf.FieldName(), valueText(cf.Kept), valueText(cf.Lost), deviceText(cf))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		c.say("`microshopctl conflicts undo ID` gives a field back the value that lost; `microshopctl conflicts keep ID` settles it on the value kept.")
		return nil
	})
}

func conflictOf(cf app.Conflict) conflictJSON {
	at := ""
	if !cf.At.IsZero() {
		at = cf.At.Format(time.RFC3339)
	}
	return conflictJSON{ID: cf.ID(), Entity: cf.Entity, EntityID: cf.EntityID, Subject: cf.Subject, Field: cf.Field,
		Kept: typedValue(cf.Kept), Lost: typedValue(cf.Lost), LostDevice: cf.LostDevice, LostDeviceID: cf.LostDeviceID, At: at}
}

func runConflictUndo(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "ID")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		cf, err := s.UndoConflictID(ctx, pos[0])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(conflictOf(cf))
		}
		c.say("On %s, %s is %s again, as %s set it; it was %s. Other devices take it when they sync.", cf.What(), cf.FieldName(), quotedText(cf, cf.Lost), deviceText(cf), quotedText(cf, cf.Kept))
		return nil
	})
}

func runConflictKeep(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "ID")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		cf, err := s.KeepConflictID(ctx, pos[0])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(conflictOf(cf))
		}
		c.say("On %s, %s stays %s, and %s, as %s set it, is let go; other devices settle the conflict when they sync.", cf.What(), cf.FieldName(), quotedText(cf, cf.Kept), quotedText(cf, cf.Lost), deviceText(cf))
		return nil
	})
}

// namedDevice is a device as `status` names it: its name and id, or its id
// when it never told its name.
func namedDevice(st app.SyncStatus, id string) string {
	if name := st.Names[id]; name != "" {
		return name + " (" + id + ")"
	}
	return id
}

func runStatus(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		st, err := s.Status(ctx)
		if err != nil {
			return err
		}
		if st.Vector == nil {
			st.Vector = changes.Vector{}
		}
		if c.json {
			return c.printJSON(statusJSON{DeviceID: st.DeviceID, Vector: st.Vector, Unsynced: st.Unsynced})
		}
		c.say("This device, %s: %s made here not yet synced.", namedDevice(st, st.DeviceID), count(st.Unsynced, "change"))
		origins := make([]string, 0, len(st.Vector))
		for o := range st.Vector {
			origins = append(origins, o)
		}
		slices.Sort(origins)
		tw := c.table("DEVICE", "ID", "CHANGES HELD")
		for _, o := range origins {
			who := st.Names[o]
			if who == "" {
				who = "(no name)"
			}
			if o == st.DeviceID {
				who += " (this device)"
			}
			row(tw, who, o, fmt.Sprint(st.Vector[o]))
		}
		return tw.Flush()
	})
}
