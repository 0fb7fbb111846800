package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// shopSettingsForm changes what `microshopctl shop set` changes: the shop's
// name, the share of a new factory's deliveries held for QA and the
// yearly holding rate sourcing weighs. Before it, a maker who used only
// the desktop had the defaults for good. Only what was changed is
// written, so a setting another device changed meanwhile is not put back.
func (u *UI) shopSettingsForm() *formDialog {
	name, hold, rate := newFieldEntry(), newFieldEntry(), newFieldEntry()
	info, err := u.shop.Info(u.ctx)
	if err != nil {
		u.showError(err)
		return nil
	}
	heldNow, err := u.shop.QAHold(u.ctx)
	if err != nil {
		u.showError(err)
		return nil
	}
	rateNow, err := u.shop.HoldingRate(u.ctx)
	if err != nil {
		u.showError(err)
		return nil
	}
	name.SetText(info.Name)
	hold.SetText(strconv.Itoa(heldNow))
	rate.SetText(strconv.Itoa(rateNow))
	currency := widget.NewLabel(info.Currency)
	d := u.newFormDialog("Shop settings", "Save", []*widget.FormItem{
		{Text: "Shop name", Widget: name, HintText: "on every device of the shop, and on its paper"},
		{Text: "QA hold (%)", Widget: hold, HintText: fmt.Sprintf("of a new factory's deliveries, until QA passes; %d to %d",
			domain.MinHoldPercent, domain.MaxHoldPercent)},
		{Text: "Holding rate (%)", Widget: rate, HintText: "a year, for local vs overseas; 25 is usual"},
		{Text: "Currency", Widget: currency, HintText: "set when the shop was made"},
	}, func() error {
		in, err := settingsChanged(name, hold, rate, info.Name, heldNow, rateNow)
		if err != nil || in == (app.ShopSettings{}) {
			return err
		}
		if err := u.shop.SetShop(u.ctx, in); err != nil {
			return err
		}
		u.changed()
		return nil
	})
	d.show()
	return d
}

// settingsChanged reads the settings form, each field checked as the shop
// would, keeping only what differs from what it showed.
func settingsChanged(name, hold, rate *fieldEntry, nameWas string, holdWas, rateWas int) (app.ShopSettings, error) {
	var in app.ShopSettings
	bad := fieldErrors{}
	if n, err := domain.CleanName("shop name", name.Text); bad.add(name, err) && n != nameWas {
		in.Name = &n
	}
	if pct, err := parsePercent("QA hold", hold.Text); bad.add(hold, err) && bad.add(hold, domain.ValidateHoldPercent(pct)) && pct != holdWas {
		in.QAHold = &pct
	}
	if pct, err := parsePercent("holding rate", rate.Text); bad.add(rate, err) && bad.add(rate, domain.ValidateHoldingRate(pct)) && pct != rateWas {
		in.HoldingRate = &pct
	}
	return in, bad.orNil()
}

// parsePercent reads a whole percentage, "10" or "10 %".
func parsePercent(what, s string) (int, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if t == "" {
		return 0, domain.Errorf(domain.EInvalid, "the %s is empty; give a whole percentage", what)
	}
	n, err := strconv.Atoi(t)
	if err != nil {
		return 0, domain.Errorf(domain.EInvalid, "%q is not a %s; give a whole percentage, such as 10", strings.TrimSpace(s), what)
	}
	return n, nil
}
