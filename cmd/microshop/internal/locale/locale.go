// Package locale gives Fyne the English it falls back to anyway when the
// system's locale is C or POSIX with a character set, as C.UTF-8, the
// default of a bare Debian session. Fyne takes that "C" for a language,
// fails to parse it, and logged "Fyne error: Error parsing user locale C"
// at every start, which read as if the app were broken.
//
// Fyne reads the locale in its lang package's init, before main runs, so
// this is done in an init too, one that runs first: Go initializes the
// packages that are ready in the order of their import paths, and this
// one is ready (it needs os and strings alone) before lang's imports are,
// text/template among them, which sorts after it.
package locale

import (
	"os"
	"strings"
)

func init() { Plain() }

// Plain sets LANGUAGE to English when the locale is C or POSIX, the
// variable least felt elsewhere: gettext ignores it under the C locale.
func Plain() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(env)
		if v == "" {
			continue
		}
		if lang, _, _ := strings.Cut(v, "."); lang == "C" || lang == "POSIX" {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
