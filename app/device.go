package app

import (
	"context"
	"encoding/json"
	"strings"
	"unicode"

	"microshop/sync/changes"
)

// deviceEntity is the record a device writes about itself, so the other
// devices of the shop can name it (in conflicts, say) by the name given at
// init or join, not by its id. Its one field, "name", is kept only as field
// versions: there is no table to fill, and a build that does not know the
// entity keeps it in the log and forwards it.
const deviceEntity = "device"

// deviceFields are the fields a device record has. It has no table of its
// own: its name is read from its field versions (deviceNames).
var deviceFields = map[string]columnKind{"name": textColumn}

// maxDeviceName is the longest device name shown; a longer one, from a
// device that does not check it, is not shown at all.
const maxDeviceName = 100

// announceDevice adds this device's name to the first write it makes under
// its id (at init, after join, after a copied database took a new id), in
// the same transaction, so any peer holding one of its changes past it
// also learns its name. It reports whether the name is known to be written.
func (t *txn) announceDevice() (bool, error) {
	if len(t.made) == 0 || t.shop.named.Load() {
		return false, nil
	}
	return t.nameDevice()
}

// nameDevice writes this device's name under its id, unless it holds it
// there already. It reports whether the name is known to be written.
func (t *txn) nameDevice() (bool, error) {
	s := t.shop
	name, err := getMeta(t.ctx, t.tx, "device_name")
	if err != nil {
		return false, storeError(s.path, err)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return true, nil // nothing to tell; the id stands for it
	}
	stamp, value, err := fieldWinner(t.ctx, t.tx, deviceEntity, s.DeviceID(), "name")
	if err != nil {
		return false, storeError(s.path, err)
	}
	if st, err := changes.ParseStamp(stamp); err == nil && st.Device == s.DeviceID() && deviceName(value) == name {
		return true, nil
	}
	return true, t.setRecord(deviceEntity, s.DeviceID(), map[string]any{"name": name})
}

// deviceName is a device record's name value, or "" when it is not one to
// show: not a JSON string, empty, too long, or holding control characters.
func deviceName(raw []byte) string {
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		return ""
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > maxDeviceName || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return ""
	}
	return name
}

// deviceNames maps device ids to the names they gave themselves. A name
// counts only when the device itself wrote it (the stamp carries the
// writer's id), so no device can rename another.
func deviceNames(ctx context.Context, q queryer) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT entity_id, stamp, value FROM field_versions
		WHERE entity = ? AND field = 'name' ORDER BY entity_id, stamp`, deviceEntity)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var id, stamp string
		var value []byte
		if err := rows.Scan(&id, &stamp, &value); err != nil {
			return nil, err
		}
		st, err := changes.ParseStamp(stamp)
		if err != nil || st.Device != id {
			continue
		}
		if name := deviceName(value); name != "" {
			names[id] = name // the latest stamp comes last
		}
	}
	return names, rows.Err()
}
