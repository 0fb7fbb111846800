// Package assets holds Microshop's bundled resources: the app icon, drawn
// as icon.svg and rendered to icon.png by `go generate ./assets`, and the
// screen icons the theme has no match for.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

//go:generate go run gen.go

//go:embed icon.png
var iconPNG []byte

//go:embed sell.svg
var sellSVG []byte

//go:embed factory.svg
var factorySVG []byte

// Icon is the app icon, 512×512.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// SellIcon is a price tag, drawn in the theme's foreground colour.
var SellIcon = theme.NewThemedResource(fyne.NewStaticResource("sell.svg", sellSVG))

// FactoryIcon is a factory, drawn in the theme's foreground colour.
var FactoryIcon = theme.NewThemedResource(fyne.NewStaticResource("factory.svg", factorySVG))
