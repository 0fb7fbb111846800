package locale

import (
	"bytes"
	"log"
	"testing"

	"fyne.io/fyne/v2/lang"
)

// fyneLocaleLog is what Fyne logs as it picks its translations for the
// environment, as it does when it starts.
func fyneLocaleLog(t *testing.T) string {
	t.Helper()
	defer log.SetOutput(log.Writer())
	var logged bytes.Buffer
	log.SetOutput(&logged)
	if err := lang.AddTranslationsForLocale([]byte("{}"), "en"); err != nil {
		t.Fatal(err)
	}
	return logged.String()
}

func setLocale(t *testing.T, v string) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", v)
}

// TestPlainQuietsFyne: under LANG=C.UTF-8, a bare Debian session's, Fyne
// logged "Fyne error: Error parsing user locale C".
func TestPlainQuietsFyne(t *testing.T) {
	for _, v := range []string{"C.UTF-8", "POSIX.UTF-8", "C", ""} {
		setLocale(t, v)
		Plain()
		if logged := fyneLocaleLog(t); logged != "" {
			t.Errorf("LANG=%q: Fyne logged %q", v, logged)
		}
		if got := lang.SystemLocale(); got != "en" {
			t.Errorf("LANG=%q: locale %q, want en", v, got)
		}
	}
}

// TestPlainKeepsAMakersLanguage: a real locale is left alone.
func TestPlainKeepsAMakersLanguage(t *testing.T) {
	setLocale(t, "fr_FR.UTF-8")
	Plain()
	if got := lang.SystemLocale(); got != "fr-FR" {
		t.Errorf("locale %q, want fr-FR", got)
	}
}
