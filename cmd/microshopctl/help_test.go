package main

import (
	"regexp"
	"strings"
	"testing"
)

// flagLine is a flag in a command's help: its name and the placeholder
// that follows it, if any ("  --reason TEXT  why...").
var flagLine = regexp.MustCompile(`(?m)^  --([a-z-]+)(?: ([^ ]+))?  `)

// Every flag's help names what it takes (--reason TEXT), never the Go type
// the flag package falls back to when the usage has no `NAME` in
// backquotes (--reason string).
func TestFlagHelpNamesPlaceholders(t *testing.T) {
	goTypes := map[string]bool{"string": true, "int": true, "int64": true, "uint": true, "uint64": true,
		"float": true, "float64": true, "duration": true, "value": true}
	for _, cmd := range commands {
		r := runCLI(t, append(strings.Fields(cmd.name), "-h")...)
		lines := flagLine.FindAllStringSubmatch(r.stdout, -1)
		if len(lines) == 0 && strings.Contains(cmd.usage, "--") {
			t.Errorf("microshopctl %s -h lists no flags:\n%s", cmd.name, r.stdout)
		}
		for _, m := range lines {
			if goTypes[m[2]] {
				t.Errorf("microshopctl %s -h shows --%s %s, a Go type; want what it takes, like TEXT", cmd.name, m[1], m[2])
			}
		}
	}
}

// A flag's help does not start with its placeholder again: simulate's
// read "--cover-scale A,B,...  A,B,...: one microshop row ...".
func TestFlagHelpSaysItsPlaceholderOnce(t *testing.T) {
	for _, cmd := range commands {
		r := runCLI(t, append(strings.Fields(cmd.name), "-h")...)
		for _, line := range strings.Split(r.stdout, "\n") {
			m := flagLine.FindStringSubmatch(line)
			if m == nil || m[2] == "" {
				continue
			}
			if help := strings.TrimSpace(line[len(m[0]):]); strings.HasPrefix(help, m[2]+":") {
				t.Errorf("microshopctl %s -h: %q says its placeholder twice", cmd.name, strings.TrimSpace(line))
			}
		}
	}
}

// simulate's help gives each flag's default, as margins' --days does: it
// gave none, so a maker could not tell what a run without flags ran.
func TestSimulateHelpGivesDefaults(t *testing.T) {
	r := runCLI(t, "simulate", "-h")
	for _, want := range []string{"N SKUs in the synthetic shop (default 50)", "DAYS to simulate (default 365)",
		"the same seed gives the same run (default 1)", "PERCENT either way (default 30)", "like 0.5,1,1.5,2 (default 1)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("microshopctl simulate -h does not say %q:\n%s", want, r.stdout)
		}
	}
}

// A command's usage line names every flag its help lists: factory resume's
// --at and return's --force were in the list alone, so the line a maker
// reads first hid them.
func TestUsageLinesNameEveryFlag(t *testing.T) {
	// Flags kept only to say what to use instead.
	retired := map[string]bool{"join --relay": true, "join --token": true}
	for _, cmd := range commands {
		r := runCLI(t, append(strings.Fields(cmd.name), "-h")...)
		for _, m := range flagLine.FindAllStringSubmatch(r.stdout, -1) {
			if !retired[cmd.name+" --"+m[1]] && !regexp.MustCompile(`--`+m[1]+`\b`).MatchString(cmd.usage) {
				t.Errorf("microshopctl %s: its usage line %q does not name --%s, which its help lists", cmd.name, cmd.usage, m[1])
			}
		}
	}
}

// A command's help names every global flag it takes: --read-only, taken
// before or after any command, was left out of the list, so a maker
// reading `help margins` for a shop on a stick did not learn of it.
func TestCommandHelpNamesTheGlobalFlags(t *testing.T) {
	r := runCLI(t, "margins", "-h")
	for _, flag := range []string{"--db PATH", "--json", "--read-only"} {
		if !strings.Contains(r.stdout, flag) {
			t.Errorf("microshopctl margins -h does not name %s:\n%s", flag, r.stdout)
		}
	}
}

// return's --refund says what leaving it out means, as the desktop's
// Refund field does: the margins count the sale price as paid back, and
// the day's close takes nothing off; it said only "the AMOUNT paid back".
func TestReturnHelpSaysWhatNoRefundMeans(t *testing.T) {
	r := runCLI(t, "return", "-h")
	for _, want := range []string{"without it the margins count the sale price", "the day's close takes nothing off"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("microshopctl return -h does not say %q:\n%s", want, r.stdout)
		}
	}
}
