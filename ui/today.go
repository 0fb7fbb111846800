package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// todayScreen is the home screen: what needs action today, each item a
// click away from what it is about.
type todayScreen struct {
	u   *UI
	obj fyne.CanvasObject
	gen int

	date    *widget.Label
	summary *widget.Label
	list    *widget.List
	listBox *fyne.Container // holds list, which fitRows may replace
	empty   *fyne.Container
	steps   *firstSteps // a new shop's first steps, instead of "nothing needs action"
	items   []todayItem
	width   float32   // the list's width the rows' heights were set for
	heights []float32 // the rows' heights set, so unchanged ones cost nothing
	fit     *rowFit   // measures messages at the width
	fixed   float32   // the width of a row's icon, kind and button
	// reorderFactory is the factory of the first SKU to reorder: the
	// one the Purchase order button offers first.
	reorderFactory string
	decided        decisionCache // the bundle ideas and money-losers, read once per change
}

// todayItem is one alert with what it offers to do.
type todayItem struct {
	alert   app.Alert
	suggest int    // reorders: the suggested quantity
	action  string // the button's label
	newSKU  bool   // reorders and bundle ideas: under 14 days of history, the rate a first guess
	idea    *domain.BundleIdea
}

// message is the row's message; a row marked new says what new means, as
// the CLI's reorder and bundle idea tables do below theirs: the mark
// alone left it to be guessed.
func (it todayItem) message() string {
	if !it.newSKU {
		return it.alert.Message
	}
	note := newRateNote
	if it.alert.Kind == kindBundleIdea {
		note = fmt.Sprintf("New: a part has under %d days of history, so the rate the idea rests on is a first guess.", domain.ShortHistoryDays)
	}
	return strings.TrimSuffix(it.alert.Message, ".") + ". " + note
}

func newTodayScreen(u *UI) *todayScreen { return &todayScreen{u: u} }

func (s *todayScreen) title() string       { return "Today" }
func (s *todayScreen) icon() fyne.Resource { return theme.HomeIcon() }

func (s *todayScreen) content() fyne.CanvasObject {
	if s.obj != nil {
		return s.obj
	}
	s.date = widget.NewLabel("")
	s.summary = widget.NewLabel("")
	s.summary.Wrapping = fyne.TextWrapWord
	s.list = s.newList()
	s.listBox = container.New(todayLayout{s}, s.list)
	s.empty = container.NewCenter(container.NewVBox(
		widget.NewIcon(theme.ConfirmIcon()),
		widget.NewLabelWithStyle("Nothing needs action today.", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})))
	s.empty.Hide()
	s.steps = newFirstSteps(s.u)
	refresh := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), s.u.reload)
	po := widget.NewButtonWithIcon("Purchase order…", theme.DocumentIcon(), func() { s.u.purchaseOrderForm(s.reorderFactory) })
	s.obj = screenLayout("Today", container.NewHBox(s.date, po, refresh),
		readingBorder(container.NewVBox(s.summary, s.steps.obj), nil, nil, nil,
			container.NewStack(s.listBox, s.empty)))
	return s.obj
}

// todayLayout gives the list its room and, when its width changes, sets
// each row's height to hold its whole message.
type todayLayout struct{ s *todayScreen }

func (l todayLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.s.width {
		l.s.width = size.Width
		l.s.fitRows()
	}
	// fitRows may have put a new list in the old one's place.
	l.s.list.Move(fyne.NewPos(0, 0))
	l.s.list.Resize(size)
}

