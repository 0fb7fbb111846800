package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// rowFit tells how tall a label must be to show a message whole, wrapped
// at word breaks in a given width. A label finds its lines by measuring
// the text again for each break it tries: for a screen of thousands of
// alerts that took most of a second per thousand, on every reload. Here
// the lines are counted from the widths of the message's words (lines),
// and only a message with what a label would break otherwise is laid out
// in one. Heights are kept by message, so a reload measures only what
// changed.
type rowFit struct {
	room     float32 // the label's width
	wrap     float32 // the width its text wraps at
	base     float32 // a row's height: no message is laid out shorter
	first    float32 // the label's height for one line
	perLine  float32 // each further line
	space    float32
	label    *widget.Label // lays out a message the bounds leave in doubt
	heights  map[string]float32
	words    map[string]float32
	textSize float32
	style    fyne.TextStyle // the label's: bold text is wider
}

func newRowFit(label *widget.Label, room, base float32) *rowFit {
	f := &rowFit{room: room, base: base, label: label,
		heights: map[string]float32{}, words: map[string]float32{},
		textSize: theme.TextSize(), style: label.TextStyle}
	f.wrap = room - 2*theme.InnerPadding()
	label.Resize(fyne.NewSize(room, base))
	f.first = f.exact("x")
	f.perLine = f.exact("x\nx") - f.first
	f.space = f.measure(" ")
	return f
}

// height is how tall a row must be to show msg whole.
func (f *rowFit) height(msg string) float32 {
	if h, ok := f.heights[msg]; ok {
		return h
	}
	var h float32
	if lines, ok := f.lines(msg); ok {
		h = f.first + float32(lines-1)*f.perLine
	} else {
		h = f.exact(msg)
	}
	h = max(f.base, h)
	f.heights[msg] = h
	return h
}

// lines counts msg's lines as a label wraps it: each line takes the
// words that fit, the first that does not starts the next. A line's width
// is taken as its words' widths and the spaces between, each word
// measured once for all messages; where that sum comes within the text's
// shaping of the wrap, the line itself is measured. ok is false for what
// the label would break otherwise: a word wider than a line, or spaces
// other than one between words.
func (f *rowFit) lines(msg string) (int, bool) {
	words := strings.Split(msg, " ")
	for _, w := range words {
		if w == "" || strings.IndexFunc(w, unicode.IsSpace) >= 0 {
			return 0, false
		}
	}
	n := 1
	for start := 0; start < len(words); {
		width := f.word(words[start])
		if width+1 > f.wrap && !f.fits(words[start:start+1]) {
			return 0, false
		}
		end := start + 1
		for end < len(words) {
			next := width + f.space + f.word(words[end])
			if next-slack(next) > f.wrap || next+slack(next) > f.wrap && !f.fits(words[start:end+1]) {
				break
			}
			width, end = next, end+1
		}
		if end < len(words) {
			n++
		}
		start = end
	}
	return n, true
}

// slack is how far a line's measured width may be from the sum of its
// words' and spaces' widths: kerning and rounding at the spaces.
func slack(width float32) float32 { return 1 + width/200 }

func (f *rowFit) fits(words []string) bool {
	return f.measure(strings.Join(words, " ")) <= f.wrap
}

// word is the width of one word, measured once. A number (an order's,
// unique to its message) is the sum of its digits' widths, which do not
// kern: measuring 20,000 order numbers one by one took a second.
func (f *rowFit) word(w string) float32 {
	if width, ok := f.words[w]; ok {
		return width
	}
	var width float32
	if digits(w) {
		for _, d := range w {
			width += f.word(string(d))
		}
		return width
	}
	width = f.measure(w)
	if len(f.words) < maxWords {
		f.words[w] = width
	}
	return width
}

// digits reports whether w is two or more ASCII digits and nothing else.
func digits(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// maxWords bounds the words kept: a shop's messages share most of theirs.
const maxWords = 100_000

func (f *rowFit) measure(s string) float32 {
	return fyne.MeasureText(s, f.textSize, f.style).Width
}

// exact lays msg out in the label, sized once to the row's room.
func (f *rowFit) exact(msg string) float32 {
	f.label.SetText(msg)
	return f.label.MinSize().Height
}

// widthLayout gives its one object, a list, its whole room, first
// telling width the width it gets, so the list can set its rows' heights
// for it.
type widthLayout struct{ width func(float32) }

func (l widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width(size.Width)
	// changed may have put a new list in the old one's place.
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}

func (l widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// wrappedColumn lays labels that wrap one under the other, each as tall
// as its text wrapped at the column's width. A VBox asks each its height
// before it gives it the width, so a label with more lines at the new
// width was cut to its old height.
type wrappedColumn struct{}

func (wrappedColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		o.Resize(fyne.NewSize(size.Width, o.Size().Height)) // wraps its text at the width
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + theme.Padding()
	}
}

func (wrappedColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var size fyne.Size
	shown := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		size.Width = max(size.Width, m.Width)
		size.Height += m.Height
		shown++
	}
	if shown > 1 {
		size.Height += float32(shown-1) * theme.Padding()
	}
	return size
}

// setHeights gives a list's rows the heights want, where heights are
// those it was given before, and returns the list now shown. Each height
// set on a list on screen lays all of it out again, so past manyHeights
// rows changed, a new list (newList) takes them before it is shown, in
// box's first place, and opens at the row the old one showed at its top:
// the same offset is another row once the rows' heights change. A new
// list's rows of height base, its rows' own, are left as they are.
// newList must make the new list the screen's before it returns: showing
// it lays the screen out, which may fit the rows again.
func setHeights(list *widget.List, box *fyne.Container, heights, want []float32, base float32, newList func() *widget.List) *widget.List {
	changed := 0
	for i, h := range want {
		if i >= len(heights) || heights[i] != h {
			changed++
		}
	}
	if changed <= manyHeights {
		for i, h := range want {
			if i >= len(heights) || heights[i] != h {
				list.SetItemHeight(i, h)
			}
		}
		return list
	}
	top := rowAt(heights, list.GetScrollOffset())
	list = newList()
	for i, h := range want {
		if h != base {
			list.SetItemHeight(i, h) // not shown yet: nothing is laid out
		}
	}
	box.Objects[0] = list
	box.Refresh()
	list.ScrollToOffset(offsetOf(want, top))
	return list
}
