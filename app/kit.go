package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"microshop/domain"
)

// KitPartIn is a part as `kit add` names it.
type KitPartIn struct {
	Code string
	Qty  int
}

// KitView is a kit with its parts by code and how many can be sold.
type KitView struct {
	Code      string
	Name      string
	Price     domain.Money
	Parts     []KitPartIn
	Available int
	Digital   bool // every part is a download: it never runs out, and Available means nothing
	// Stock is how each part stands now, in the order of Parts: the kit's
	// Available is what the scarcest of them allows.
	Stock []KitPartStock
}

// KitPartStock is how one of a kit's parts stands: how many of it a kit
// takes and how many are available now.
type KitPartStock struct {
	Code      string
	Qty       int
	Available int
	Digital   bool // a download: it never runs out, and Available means nothing
	OnSale    bool // false when archived, or not arrived by sync: the kit cannot be sold
}

// KitPartsText is how a kit's parts read everywhere, CLI and desktop
// alike: "1 × CARD + 2 × PEN". The desktop read "1× CARD, 2× PEN".
func KitPartsText(parts []KitPartIn) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = fmt.Sprintf("%d × %s", p.Qty, p.Code)
	}
	return strings.Join(out, " + ")
}

// AddKit makes a kit: a SKU with path kit made of other SKUs (not kits) ×
// a quantity of at least 1, more than one unit of one SKU. A negative price asks for the bundle price:
// the parts' prices less 10 %.
func (s *Shop) AddKit(ctx context.Context, code, name string, price domain.Money, parts []KitPartIn) (domain.SKU, error) {
	if err := domain.ValidateCode(code); err != nil {
		return domain.SKU{}, err
	}
	name, err := domain.CleanName("kit name", name)
	if err != nil {
		return domain.SKU{}, err
	}
	var out domain.SKU
	err = s.write(ctx, func(t *txn) error {
		if price >= 0 {
			if err := t.checkMoney(&price); err != nil {
				return err
			}
			if err := domain.ValidateMoney("price", price); err != nil {
				return err
			}
		}
		if _, taken, err := codeTaken(ctx, t.tx, code, ""); err != nil {
			return err
		} else if taken {
			return domain.Errorf(domain.EConflict, "there is already a SKU with code %q; choose another code for the kit", code)
		}
		stored, err := kitPartsFor(ctx, t, code, parts)
		if err != nil {
			return err
		}
		if price < 0 {
			if price, err = bundlePrice(ctx, t, code, stored); err != nil {
				return err
			}
		}
		out = domain.SKU{ID: newID(), Code: code, Name: name, Path: domain.PathKit, Price: price}
		return t.setRecord("sku", out.ID, map[string]any{"code": code, "name": name, "path": domain.PathKit, "factory_id": "",
			"price": int64(price), "cost": int64(0), "archived": false, "parts": domain.EncodeKitParts(stored)})
	})
	return out, err
}

// CheckKitParts checks a kit's parts as typed, before the shop is asked:
// none is the kit's own code, none is named twice, and they are more than
// one unit of one SKU. Each refusal names the code, so the maker sees
// which part to change.
func CheckKitParts(kit string, parts []KitPartIn) error {
	if err := checkPartCodes(kit, parts); err != nil {
		return err
	}
	return checkKitSize(parts)
}

// checkPartCodes refuses the kit's own code among its parts, and a part
// named twice.
func checkPartCodes(kit string, parts []KitPartIn) error {
	seen := map[string]bool{}
	for _, p := range parts {
		code := strings.ToUpper(strings.TrimSpace(p.Code))
		if code == strings.ToUpper(strings.TrimSpace(kit)) {
			return domain.Errorf(domain.EInvalid, "%s is the kit itself; a kit's parts are other SKUs", p.Code)
		}
		if seen[code] {
			return domain.Errorf(domain.EInvalid, "%s is named twice among the parts; give each part once with its quantity, like %s:2", p.Code, p.Code)
		}
		seen[code] = true
	}
	return nil
}

