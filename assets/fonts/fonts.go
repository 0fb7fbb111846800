// Package fonts holds the typeface Microshop's PDFs are set in: Noto Sans,
// regular and bold (SIL Open Font License, LICENSE-NotoSans.txt), the
// face Fyne's own theme ships. A PDF's built-in fonts know only Western
// European letters, so a name in Greek or Cyrillic printed as dots.
package fonts

import _ "embed"

// NotoSansRegular and NotoSansBold are the TrueType files.
var (
	//go:embed NotoSans-Regular.ttf
	NotoSansRegular []byte
	//go:embed NotoSans-Bold.ttf
	NotoSansBold []byte
)
