package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// questionDialog is a yes-or-no question that looks as Fyne's confirm
// dialog does and answers to the keys: Tab puts the focus on No, then
// Yes; Enter or Space takes the answer with the focus; Escape is No,
// wherever the focus is. Enter with no answer focused does nothing, so it
// cannot answer a question unread. Fyne's own buttons took Space only:
// Enter on the focused answer did nothing, and Escape, which a focused
// button swallowed, left the question open.
type questionDialog struct {
	*dialog.CustomDialog
	yes, no *answerButton
	noWrap  float32 // how wide the message is on one line
	parent  fyne.Window
}

// newQuestion asks title with message; answer runs once it closes, with
// whether Yes was taken. The answers read Yes and No until set.
func (u *UI) newQuestion(title, message string, answer func(yes bool)) *questionDialog {
	q := &questionDialog{parent: u.win}
	yes := false
	q.no = newAnswerButton("No", theme.CancelIcon(), func() { q.Hide() }, u.escape, u.handToTill)
	q.yes = newAnswerButton("Yes", theme.ConfirmIcon(), func() {
		yes = true
		q.Hide()
	}, u.escape, u.handToTill)
	q.yes.Importance = widget.HighImportance
	text := &widget.Label{Text: message, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	q.CustomDialog = dialog.NewCustomWithoutButtons(title, text, u.win)
	q.SetIcon(theme.QuestionIcon())
	q.SetButtons([]fyne.CanvasObject{q.no, q.yes})
	q.SetOnClosed(func() { answer(yes) })
	// As Fyne sizes its text dialogs: as wide as the message on one
	// line, up to 600 or nine tenths of the window.
	q.noWrap = widget.NewLabel(message).MinSize().Width + 32 + 2*theme.Padding()
	return q
}

// Show shows the question as wide as Fyne's confirm dialog would be. The
// message's height is known once it is laid out at that width: setting
// the buttons laid it out narrow, and taller.
func (q *questionDialog) Show() {
	w := min(q.noWrap, 600, q.parent.Canvas().Size().Width*0.9)
	q.Resize(fyne.NewSize(w, q.MinSize().Height))
	q.Resize(fyne.NewSize(w, q.MinSize().Height))
	q.CustomDialog.Show()
}

// SetConfirmText sets the words of the Yes answer.
func (q *questionDialog) SetConfirmText(s string) { q.yes.SetText(s) }

// SetDismissText sets the words of the No answer.
func (q *questionDialog) SetDismissText(s string) { q.no.SetText(s) }

// SetConfirmImportance colours the Yes answer.
func (q *questionDialog) SetConfirmImportance(i widget.Importance) {
	q.yes.Importance = i
	q.yes.Refresh()
}

// answerButton is an answer to a question: Enter takes it as Space does
// once it has the focus, and Escape closes the question from it. The
// characters typed while it has the focus go to onRune: over the till, a
// scan, which closes the question before its Enter comes.
type answerButton struct {
	widget.Button
	escape func()
	onRune func(rune)
}

func newAnswerButton(text string, icon fyne.Resource, tapped, escape func(), onRune func(rune)) *answerButton {
	b := &answerButton{escape: escape, onRune: onRune}
	b.Text, b.Icon, b.OnTapped = text, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *answerButton) TypedRune(r rune) { b.onRune(r) }

func (b *answerButton) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(&fyne.PointEvent{})
	case fyne.KeyEscape:
		b.escape()
	default:
		b.Button.TypedKey(k)
	}
}