func (l todayLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// manyHeights is how many rows' heights fitRows sets on the list shown:
// each one lays the whole list out again, so setting thousands took
// minutes, and more than this go to a new list, set before it is shown.
const manyHeights = 64

// fitRows makes each row as tall as its message wrapped to the room the
// row leaves it: a cut message would hide what the alert asks.
func (s *todayScreen) fitRows() {
	if s.width <= 0 {
		return
	}
	if s.fit == nil || s.fit.room != s.messageRoom() {
		row := s.newRow().(*fyne.Container)
		s.fit = newRowFit(row.Objects[0].(*widget.Label), s.messageRoom(), row.MinSize().Height)
	}
	want := make([]float32, len(s.items))
	for i, it := range s.items {
		want[i] = s.fit.height(it.message())
	}
	s.list = setHeights(s.list, s.listBox, s.heights, want, s.fit.base, func() *widget.List { s.list = s.newList(); return s.list })
	s.heights = want
}

// rowAt is the row of a list whose rows are heights tall at offset
// (a list puts a padding between rows).
func rowAt(heights []float32, offset float32) int {
	y := float32(0)
	for i, h := range heights {
		if y+h > offset {
			return i
		}
		y += h + theme.Padding()
	}
	return max(0, len(heights)-1)
}

// offsetOf is where row starts in a list whose rows are heights tall.
func offsetOf(heights []float32, row int) float32 {
	y := float32(0)
	for _, h := range heights[:min(row, len(heights))] {
		y += h + theme.Padding()
	}
	return y
}

// messageRoom is the width a row leaves its message.
func (s *todayScreen) messageRoom() float32 {
	if s.fixed == 0 {
		row := s.newRow().(*fyne.Container)
		s.fixed = row.Objects[1].MinSize().Width + row.Objects[2].MinSize().Width + 2*theme.Padding()
	}
	return s.width - s.fixed
}

// newList is an empty list of the screen's items.
func (s *todayScreen) newList() *widget.List {
	l := widget.NewList(func() int { return len(s.items) }, s.newRow, s.updateRow)
	l.OnSelected = func(id widget.ListItemID) {
		l.UnselectAll()
		if id < len(s.items) {
			s.open(s.items[id])
		}
	}
	return l
}

func (s *todayScreen) newRow() fyne.CanvasObject {
	kind := widget.NewLabelWithStyle("Batch overdue", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	btn := widget.NewButton("Order 10000", nil)
	kindBox := container.NewGridWrap(fyne.NewSize(130, kind.MinSize().Height), kind)
	btnBox := container.NewGridWrap(fyne.NewSize(btn.MinSize().Width, btn.MinSize().Height), btn)
	// The icon and kind keep to the top of a row whose message wraps.
	left := container.NewVBox(container.NewHBox(widget.NewIcon(theme.WarningIcon()), kindBox))
	return container.NewBorder(nil, nil, left, btnBox, msg)
}

func (s *todayScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.items) {
		return
	}
	it := s.items[id]
	c := o.(*fyne.Container)
	msg := c.Objects[0].(*widget.Label)
	left := c.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container)
	btn := c.Objects[2].(*fyne.Container).Objects[0].(*widget.Button)
	left.Objects[0].(*widget.Icon).SetResource(alertIcon(it.alert.Kind))
	kind := left.Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
	title := alertTitle(it.alert.Kind)
	if it.newSKU {
		title += " · new"
	}
	kind.SetText(title)
	kind.Importance = alertImportance(it.alert.Kind)
	kind.Refresh()
	msg.SetText(it.message())
	btn.SetText(it.action)
	btn.Importance = widget.MediumImportance
	if it.alert.Kind == app.AlertReorder && it.suggest > 0 {
		btn.Importance = widget.HighImportance
	}
	btn.OnTapped = func() { s.act(it) }
	btn.Refresh()
}

func (s *todayScreen) load() {
	s.content()
	s.date.SetText(s.u.shop.Now().Format("Monday 2 January 2006"))
	s.gen++
	gen := s.gen
	s.u.run(func(ctx context.Context) (func(), error) {
		alerts, err := s.u.data.alertList(ctx)
		if err != nil {
			return nil, err
		}
		alerts = app.WithoutQualityPauses(alerts)
		rows, err := s.u.data.stock(ctx)
		if err != nil {
			return nil, err
		}
		items := todayItems(alerts, rows)
		factory := firstReorderFactory(rows)
		st, err := readSetup(ctx, s.u.shop, rows)
		if err != nil {
			return nil, err
		}
		return func() {
			if gen != s.gen {
				return
			}
			s.items = items
			s.reorderFactory = factory
			s.fitRows()
			s.steps.set(st)
			s.summary.Hidden = len(alerts) == 0 && !st.done() // the guide says it
			s.summary.SetText(summarize(alerts))
			s.empty.Hidden = len(items) > 0 || !st.done()
			s.empty.Refresh()
			s.list.Refresh()
			s.loadDecisions(gen)
		}, nil
	})
}