// checkKitSize refuses a kit of one unit of one SKU, naming the part: it
// is that SKU under another code, not a bundle. Only here, where a kit is
// made or edited (see the kit parts' check in records.go).
func checkKitSize(parts []KitPartIn) error {
	if len(parts) == 1 && parts[0].Qty == 1 {
		p := strings.TrimSpace(parts[0].Code)
		return domain.Errorf(domain.EInvalid, "a kit of 1 × %s is just %s; a kit needs two parts or more, or 2 or more of one part, like %s:2", p, p, p)
	}
	return nil
}

// kitPartsFor checks parts as typed: each a SKU the shop has that is not a
// kit (nor kit, the kit's own code), once, with a quantity of at least 1,
// and more than one unit of one SKU. A part the shop lacks is named before
// the kit's size, as CheckKitParts cannot.
func kitPartsFor(ctx context.Context, t *txn, kit string, parts []KitPartIn) ([]domain.KitPart, error) {
	if err := checkPartCodes(kit, parts); err != nil {
		return nil, err
	}
	out := make([]domain.KitPart, 0, len(parts))
	for _, p := range parts {
		if p.Qty < 1 || p.Qty > domain.MaxQty {
			return nil, domain.Errorf(domain.EInvalid, "%d is not a quantity of part %s; use a whole number from 1 to %d", p.Qty, p.Code, domain.MaxQty)
		}
		r, err := findSKU(ctx, t.tx, p.Code)
		if err != nil {
			return nil, err
		}
		if r.Path == domain.PathKit {
			return nil, domain.Errorf(domain.EInvalid, "%s is a kit; a kit's parts are SKUs that are not kits", r.Code)
		}
		if r.Archived {
			return nil, domain.Errorf(domain.EConflict, "SKU %s is archived and no longer sold; unarchive it to make it part of a kit", r.Code)
		}
		out = append(out, domain.KitPart{SKUID: r.ID, Qty: p.Qty})
	}
	if err := checkKitSize(parts); err != nil {
		return nil, err
	}
	return out, domain.ValidateKitParts(out)
}

// storedParts reads a kit's parts; a kit whose parts another device wrote
// badly has none.
func storedParts(ctx context.Context, q queryer, kitID string) ([]domain.KitPart, error) {
	var raw string
	if err := q.QueryRowContext(ctx, `SELECT parts FROM skus WHERE id = ?`, kitID).Scan(&raw); err != nil {
		return nil, err
	}
	parts, err := domain.DecodeKitParts(raw)
	if err != nil {
		return nil, nil
	}
	return parts, nil
}

// sellKit expands a sale of a kit into a sale line of each part, in the
// sale's transaction: each part is checked against its own stock, and its
// line's unit price is its share of the kit's price. Every part's line
// names the first one as its Ref, so a void of any puts the whole kit
// back (VoidSale). The result names the first part's line, and the kits
// still available.
func sellKit(ctx context.Context, t *txn, kit skuRow, in Sale, at time.Time, price, off domain.Money, o *SoldBasket) (SaleResult, error) {
	res := SaleResult{Code: kit.Code, Qty: in.Qty, Price: price, Available: math.MaxInt}
	parts, rows, err := kitPartRows(ctx, t, kit)
	if err != nil {
		return res, err
	}
	for _, r := range rows {
		if r.Archived {
			return res, domain.Errorf(domain.EConflict, "kit %s cannot be sold: its part %s is archived; unarchive %s, or archive the kit", kit.Code, r.Code, r.Code)
		}
	}
	if err := kitUnitsFit(kit, in.Qty, parts, rows); err != nil {
		return res, err
	}
	currency, err := shopCurrency(ctx, t.tx, t.shop.shopID)
	if err != nil {
		return res, err
	}
	avail, scarcest, err := kitRemoval(ctx, t, kit.Code, in.Qty, parts, rows, o.Location.ID, at)
	if err != nil {
		return res, err
	}
	if scarcest != nil && !in.Force {
		return res, scarcest
	}
	res.Available = avail
	// Each part's lines carry its share of the price, and of the basket's
	// discount on the kit, so the day's takings and discounts add up over
	// the parts' lines.
	for _, run := range domain.KitRuns(price, off, listPrices(rows), partQty(parts), currency) {
		r, id := rows[run.Part], newID()
		if res.ID == "" {
			res.ID = id
		}
		if err := t.addEvent(event{Kind: kindSale, ID: id, SKUID: r.ID, At: at.UnixMilli(), Qty: in.Qty * run.Qty,
			Price: int64(run.Price), Channel: string(in.Channel), FactoryID: r.FactoryID, Ref: res.ID,
			Order: o.ID, Payment: string(orCash(in.Payment)), Location: o.Location.ID, Discount: int64(run.Off), Kit: kit.ID, KitQty: in.Qty}); err != nil {
			return res, err
		}
	}
	if res.Available == math.MaxInt { // every part a download
		res.Available, res.Digital = 0, true
	}
	return res, nil
}

