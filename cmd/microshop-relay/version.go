package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release this binary is, set when building one:
//
//	go build -ldflags "-X main.version=1.4.0" ./cmd/microshop-relay
//
// Without it, versionLine falls back to what the Go toolchain recorded.
var version = ""

// versionLine is what --version prints: the release, else the module
// version and commit the toolchain stamped, else "dev"; then the Go release.
func versionLine() string {
	v := version
	var rev string
	dirty := false
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	extra := []string{runtime.Version()}
	// A pseudo-version already names its commit.
	if rev != "" && !strings.Contains(v, rev) {
		if dirty {
			rev += "-dirty"
		}
		extra = append(extra, "commit "+rev)
	}
	return "microshop-relay " + v + " (" + strings.Join(extra, ", ") + ")"
}