// loadDecisions adds the bundle ideas and the SKUs that lose money below
// the alerts, once read: they take a report of their own, and the
// alerts should not wait for it.
func (s *todayScreen) loadDecisions(gen int) {
	s.u.run(func(ctx context.Context) (func(), error) {
		more, err := s.decided.items(ctx, s.u)
		if err != nil {
			return nil, err
		}
		return func() {
			if gen != s.gen || len(more) == 0 {
				return
			}
			s.items = append(s.items, more...)
			s.summary.SetText(withDecisions(s.summary.Text, more))
			s.fitRows()
			s.empty.Hidden = true
			s.empty.Refresh()
			s.list.Refresh()
		}, nil
	})
}

func (s *todayScreen) shown() {}

// firstReorderFactory is the factory of the first SKU to reorder that is
// not paused, "" when there is none.
func firstReorderFactory(rows []app.StockRow) string {
	for _, r := range rows {
		if r.Reorder && !r.Blocked && r.SKU.Factory != "" {
			return r.SKU.Factory
		}
	}
	return ""
}

// todayItems pairs each alert with its action; reorders get the suggested
// quantity from the stock report.
func todayItems(alerts []app.Alert, rows []app.StockRow) []todayItem {
	reorders := map[string]app.StockRow{}
	for _, r := range rows {
		if r.Reorder {
			reorders[r.SKU.Code] = r
		}
	}
	items := make([]todayItem, 0, len(alerts))
	for _, a := range alerts {
		it := todayItem{alert: a, action: kindOf(a.Kind).action}
		if a.Kind == app.AlertReorder {
			r := reorders[a.Subject]
			it.newSKU = r.ShortHistory
			if n := r.SuggestedQty; n > 0 {
				it.suggest = n
				it.action = fmt.Sprintf("Order %d", n)
			}
		}
		items = append(items, it)
	}
	return items
}

// act is the item's button: a reorder opens the order form filled in,
// anything else opens what it is about.
func (s *todayScreen) act(it todayItem) {
	if it.alert.Kind == app.AlertReorder && it.suggest > 0 {
		s.u.batches.orderForm(it.alert.Subject, it.suggest)
		return
	}
	if it.alert.Kind == kindBundleIdea {
		s.u.kitForm(it.idea)
		return
	}
	if it.alert.Kind == app.AlertDelayedOrder {
		s.u.app.Clipboard().SetContent(it.alert.ToBuyer)
		s.u.inform("Message copied", "The message for the buyer of order "+it.alert.Subject+" is on the clipboard: "+it.alert.ToBuyer)
		return
	}
	s.open(it)
}

// open shows what the alert is about.
func (s *todayScreen) open(it todayItem) {
	a := it.alert
	switch a.Kind {
	case app.AlertStockout, app.AlertOversold, app.AlertLow, app.AlertReorder, app.AlertPackagingReturns, kindLosesMoney:
		s.u.openSKU(a.Subject)
	case app.AlertDuplicateCode:
		// The code names none of its SKUs: the list shows them all, to
		// open one and give it a code of its own.
		s.u.skus.filterTo(a.Subject)
		s.u.showScreen(s.u.skus)
	case app.AlertQAHold, app.AlertBatchOverdue:
		s.u.openBatch(a.Subject)
	case app.AlertFactoryPaused, app.AlertQualityReturns:
		s.u.openFactory(a.Subject)
	case app.AlertSyncConflict, app.AlertQuarantined, app.AlertClockAhead:
		s.u.showScreen(s.u.syncView)
	case app.AlertRetiredStock:
		// Each SKU's Move… takes the units out of the removed location.
		s.u.showScreen(s.u.skus)
	case app.AlertLocationRemoved:
		// The Sell screen shows main already, so choosing main in its
		// location list changed nothing and the alert stayed: the button
		// makes main this device's, and that screen chooses any other.
		s.u.write(func(ctx context.Context) func() {
			_, err := s.u.shop.UseLocation(ctx, domain.MainLocation)
			return func() {
				if err != nil {
					s.u.showError(err)
					return
				}
				s.load()
				s.u.showScreen(s.u.sell)
			}
		})
	case app.AlertCancelledOrder:
		// The sales of the order's day, where its lines are voided.
		s.u.showSalesOn(a.Day, a.Subject, s.u.sell.load)
	}
}

