package main

import (
	"context"
	"runtime/debug"
)

// buildVersion is the version to report: the one set with -ldflags, else
// the module version `go install` records, else the VCS revision `go build`
// records in a checkout (with "-modified" for uncommitted changes), else
// "dev".
func buildVersion(set string, info *debug.BuildInfo, ok bool) string {
	if set != "" {
		return set
	}
	if !ok || info == nil {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "-modified"
			}
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return rev + modified
}

// versionJSON is the shape of `version --json`.
type versionJSON struct {
	Version string `json:"version"`
}

// printVersion answers `microshopctl --version` and `microshopctl version`:
// one line, or one JSON object with --json.
func (c *cli) printVersion() error {
	info, ok := debug.ReadBuildInfo()
	v := buildVersion(version, info, ok)
	if c.json {
		return c.printJSON(versionJSON{Version: v})
	}
	c.say("microshopctl %s", v)
	return nil
}

func runVersion(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.printVersion()
}
