package main

import (
	"fmt"
	"io"
	"unicode/utf8"

	"microshop/domain"
)

// safeWriter keeps what the shop holds from driving the terminal: a name
// another device wrote, or one typed before names were checked, may hold
// escape codes, and printing them raw would let that text recolour, move
// or retitle the terminal. Control characters other than newline and tab,
// the C1 controls, line separators, bidirectional overrides and bytes that
// are not UTF-8 are written as escapes instead (\u001b, \xff). In JSON
// those can only sit inside strings, where \u001b means the same, so the
// document stays valid and equal.
type safeWriter struct{ w io.Writer }

func (s safeWriter) Write(p []byte) (int, error) {
	clean := true
	for _, b := range p {
		if b < 0x20 && b != '\n' && b != '\t' || b >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s.w.Write(p)
	}
	out := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = fmt.Appendf(out, `\x%02x`, p[i])
		case r == '\n' || r == '\t':
			out = append(out, p[i])
		case domain.Unprintable(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, p[i:i+size]...)
		}
		i += size
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
