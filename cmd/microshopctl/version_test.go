package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// `microshopctl --version` and `microshopctl version` print one line; with
// --json, one JSON object. A version set at build time is the one shown.
func TestVersion(t *testing.T) {
	old := version
	version = "1.4.0"
	defer func() { version = old }()
	for _, args := range [][]string{{"--version"}, {"version"}, {"--db", "/nowhere/shop.db", "--version"}} {
		r := runCLI(t, args...)
		if r.code != 0 || r.stderr != "" || r.stdout != "microshopctl 1.4.0\n" {
			t.Errorf("microshopctl %s: exit %d, stdout %q, stderr %q; want microshopctl 1.4.0", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	for _, args := range [][]string{{"--version", "--json"}, {"--json", "version"}, {"version", "--json"}} {
		r := runCLI(t, args...)
		var v obj
		decodeOne(t, r.stdout, &v)
		if r.code != 0 || v["version"] != "1.4.0" || len(v) != 1 {
			t.Errorf("microshopctl %s: exit %d, %v; want {\"version\": \"1.4.0\"}", strings.Join(args, " "), r.code, v)
		}
	}
	checkRefusal(t, runCLI(t, "version", "extra"), 2, `"extra"`)
}

func TestBuildVersion(t *testing.T) {
	rev := "0123456789abcdef0123456789abcdef01234567"
	info := func(v string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "microshop", Version: v}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	tests := []struct {
		name string
		set  string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"set with -ldflags", "1.4.0", info("v0.9.0"), true, "1.4.0"},
		{"go install of a tagged module", "", info("v1.3.2"), true, "v1.3.2"},
		{"a checkout", "", info("(devel)", "vcs.revision", rev, "vcs.modified", "false"), true, "0123456789ab"},
		{"a checkout with changes", "", info("(devel)", "vcs.revision", rev, "vcs.modified", "true"), true, "0123456789ab-modified"},
		{"no VCS information", "", info("(devel)"), true, "dev"},
		{"no build information", "", nil, false, "dev"},
	}
	for _, tt := range tests {
		if got := buildVersion(tt.set, tt.info, tt.ok); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