// listPrices are the parts' list prices, which share a kit's price.
func listPrices(rows []skuRow) []domain.Money {
	out := make([]domain.Money, len(rows))
	for i, r := range rows {
		out[i] = r.Price
	}
	return out
}

// partQty are how many of each part a kit holds.
func partQty(parts []domain.KitPart) []int {
	out := make([]int, len(parts))
	for i, p := range parts {
		out[i] = p.Qty
	}
	return out
}

// kitRemoval checks the parts of kits of a kit before any is sold: the
// kits still available after the sale (math.MaxInt when every part is a
// download) and, when short, the shortage of the scarcest part, which
// sets the kit's available.
func kitRemoval(ctx context.Context, t *txn, kit string, kits int, parts []domain.KitPart, rows []skuRow, place string, at time.Time) (int, *ShortError, error) {
	avail := math.MaxInt
	var scarcest *ShortError
	for i, r := range rows {
		n := kits * parts[i].Qty
		if err := domain.ValidateQty(n); err != nil {
			return 0, nil, err
		}
		if r.Path == domain.PathDigital {
			continue
		}
		rem, err := checkRemoval(ctx, t, r, place, at, n, sellVerb)
		if err != nil {
			return 0, nil, err
		}
		if rem.short != nil {
			short := kitShort(kit, kits, parts[i].Qty, rem.short)
			if scarcest == nil || short.Available < scarcest.Available {
				scarcest = short
			}
		}
		avail = min(avail, floorDiv(rem.after, parts[i].Qty))
	}
	return avail, scarcest, nil
}

