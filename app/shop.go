package app

import (
	"context"
	"os"

	"microshop/domain"
)

// NewShop is what `init` asks for.
type NewShop struct {
	Name     string
	Currency string // ISO 4217 code; EUR when empty
	Device   string // a name for this device, for people
}

// ShopInfo identifies a shop and this device.
type ShopInfo struct {
	ShopID     string `json:"shop_id"`
	Name       string `json:"name"`
	Currency   string `json:"currency"`
	DeviceID   string `json:"device_id"`
	DeviceName string `json:"device_name,omitempty"`
}

// Create makes a new shop at path, with this device as its first replica.
func Create(path string, in NewShop, opts Options) (*Shop, error) {
	return create(path, in, opts, nil)
}

// create is Create with fill, when not nil, run on the new shop before it
// takes its path: a shop cut off while being filled (the demo's) is no
// shop either.
func create(path string, in NewShop, opts Options, fill func(context.Context, *Shop) error) (*Shop, error) {
	if in.Currency == "" {
		in.Currency = "EUR"
	}
	name, err := domain.CleanName("shop name", in.Name)
	if err != nil {
		return nil, err
	}
	in.Name = name
	currency, err := domain.ParseCurrency(in.Currency)
	if err != nil {
		return nil, err
	}
	in.Currency = currency
	// Made under a temporary name and moved in whole, as a join is: a
	// shop cut off half made (a power cut, a kill) is no shop, and init
	// makes it again.
	j, err := startBuild(path, creatingPath(path), "making a shop at", opts)
	if err != nil {
		return nil, err
	}
	s := j.shop
	createCut(s)
	ctx := context.Background()
	id := newID()
	err = s.write(ctx, func(t *txn) error {
		if err := setMeta(ctx, t.tx, "shop_id", id); err != nil {
			return err
		}
		if err := setMeta(ctx, t.tx, "device_name", in.Device); err != nil {
			return err
		}
		return t.setRecord("shop", id, map[string]any{
			"name": in.Name, "currency": in.Currency,
			"hold_percent": domain.DefaultHoldPercent, "handling_days": domain.DefaultHandlingDays,
		})
	})
	if err == nil {
		s.shopID = id
		err = s.makeKey(ctx) // a new shop is sealed from its first change
	}
	if err == nil && fill != nil {
		err = fill(ctx, s)
	}
	if err != nil {
		j.Abort()
		return nil, err
	}
	return j.place(ctx)
}

// createCut runs while a new shop is being made; a test makes it stop
// there, as a power cut would.
var createCut = func(*Shop) {}

// CreateReplica makes an empty replica at path of the shop an invite
// names, sealed with its key; sync fills it in. A device joining a shop
// uses StartJoin instead, which fills the replica before it takes its path.
func CreateReplica(path string, in Invite, device string, opts Options) (*Shop, error) {
	if in.Shop == "" {
		return nil, domain.Errorf(domain.EInvalid, "the shop id is empty; a replica needs the id of the shop it copies")
	}
	if err := refuseExisting(path); err != nil {
		return nil, err
	}
	s, err := open(path, opts)
	if err != nil {
		return nil, err
	}
	err = s.becomeReplica(in.Shop, device)
	if err == nil {
		err = s.setKey(context.Background(), in.Key)
	}
	if err != nil {
		s.Close()
		Remove(path)
		return nil, err
	}
	return s, nil
}

// becomeReplica makes a new, empty database a replica of shop shopID.
func (s *Shop) becomeReplica(shopID, device string) error {
	ctx := context.Background()
	tx, done, err := s.begin(ctx)
	if err != nil {
		return storeError(s.path, err)
	}
	defer done()
	defer tx.Rollback()
	if err := setMeta(ctx, tx, "device_name", device); err != nil {
		return storeError(s.path, err)
	}
	if err := setMeta(ctx, tx, "shop_id", shopID); err != nil {
		return storeError(s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return storeError(s.path, err)
	}
	s.shopID = shopID
	return nil
}

// refuseExisting refuses to create a shop where anything is already, and
// says what is there: a shop, a folder or another program's file, which is
// left untouched.
func refuseExisting(path string) error {
	kind, err := inspect(path)
	if err != nil {
		return err
	}
	switch kind {
	case kindNone:
		return nil
	case kindFolder:
		return folderError(path)
	case kindShop:
		return domain.Errorf(domain.EConflict, "there is already a shop at %s", path).With(domain.RemedyOtherShop)
	case kindOtherDB:
		return domain.Errorf(domain.EConflict, "%s is another program's database, not a Microshop shop; it is left untouched: give the path of a new file for the shop", path)
	case kindEmpty:
		return domain.Errorf(domain.EConflict, "%s is an empty file that is already there; it is left untouched: remove it, or give the path of a new file for the shop", path)
	}
	return domain.Errorf(domain.EConflict, "%s is a file that is not a Microshop shop (another program's, or a damaged shop); it is left untouched: give the path of a new file for the shop", path)
}

// Info identifies the shop and this device.
func (s *Shop) Info(ctx context.Context) (ShopInfo, error) {
	info := ShopInfo{ShopID: s.shopID, DeviceID: s.DeviceID(), Currency: "EUR"}
	err := s.db.QueryRowContext(ctx, `SELECT name, currency FROM shop WHERE id = ?`, s.shopID).Scan(&info.Name, &info.Currency)
	if err != nil && !isNoRows(err) {
		return info, storeError(s.path, err)
	}
	info.DeviceName, _ = getMeta(ctx, s.db, "device_name")
	return info, nil
}

// ShopName is the shop's name, for people; empty when it cannot be read.
func (s *Shop) ShopName(ctx context.Context) string {
	info, _ := s.Info(ctx)
	return info.Name
}

// settings are the shop-wide rules a replica follows.
type settings struct {
	holdPercent  int
	handlingDays int
}

func loadSettings(ctx context.Context, q queryer, shopID string) (settings, error) {
	st := settings{holdPercent: domain.DefaultHoldPercent, handlingDays: domain.DefaultHandlingDays}
	err := q.QueryRowContext(ctx, `SELECT hold_percent, handling_days FROM shop WHERE id = ?`, shopID).Scan(&st.holdPercent, &st.handlingDays)
	if err != nil && !isNoRows(err) {
		return st, err
	}
	if st.holdPercent < domain.MinHoldPercent || st.holdPercent > domain.MaxHoldPercent {
		st.holdPercent = domain.DefaultHoldPercent
	}
	return st, nil
}

// Remove deletes a shop's files: the database, its journal, the device
// file and the sync settings. It is for undoing a Create or CreateReplica
// that did not finish.
func Remove(path string) {
	for _, p := range shopFiles(path) {
		os.Remove(p)
	}
}