func summarize(alerts []app.Alert) string {
	if len(alerts) == 0 {
		return "Stock, batches, factories and sync are all in order."
	}
	counts := map[string]int{}
	for _, a := range alerts {
		counts[a.Kind]++
	}
	var parts []string
	for _, k := range alertKinds {
		if n := counts[k.kind]; n > 0 {
			parts = append(parts, plural(n, k.one, k.many))
		}
	}
	return strings.Join(parts, " · ")
}

// alertKind is how Today shows one kind of alert: its title, icon,
// colour and the button that opens what it is about.
type alertKind struct {
	kind       string
	title      string
	icon       func() fyne.Resource
	importance widget.Importance
	action     string // the button; reorders with a suggestion say "Order N"
	one, many  string // the summary's words for one such alert and for more
}

// alertKinds, in the order Today's summary counts them.
var alertKinds = []alertKind{
	{app.AlertOversold, "Oversold", theme.ErrorIcon, widget.DangerImportance, "Open SKU", "oversold", "oversold"},
	{app.AlertStockout, "Out of stock", theme.ErrorIcon, widget.DangerImportance, "Open SKU", "out of stock", "out of stock"},
	{app.AlertReorder, "Reorder", theme.WarningIcon, widget.WarningImportance, "Open SKU", "reorder", "reorders"},
	{app.AlertLow, "Low", theme.WarningIcon, widget.WarningImportance, "Open SKU", "low", "low"},
	{app.AlertQAHold, "QA hold", theme.SearchIcon, widget.MediumImportance, "Inspect", "QA hold", "QA holds"},
	{app.AlertBatchOverdue, "Batch overdue", theme.WarningIcon, widget.WarningImportance, "Open batch", "batch overdue", "batches overdue"},
	{app.AlertFactoryPaused, "Factory paused", theme.ErrorIcon, widget.DangerImportance, "Open factory", "factory paused", "factories paused"},
	{app.AlertQualityReturns, "Quality returns", theme.ErrorIcon, widget.DangerImportance, "Open factory", "factory paused for quality returns", "factories paused for quality returns"},
	{app.AlertPackagingReturns, "Packaging", theme.WarningIcon, widget.WarningImportance, "Open SKU", "SKU to pack better", "SKUs to pack better"},
	{app.AlertSyncConflict, "Sync conflict", theme.ViewRefreshIcon, widget.MediumImportance, "Review", "sync conflict", "sync conflicts"},
	{app.AlertDuplicateCode, "Same code", theme.ViewRefreshIcon, widget.MediumImportance, "Open SKU", "code on two SKUs", "codes on two SKUs"},
	{app.AlertQuarantined, "Set aside from sync", theme.WarningIcon, widget.WarningImportance, "Open Sync", "set aside from sync", "set aside from sync"},
	{app.AlertClockAhead, "Clock ahead", theme.HistoryIcon, widget.WarningImportance, "Open Sync", "clock ahead", "clocks ahead"},
	{app.AlertRetiredStock, "Removed location", theme.WarningIcon, widget.WarningImportance, "Open SKUs", "removed location holding units", "removed locations holding units"},
	{app.AlertLocationRemoved, "Location removed", theme.WarningIcon, widget.WarningImportance, "Sell at main", "location removed", "locations removed"},
	{app.AlertDelayedOrder, "Delayed order", theme.MailSendIcon, widget.WarningImportance, "Copy message", "delayed order", "delayed orders"},
	{app.AlertCancelledOrder, "Cancelled order", theme.WarningIcon, widget.WarningImportance, "Open sales", "cancelled order", "cancelled orders"},
	{kindLosesMoney, "Loses money", theme.ErrorIcon, widget.DangerImportance, "Open SKU", "SKU loses money", "SKUs lose money"},
	{kindBundleIdea, "Bundle idea", theme.ContentAddIcon, widget.SuccessImportance, "Make a kit…", "bundle idea", "bundle ideas"},
}

// kindOf is how to show an alert of kind; an unknown kind (from a newer
// version) shows as information under its own name.
func kindOf(kind string) alertKind {
	for _, k := range alertKinds {
		if k.kind == kind {
			return k
		}
	}
	return alertKind{kind: kind, title: kind, icon: theme.InfoIcon, importance: widget.MediumImportance, action: "Open"}
}

func alertTitle(kind string) string { return kindOf(kind).title }

func alertIcon(kind string) fyne.Resource { return kindOf(kind).icon() }

func alertImportance(kind string) widget.Importance { return kindOf(kind).importance }
