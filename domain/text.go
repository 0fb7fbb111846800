package domain

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on the text people type. A name fits a label, a tile and a table
// column; a note or a reason says why in a sentence or a few. Both end up
// in other devices' databases and in every report, so they are bounded.
const (
	MaxNameRunes = 120 // SKU, factory and shop names
	MaxNoteRunes = 500 // notes, reasons for a pause, QA notes
	MaxIDBytes   = 128 // ids of records and events, as sync carries them
)

// ValidateText checks text that is shown to people: valid UTF-8, no control
// characters (escape codes, bells, newlines, tabs) and no invisible
// characters that reorder or break lines, at most maxRunes characters. It
// accepts what it checks as it is; CleanText is for what a person types.
func ValidateText(what, s string, maxRunes int) error {
	for i := 0; i < len(s); {
		b := s[i]
		if b >= 0x20 && b < 0x7f {
			i++
			continue
		}
		r, size := rune(b), 1
		if b >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return Errorf(EInvalid, "the %s %s is not readable text (it holds bytes that are not UTF-8); type it again", what, QuoteShort(s))
			}
		}
		if Unprintable(r) {
			return Errorf(EInvalid, "the %s %s holds the control character %U; use letters, digits, spaces and punctuation on one line", what, QuoteShort(s), r)
		}
		i += size
	}
	if len(s) > maxRunes {
		if n := utf8.RuneCountInString(s); n > maxRunes {
			return Errorf(EInvalid, "the %s %s is %d characters long; use at most %d", what, QuoteShort(s), n, maxRunes)
		}
	}
	return nil
}

// Unprintable reports whether r does something other than show a
// character: the C0 and C1 controls and DEL (a terminal reads ESC and CSI
// as commands), the line and paragraph separators, and the bidirectional
// embeddings, overrides and isolates, which make text read other than it
// is stored. Names and notes refuse them; outputs escape them.
func Unprintable(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r == 0x2028, r == 0x2029, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// CleanText is what a person typed, with the spaces around it dropped:
// "Riso Corner " is "Riso Corner", and without the invisible characters
// that text pasted from a web page or an email brings (the zero-width
// space, the word joiner, the byte order mark): "F\u200b8" would print as
// "F8" and not be found by it. Nothing else inside is changed; the joiners
// that shape scripts and emoji stay.
func CleanText(s string) string {
	if strings.ContainsAny(s, invisible) {
		s = strings.Map(func(r rune) rune {
			if strings.ContainsRune(invisible, r) {
				return -1
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

// invisible are the characters CleanText drops: they show nothing and
// mean nothing in a name or a note.
const invisible = "\u200b\u2060\ufeff"

// ValidateName checks a display name: not blank, at most MaxNameRunes
// characters of text (see ValidateText).
func ValidateName(what, name string) error {
	if strings.TrimSpace(name) == "" {
		return Errorf(EInvalid, "the %s is empty; give a name of 1 to %d characters", what, MaxNameRunes)
	}
	return ValidateText(what, name, MaxNameRunes)
}

// TidyName is a typed name as CleanText leaves it, with each run of
// spaces inside made one: "Clay  Works" is "Clay Works", one factory that
// looks like one, not two that look the same.
func TidyName(name string) string {
	name = CleanText(name)
	if !strings.Contains(name, "  ") {
		return name
	}
	return strings.Join(strings.FieldsFunc(name, func(r rune) bool { return r == ' ' }), " ")
}

// CleanName is a typed name tidied (TidyName), checked by ValidateName.
func CleanName(what, name string) (string, error) {
	name = TidyName(name)
	return name, ValidateName(what, name)
}

// ValidateNote checks a note or a reason: may be empty, at most
// MaxNoteRunes characters of text on one line.
func ValidateNote(what, note string) error { return ValidateText(what, note, MaxNoteRunes) }

// CleanNote is a typed note with the spaces around it dropped, checked by
// ValidateNote.
func CleanNote(what, note string) (string, error) {
	note = CleanText(note)
	return note, ValidateNote(what, note)
}

// ValidateID checks the id of a record or an event as sync carries it: 1
// to MaxIDBytes bytes of printable text without spaces.
func ValidateID(what, id string) error {
	if id == "" {
		return Errorf(EInvalid, "the %s is empty", what)
	}
	if len(id) > MaxIDBytes {
		return Errorf(EInvalid, "the %s %s is %d bytes long; ids are at most %d", what, QuoteShort(id), len(id), MaxIDBytes)
	}
	for i := 0; i < len(id); i++ {
		if b := id[i]; b <= ' ' || b >= 0x7f {
			// Rare: ids are ASCII. The rest is checked rune by rune.
			if ValidateText(what, id, MaxIDBytes) != nil || strings.ContainsFunc(id, unicode.IsSpace) {
				return Errorf(EInvalid, "the %s %s has a space, a control character or bytes that are not text in it; ids are printable text without spaces", what, QuoteShort(id))
			}
			return nil
		}
	}
	return nil
}

// QuoteShort quotes s for a message, escaping anything unprintable, and
// cuts it after 40 characters: a message names a value, it does not repeat
// 20,000 characters of it.
func QuoteShort(s string) string {
	const keep = 40
	n := 0
	for i := range s {
		if n == keep {
			return QuoteWhole(s[:i]) + "…"
		}
		n++
	}
	return QuoteWhole(s)
}

// QuoteWhole quotes s for a message, uncut, as Go does, but a value whose only
// escapes would be its double quotes in single quotes and as it is: a
// channel's item names have them (a print of 8" x 10"), and a maker read
// them as \".
func QuoteWhole(s string) string {
	q := strconv.Quote(s)
	if strings.Contains(s, `"`) && !strings.Contains(s, "'") && q == `"`+strings.ReplaceAll(s, `"`, `\"`)+`"` {
		return "'" + s + "'"
	}
	return q
}

// MaxHandleBytes bounds a channel's product handle: Shopify allows 255.
const MaxHandleBytes = 255

// ValidateHandle checks a product's handle on a channel: empty, or up to
// MaxHandleBytes of text without spaces.
func ValidateHandle(h string) error {
	if h == "" {
		return nil
	}
	if len(h) > MaxHandleBytes || strings.ContainsFunc(h, unicode.IsSpace) || ValidateText("handle", h, MaxHandleBytes) != nil {
		return Errorf(EInvalid, "the handle %s is not one; a handle is text without spaces, at most %d bytes", QuoteShort(h), MaxHandleBytes)
	}
	return nil
}

// JoinAnd joins items as a sentence lists them: "a", "a and b", "a, b and
// c".
func JoinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
