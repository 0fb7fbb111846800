package lan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The service devices hosting sync advertise, in the local domain.
const (
	service     = "_microshop._tcp"
	serviceAddr = service + ".local."
	// protocolVersion is the "v" of the TXT record: a browser lists only
	// hosts it can pair with.
	protocolVersion = "1"
)

// maxLabel is the longest DNS label, in bytes.
const maxLabel = 63

// instanceLabel is a device's name for people as one DNS label in
// presentation form: cut to 63 bytes at a character boundary, with the
// bytes DNS escapes escaped as the dns package writes them when it reads a
// message, so a question naming the instance matches it.
func instanceLabel(name string) string {
	name = strings.TrimSpace(name)
	for len(name) > maxLabel {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c < ' ' || c > '~':
			b.WriteByte('\\')
			b.WriteString(threeDigits(c))
		case strings.IndexByte(`. '@;()"\`, c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func threeDigits(c byte) string {
	return string([]byte{'0' + c/100, '0' + c/10%10, '0' + c%10})
}

// firstLabel splits a presentation-form name at its first unescaped dot.
func firstLabel(name string) (label, rest string) {
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '\\':
			i++ // the escaped byte, or the first of three digits
		case '.':
			return name[:i], name[i+1:]
		}
	}
	return name, ""
}

// unescapeLabel reads a label in presentation form back into its bytes:
// \DDD is the byte DDD, \X is X.
func unescapeLabel(label string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(label); i++ {
		c := label[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+3 < len(label) && isDigits(label[i+1:i+4]) {
			n := int(label[i+1]-'0')*100 + int(label[i+2]-'0')*10 + int(label[i+3]-'0')
			if n > 255 {
				return "", false
			}
			b.WriteByte(byte(n))
			i += 3
			continue
		}
		if i+1 >= len(label) {
			return "", false // a dangling backslash
		}
		b.WriteByte(label[i+1])
		i++
	}
	return b.String(), true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// displayName is a host's name as people may be shown it, or "" when the
// name is not one to show: empty, not UTF-8, or holding control
// characters (which could, say, fake a second line in a terminal).
func displayName(raw string) string {
	name, ok := unescapeLabel(raw)
	if !ok || !utf8.ValidString(name) {
		return ""
	}
	name = strings.TrimSpace(name)
	if name == "" || strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError }) >= 0 {
		return ""
	}
	return name
}

// hostLabel is a DNS host name made of the computer's name: letters,
// digits and hyphens only, so that it is a name every resolver takes.
func hostLabel(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
		if b.Len() >= maxLabel-len("microshop-") {
			break
		}
	}
	label := strings.Trim(b.String(), "-")
	if label == "" {
		return "microshop"
	}
	return "microshop-" + label
}