// kitShort is a part's shortage told as the kit's: the kits asked for,
// the kits the part's units make, and the part named. Told as the part's
// own, its quantity was the part's units, and the desktop's "sell anyway"
// sold that many kits.
func kitShort(kit string, kits, perKit int, part *ShortError) *ShortError {
	e := *part
	e.Code, e.Qty, e.Available, e.Part = kit, kits, floorDiv(part.Available, perKit), part.Code
	e.err = domain.Errorf(domain.EShort, "cannot sell %d of kit %s, which takes %d of %s: %s", kits, kit, part.Qty, part.Code, part.why)
	return &e
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// kitPartRows are a kit's parts and their SKUs.
func kitPartRows(ctx context.Context, t *txn, kit skuRow) ([]domain.KitPart, []skuRow, error) {
	parts, err := storedParts(ctx, t.tx, kit.ID)
	if err != nil {
		return nil, nil, err
	}
	if len(parts) == 0 {
		return nil, nil, domain.Errorf(domain.EConflict, "kit %s has no parts this device can read; give it its parts again", kit.Code)
	}
	rows := make([]skuRow, len(parts))
	for i, p := range parts {
		if rows[i], err = findSKUByID(ctx, t.tx, p.SKUID); err != nil {
			return nil, nil, domain.Errorf(domain.ENotFound, "a part of kit %s has not arrived on this device yet; sync, then try again", kit.Code)
		}
	}
	return parts, rows, nil
}

// kitUnitsFit refuses kits whose units of a part are more than one line
// records: it named the units (1000000000 is not a valid quantity) where
// the maker had typed 1000 kits.
func kitUnitsFit(kit skuRow, kits int, parts []domain.KitPart, rows []skuRow) error {
	for i, r := range rows {
		if units := kits * parts[i].Qty; units > domain.MaxQty {
			return domain.Errorf(domain.EInvalid, "%d of kit %s take %d units of %s, more than the %d one line records; give fewer kits at a time, up to %d",
				kits, kit.Code, units, r.Code, domain.MaxQty, domain.MaxQty/parts[i].Qty)
		}
	}
	return nil
}

// returnKit records a kit coming back as each of its parts coming back,
// with the return's reason, so a quality return counts against each part's
// factory, or a part's against the batch named (from). It returns the first
// part's return and the parts' factories.
func returnKit(ctx context.Context, t *txn, kit skuRow, in Return, at time.Time, from returnPlace) (string, []string, error) {
	parts, rows, err := returnedKitParts(ctx, t, kit, at)
	if err != nil {
		return "", nil, err
	}
	prices, qty := listPrices(rows), partQty(parts)
	// The refund was paid once, for the kit: each part carries its share,
	// as each part's sale carried its share of the price, so the margins
	// charge each part what was paid back for it and the cash box adds up.
	// An exchange paid nothing back for any part: each says so.
	if err := kitUnitsFit(kit, in.Qty, parts, rows); err != nil {
		return "", nil, err
	}
	currency, err := shopCurrency(ctx, t.tx, t.shop.shopID)
	if err != nil {
		return "", nil, err
	}
	refunds := domain.ShareByValue(in.Refund, prices, qty, currency)
	// Each part's line carries its share of the kit's price, as its sale
	// did: a return naming no refund is valued at it in the margins, where
	// the part's own average price valued a kit of 35.00 at 35.76.
	unit := domain.KitPartValues(kit.Price, prices, qty, currency)
	first, factories := newID(), make([]string, 0, len(rows))
	for i, r := range rows {
		id := first
		if i > 0 {
			id = newID()
		}
		restock := in.Restock && r.Path != domain.PathDigital
		e := event{Kind: kindReturn, ID: id, SKUID: r.ID, At: at.UnixMilli(), Qty: in.Qty * parts[i].Qty,
			Reason: string(in.Reason), Restock: restock, FactoryID: r.FactoryID, Location: from.location,
			Refund: int64(refunds[i]), NoRefund: in.NoRefund, Payment: from.payment, Kit: kit.ID, KitQty: in.Qty, Ref: first, Price: int64(unit[i])}
		if r.ID == from.batchSKU { // the faulty part, from the batch named
			e.BatchID, e.FactoryID = from.batch, from.factory
		}
		if err := t.addEvent(e); err != nil {
			return "", nil, err
		}
		factories = append(factories, e.FactoryID)
	}
	return first, factories, nil
}

// settleKits replaces each kit's row with what its parts make of it: its
// available is its scarcest part's, its status the worst of its parts',
// its cover the shortest. rows must hold the kits' parts.
func settleKits(ctx context.Context, q queryer, rows []StockRow) error {
	byID := make(map[string]int, len(rows))
	hasKit := false
	for i, r := range rows {
		byID[r.SKU.ID] = i
		hasKit = hasKit || r.SKU.Path == domain.PathKit
	}
	if !hasKit {
		return nil
	}
	for i, r := range rows {
		if r.SKU.Path != domain.PathKit {
			continue
		}
		parts, err := storedParts(ctx, q, r.SKU.ID)
		if err != nil {
			return err
		}
		rows[i].Assessment, rows[i].BlockReason = kitAssessment(parts, func(id string) (StockRow, bool) {
			j, ok := byID[id]
			if !ok {
				return StockRow{}, false
			}
			return rows[j], true
		})
	}
	return nil
}

func kitAssessment(parts []domain.KitPart, part func(id string) (StockRow, bool)) (a domain.Assessment, blockReason string) {
	var avail, qty []int
	var statuses []domain.Status
	cover := math.Inf(1)
	blocked := false
	for _, p := range parts {
		r, ok := part(p.SKUID)
		if !ok {
			// Archived, or not arrived by sync yet: the kit cannot be sold
			// (sellKit).
			return domain.Assessment{Status: domain.StatusStockout}, ""
		}
		statuses = append(statuses, r.Status)
		if r.SKU.Path == domain.PathDigital {
			continue
		}
		avail, qty = append(avail, r.Available), append(qty, p.Qty)
		cover = min(cover, r.CoverDays)
		if r.Blocked && !blocked { // a part that cannot be reordered holds the kit
			blocked, blockReason = true, r.SKU.Code+": "+r.BlockReason
		}
	}
	a = domain.Assessment{Status: domain.KitStatus(statuses), CoverDays: cover, Blocked: blocked}
	if len(avail) > 0 {
		a.Available = domain.KitAvailable(avail, qty)
		a.OnHand = a.Available
	}
	switch {
	case len(statuses) == 0:
		a.Status = domain.StatusStockout
	case len(avail) == 0: // every part a download: so is the kit
		a.Status = domain.StatusDigital
	}
	return a, blockReason
}

// kitStock is one kit's row, from its parts' reports.
func (s *Shop) kitStock(ctx context.Context, asOf AsOf, kit StockRow) ([]StockRow, error) {
	parts, err := storedParts(ctx, s.db, kit.SKU.ID)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	kit.Assessment, kit.BlockReason = kitAssessment(parts, s.partStock(ctx, asOf))
	return []StockRow{kit}, nil
}

// Kits lists the kits on sale with their parts by code.
func (s *Shop) Kits(ctx context.Context, asOf AsOf) ([]KitView, error) {
	rows, err := s.Stock(ctx, asOf, "")
	if err != nil {
		return nil, err
	}
	// Every SKU's code, archived or not: a kit names its parts by code
	// even when one of them is no longer sold.
	codes, err := idMap(ctx, s.db, `SELECT id, code FROM skus`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	byID := make(map[string]StockRow, len(rows))
	for _, r := range rows {
		byID[r.SKU.ID] = r
	}
	part := func(id string) (StockRow, bool) { r, ok := byID[id]; return r, ok && !r.SKU.Archived }
	var out []KitView
	for _, r := range rows {
		if r.SKU.Path != domain.PathKit {
			continue
		}
		v, err := s.kitView(ctx, r, codes, part)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Kit shows one kit.
func (s *Shop) Kit(ctx context.Context, code string, asOf AsOf) (KitView, error) {
	row, err := s.stockOfOne(ctx, asOf, code)
	if err != nil {
		return KitView{}, err
	}
	if row.SKU.Path != domain.PathKit {
		return KitView{}, domain.Errorf(domain.EInvalid, "%s is not a kit", row.SKU.Code)
	}
	codes, err := idMap(ctx, s.db, `SELECT id, code FROM skus`)
	if err != nil {
		return KitView{}, storeError(s.path, err)
	}
	return s.kitView(ctx, row, codes, s.partStock(ctx, asOf))
}

// kitView is the kit of row r; part gives the stock of a part on sale by
// its id.
func (s *Shop) kitView(ctx context.Context, r StockRow, codes map[string]string, part func(id string) (StockRow, bool)) (KitView, error) {
	parts, err := storedParts(ctx, s.db, r.SKU.ID)
	if err != nil {
		return KitView{}, storeError(s.path, err)
	}
	v := KitView{Code: r.SKU.Code, Name: r.SKU.Name, Price: r.SKU.Price, Available: r.Available, Digital: r.Status == domain.StatusDigital}
	for _, p := range parts {
		v.Parts = append(v.Parts, KitPartIn{Code: codes[p.SKUID], Qty: p.Qty})
		st := KitPartStock{Code: codes[p.SKUID], Qty: p.Qty}
		if pr, ok := part(p.SKUID); ok {
			st.Available, st.Digital, st.OnSale = pr.Available, pr.SKU.Path == domain.PathDigital, true
		}
		v.Stock = append(v.Stock, st)
	}
	return v, nil
}

// partStock reads the stock of one of a kit's parts by its id; a part
// not yet arrived, or no longer sold, is not there.
func (s *Shop) partStock(ctx context.Context, asOf AsOf) func(id string) (StockRow, bool) {
	return func(id string) (StockRow, bool) {
		rows, err := s.Stock(ctx, asOf, id)
		if err != nil || rows[0].SKU.Archived {
			return StockRow{}, false
		}
		return rows[0], true
	}
}

// KitFields are what a kit has of its own to change: nil leaves a field as
// it is, and nil Parts the parts.
type KitFields struct {
	Code, Name *string
	Price      *domain.Money
	Parts      []KitPartIn
}

// EditKit changes a kit's code, name, price or parts, in one write: a
// refused part leaves the name unchanged too. ref is its code or id.
func (s *Shop) EditKit(ctx context.Context, ref string, in KitFields) (domain.SKU, error) {
	var out domain.SKU
	err := s.write(ctx, func(t *txn) error {
		kit, err := findSKU(ctx, t.tx, ref)
		if err != nil {
			return err
		}
		if kit.Path != domain.PathKit {
			return domain.Errorf(domain.EInvalid, "%s is not a kit", kit.Code)
		}
		fields, err := applySKUFields(ctx, t, &kit, SKUFields{Code: in.Code, Name: in.Name, Price: in.Price})
		if err != nil {
			return err
		}
		if in.Parts != nil {
			stored, err := kitPartsFor(ctx, t, kit.Code, in.Parts)
			if err != nil {
				return err
			}
			fields["parts"] = domain.EncodeKitParts(stored)
		}
		out = kit.SKU
		if len(fields) == 0 {
			return nil
		}
		return t.setRecord("sku", kit.ID, fields)
	})
	return out, err
}

// bundlePrice is the sum of the parts' prices × quantities less 10 %. A
// sum beyond the largest amount a shop records is refused: it wrapped
// round, and the kit was refused for a negative price nobody typed.
func bundlePrice(ctx context.Context, t *txn, code string, parts []domain.KitPart) (domain.Money, error) {
	prices := make([]domain.Money, len(parts))
	qty := make([]int, len(parts))
	var sum domain.Money
	for i, p := range parts {
		r, err := findSKU(ctx, t.tx, p.SKUID)
		if err != nil {
			return 0, err
		}
		prices[i], qty[i] = r.Price, p.Qty
		line, err := domain.LineTotal(r.Price, p.Qty)
		if err == nil && domain.ValidateMoney("price", sum+line) == nil {
			sum += line
			continue
		}
		return 0, domain.Errorf(domain.EInvalid, "the parts of kit %s come to more than 9999999999999.99 at their prices, the largest amount a shop records, so it has no price of its own; give the kit's price", code)
	}
	currency, err := shopCurrency(ctx, t.tx, t.shop.shopID)
	if err != nil {
		return 0, err
	}
	return domain.BundlePrice(prices, qty, currency), nil
}

// BundleIdeasShown is how many bundle ideas Today and `kit suggest` show
// unless asked for another number: the same, so the two agree (Today
// showed 5 where `kit suggest` showed 8, and nothing said of the rest).
const BundleIdeasShown = 10

// BundleIdeas suggests pairs to sell as kits, to move overstock (DESIGN.md
// section 9): never a part that is out, needs a reorder or comes from a
// paused factory.
func (s *Shop) BundleIdeas(ctx context.Context, asOf AsOf, limit int) ([]domain.BundleIdea, error) {
	rows, err := s.Stock(ctx, asOf, "")
	if err != nil {
		return nil, err
	}
	together, err := s.boughtTogether(ctx, asOf)
	if err != nil {
		return nil, err
	}
	made, err := s.kitPairs(ctx, rows)
	if err != nil {
		return nil, err
	}
	currency, err := shopCurrency(ctx, s.db, s.shopID)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	ideas := bundleIdeas(rows, together, made, limit, currency, nil)
	firsts, err := s.partsFirstEvents(ctx, rows, ideas)
	if err != nil {
		return nil, err
	}
	if len(firsts) > 0 {
		ideas = bundleIdeas(rows, together, made, limit, currency, firsts)
	}
	return ideas, nil
}

// partsFirstEvents finds, for each part of the ideas whose window shows
// nothing before its last domain.ShortHistoryDays days (no stock, no
// sale), whether it had a ledger event before them: its first event's
// moment, by SKU id, or domain.NoEvents. A part with stock or a sale
// earlier in its window had one. The report does not know: it looks
// behind a checkpoint only for a reorder, and a download's report reads
// its window only; looking for every SKU would slow every report.
func (s *Shop) partsFirstEvents(ctx context.Context, rows []StockRow, ideas []domain.BundleIdea) (map[string]int64, error) {
	parts := make(map[string]bool, 2*len(ideas))
	for _, idea := range ideas {
		parts[idea.Over], parts[idea.With] = true, true
	}
	l := &ledger{q: s.db}
	var out map[string]int64
	for _, r := range rows {
		if !parts[r.SKU.Code] || settledBefore(r.Days) {
			continue
		}
		since := r.Days[len(r.Days)-domain.ShortHistoryDays].Start
		at, found, err := l.eventBefore(ctx, r.SKU.ID, since)
		if err != nil {
			return nil, storeError(s.path, err)
		}
		if !found {
			at = domain.NoEvents
		}
		if out == nil {
			out = map[string]int64{}
		}
		out[r.SKU.ID] = at
	}
	return out, nil
}

// settledBefore reports whether a window's days show stock or a sale
// before its last domain.ShortHistoryDays days, so an event came before
// them; a window that short says nothing.
func settledBefore(days []domain.Day) bool {
	if len(days) < domain.ShortHistoryDays {
		return true
	}
	for _, d := range days[:len(days)-domain.ShortHistoryDays] {
		if d.Active || d.Sold != 0 {
			return true
		}
	}
	return false
}

// kitPairs are the kits on sale of two parts, one of each, by their parts'
// codes: an idea they already sell is not suggested again.
func (s *Shop) kitPairs(ctx context.Context, rows []StockRow) ([][2]string, error) {
	codes := make(map[string]string, len(rows))
	for _, r := range rows {
		codes[r.SKU.ID] = r.SKU.Code
	}
	q, err := s.db.QueryContext(ctx, `SELECT parts FROM skus WHERE path = 'kit' AND NOT archived`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer q.Close()
	var out [][2]string
	for q.Next() {
		var raw string
		if err := q.Scan(&raw); err != nil {
			return nil, storeError(s.path, err)
		}
		parts, err := domain.DecodeKitParts(raw)
		if err != nil || len(parts) != 2 || parts[0].Qty != 1 || parts[1].Qty != 1 {
			continue
		}
		out = append(out, [2]string{codes[parts[0].SKUID], codes[parts[1].SKUID]})
	}
	return out, storeError(s.path, q.Err())
}

// boughtTogether counts, over the last domain.BoughtTogetherDays days, the
// orders each two SKUs were in together: the till's baskets and the
// channels' imported orders. A voided line was not bought.
func (s *Shop) boughtTogether(ctx context.Context, asOf AsOf) (domain.Together, error) {
	from := domain.AddDays(asOf.Day, 1-domain.BoughtTogetherDays).UnixMilli()
	voided, err := s.voidedSales(ctx, from, asOf.End.UnixMilli())
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.entity_id, e.order_id, k.code FROM changes e INDEXED BY events_order
			JOIN sku_keys n ON n.n = e.sku_n JOIN skus k ON k.id = n.id
		WHERE e.entity = 'sale' AND e.order_id <> '' AND e.at >= ? AND e.at < ?
		ORDER BY e.order_id`, from, asOf.End.UnixMilli())
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	together := domain.Together{}
	order, codes := "", []string(nil)
	count := func() {
		slices.Sort(codes)
		codes = slices.Compact(codes)
		for _, a := range codes {
			for _, b := range codes {
				if a != b {
					if together[a] == nil {
						together[a] = map[string]int{}
					}
					together[a][b]++
				}
			}
		}
	}
	for rows.Next() {
		var line, id, code string
		if err := rows.Scan(&line, &id, &code); err != nil {
			return nil, storeError(s.path, err)
		}
		if voided[line] {
			continue
		}
		if id != order {
			count()
			order, codes = id, codes[:0]
		}
		codes = append(codes, code)
	}
	count()
	return together, storeError(s.path, rows.Err())
}

// bundleIdeas are the ideas of the report's rows. firsts holds the first
// events looked up of SKUs whose window showed nothing before its last
// days (partsFirstEvents): those are new when it does not say otherwise.
func bundleIdeas(rows []StockRow, together domain.Together, made [][2]string, limit int, currency string, firsts map[string]int64) []domain.BundleIdea {
	in := make([]domain.BundleSKU, 0, len(rows))
	for _, r := range rows {
		first, looked := firsts[r.SKU.ID]
		in = append(in, domain.BundleSKU{Code: r.SKU.Code, Path: r.SKU.Path, Status: r.Status, Available: r.Available,
			Rate: r.Rate, MaxCover: r.SKU.MaxCover, Price: r.SKU.Price, Blocked: r.Blocked, ShortHistory: looked && domain.NewSince(first, r.Days)})
	}
	return domain.BundleIdeas(in, together, made, limit, currency)
}

// findSKUByID is the SKU with id, and only by id: a part is named by its
// id, never by a code that could name another SKU.
func findSKUByID(ctx context.Context, q queryer, id string) (skuRow, error) {
	return scanSKU(q.QueryRowContext(ctx, `SELECT `+skuColumns+skuFrom+` WHERE s.id = ?`, id))
}

// voidedSales is the sale lines dated in [from, to) that a void undid (a
// void carries its sale's moment).
func (s *Shop) voidedSales(ctx context.Context, from, to int64) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ref FROM changes WHERE entity = 'void' AND at >= ? AND at < ?`, from, to)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	voided := map[string]bool{}
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, storeError(s.path, err)
		}
		voided[ref] = true
	}
	return voided, storeError(s.path, rows.Err())
}

// kitPartNames names a kit's parts for a message: "CARD and PEN", or
// "CARD, PEN and TAG"; "its parts" when none can be read.
func kitPartNames(ctx context.Context, q queryer, kitID string) string {
	parts, err := storedParts(ctx, q, kitID)
	if err != nil || len(parts) == 0 {
		return "its parts"
	}
	codes := make([]string, 0, len(parts))
	for _, p := range parts {
		var code string
		if err := q.QueryRowContext(ctx, `SELECT code FROM skus WHERE id = ?`, p.SKUID).Scan(&code); err != nil {
			return "its parts"
		}
		codes = append(codes, code)
	}
	return domain.JoinAnd(codes)
}

// kitNotMade refuses, for a kit, what only a SKU a factory makes takes: a
// batch, a quote, a choice of source. A kit is put together from its
// parts, and each part has its own factory. done is what was asked, as
// "is not made in batches; order batches of".
func kitNotMade(ctx context.Context, q queryer, kit domain.SKU, done string) error {
	return domain.Errorf(domain.EInvalid, "%s is a kit and %s its parts %s", kit.Code, done, kitPartNames(ctx, q, kit.ID))
}

// kitFixedField names the first field in that a kit takes from its parts,
// and so cannot be given: "" when in changes only what a kit has of its
// own (code, name, price).
func kitFixedField(in SKUFields) string {
	switch {
	case in.Path != nil && *in.Path != domain.PathKit:
		return "supply path"
	case in.Factory != nil && *in.Factory != "":
		return "factory"
	case in.Cost != nil && *in.Cost != 0:
		return "cost"
	case in.LeadDays != nil:
		return "lead time"
	case in.MinCover != nil || in.MaxCover != nil:
		return "cover"
	}
	return ""
}
