package main

import (
	stdpng "image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// simulate needs no shop; the same seed prints the same bytes, another seed
// other figures; the JSON has CLI.md's keys, one microshop row per scale.
func TestSimulateCommand(t *testing.T) {
	args := []string{"simulate", "--skus", "20", "--days", "120", "--cover-scale", "0.5,1", "--json"}
	a, b := runCLI(t, args...), runCLI(t, args...)
	if a.code != 0 || a.stdout != b.stdout {
		t.Fatalf("two runs of one seed: exit %d, same output %v; stderr %q", a.code, a.stdout == b.stdout, a.stderr)
	}
	other := runCLI(t, append(args, "--seed", "2")...)
	if other.stdout == a.stdout {
		t.Fatal("another seed printed the same figures")
	}
	var out obj
	decodeOne(t, a.stdout, &out)
	checkKeys(t, "simulate", out, keys("seed skus days policies", ""))
	rows := out["policies"].([]any)
	if len(rows) != 4 {
		t.Fatalf("%d policy rows, want microshop ×2, monthly and rop", len(rows))
	}
	for _, r := range rows {
		p := r.(obj)
		checkKeys(t, "simulate policy", p, keys("name fill_rate stockout_days avg_units avg_value orders demanded units_lost cover_scale", ""))
		// The units lost are what the fill rate leaves of the demand.
		demanded, lost := p["demanded"].(float64), p["units_lost"].(float64)
		if fill := p["fill_rate"].(float64); demanded <= 0 || math.Abs((demanded-lost)/demanded-fill) > 0.0001 {
			t.Errorf("%v: %v demanded, %v lost, fill rate %v; want the rate to be what was not lost", p["name"], demanded, lost, fill)
		}
	}
	for bad, says := range map[string]string{
		"--skus 0": "0 SKUs", "--cover-scale 0.5,x": `"x" is not a cover scale`, "--days 5": "5 days is not a run",
		"--days 1": "1 day is not a run", "--cover-scale 1,1.5,1": "the cover scale 1 is given twice",
	} {
		r := runCLI(t, append([]string{"simulate"}, strings.Fields(bad)...)...)
		if r.code == 0 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, says) {
			t.Errorf("microshopctl simulate %s: exit %d, stderr %q; want a one-sentence refusal saying %q", bad, r.code, r.stderr, says)
		}
	}
}

// --chart draws a PNG, refuses to replace a file without --overwrite, and
// takes only .png names.
func TestSimulateChart(t *testing.T) {
	png := filepath.Join(t.TempDir(), "sim.png")
	if r := runCLI(t, "simulate", "--skus", "10", "--days", "60", "--chart", png); r.code != 0 {
		t.Fatalf("simulate --chart: exit %d, %q", r.code, r.stderr)
	}
	f, err := os.Open(png)
	if err != nil {
		t.Fatal(err)
	}
	img, err := stdpng.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() < 400 {
		t.Fatalf("the chart is not a PNG of a readable size: %v", err)
	}
	if r := runCLI(t, "simulate", "--skus", "10", "--days", "60", "--chart", png); r.code == 0 || !strings.Contains(r.stderr, "--overwrite") {
		t.Fatalf("a second chart over the first: exit %d, %q; want a refusal naming --overwrite", r.code, r.stderr)
	}
	if r := runCLI(t, "simulate", "--chart", filepath.Join(t.TempDir(), "sim.txt")); r.code != 2 {
		t.Fatalf("--chart sim.txt: exit %d, %q", r.code, r.stderr)
	}
}

// Every value simulate refuses names what it accepts: a lead spread of
// 0.3 heard "give digits like 12", which names no range.
func TestSimulateNamesWhatIsAccepted(t *testing.T) {
	for bad, says := range map[string]string{
		"--lead-spread 0.3":                  `--lead-spread "0.3" is not a whole number; give a whole percentage from 0 to 90`,
		"--lead-spread 99999999999999999999": "--lead-spread 99999999999999999999 is out of range; give a whole percentage from 0 to 90",
		"--lead-spread 91":                   "a lead spread of 91 % is not accepted; use 0 to 90",
		"--skus x":                           `--skus "x" is not a whole number; give a whole number from 1 to 5000`,
		"--skus 99999999999999999999":        "--skus 99999999999999999999 is out of range; give a whole number from 1 to 5000",
		"--days 1.5":                         `--days "1.5" is not a whole number; give a whole number from 30 to 3650`,
		"--days 99999999999999999999":        "--days 99999999999999999999 is out of range; give a whole number from 30 to 3650",
		"--seed x":                           `--seed "x" is not a whole number; give a whole number from 0 to 9223372036854775807`,
		"--seed 99999999999999999999":        "--seed 99999999999999999999 is out of range; give a whole number from 0 to 9223372036854775807",
		"--seed -1":                          "--seed -1 is negative; give a whole number from 0 to 9223372036854775807",
		"--cover-scale 11":                   `"11" is not a cover scale; give numbers from 0.1 to 10 separated by commas, like 0.5,1,1.5`,
		// Below a tenth the cover rounds to a day or none: 1e-9 ran as
		// "microshop ×1e-09".
		"--cover-scale 1e-9":   `"1e-9" is not a cover scale; give numbers from 0.1 to 10 separated by commas, like 0.5,1,1.5`,
		"--cover-scale 1,0.05": `"0.05" is not a cover scale; give numbers from 0.1 to 10 separated by commas, like 0.5,1,1.5`,
		// An empty scale is named as such: both read `"" is not a cover scale`.
		"--cover-scale=":     "--cover-scale is empty; give numbers from 0.1 to 10 separated by commas, like 0.5,1,1.5",
		"--cover-scale 1,,2": `--cover-scale "1,,2" has nothing between two commas; give numbers from 0.1 to 10 separated by commas, like 0.5,1,1.5`,
		"--cover-scale 0.5,": `--cover-scale "0.5," has nothing after its last comma; give numbers from 0.1 to 10 separated by commas, like 0.5,1,1.5`,
		// A chart tells six policies apart; 100 scales drew 100 lines in
		// six colours and ran for minutes.
		"--cover-scale 0.5,1,1.5,2,3":         "5 cover scales are too many to compare; give at most 4, like 0.5,1,1.5,2",
		"--overwrite":                         "--overwrite goes with --chart FILE: it replaces that file if it exists",
		"--skus 2 --days 30 --overwrite=true": "--overwrite goes with --chart FILE: it replaces that file if it exists",
	} {
		r := runCLI(t, append([]string{"simulate"}, strings.Fields(bad)...)...)
		if r.code == 0 || r.stdout != "" || strings.TrimSpace(r.stderr) != says {
			t.Errorf("microshopctl simulate %s: exit %d, stderr %q; want a refusal saying %q", bad, r.code, r.stderr, says)
		}
	}
}

// --overwrite without the file it replaces is refused by every command
// that writes one: it was taken without a word, and nothing was written.
func TestOverwriteNeedsItsFile(t *testing.T) {
	s := newShop(t)
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"day", "--overwrite"}, "--overwrite goes with --out FILE"},
		{[]string{"invite", "--overwrite"}, "--overwrite goes with --qr FILE"},
	} {
		checkRefusal(t, s.run(c.args...), 2, c.says)
	}
}

// A chart never goes over a shop, even one whose file is named .png and
// with --overwrite: simulate opens no shop to know its files by, so it
// refuses any database. The shop opens whole afterwards.
func TestSimulateChartSparesAShop(t *testing.T) {
	s := &testShop{t: t, db: filepath.Join(t.TempDir(), "shop.png")}
	s.ok("init", "--shop", "Pictures")
	s.ok("factory", "add", "Kiln", "--kind", "workshop", "--lead-days", "5")
	if r := s.run("simulate", "--skus", "2", "--days", "30", "--chart", s.db, "--overwrite"); r.code == 0 || !strings.Contains(r.stderr, "is a database") {
		t.Fatalf("a chart over the shop: exit %d, %q; want it refused", r.code, r.stderr)
	}
	if out := s.ok("factory", "list"); !strings.Contains(out, "Kiln") {
		t.Fatalf("the shop after a refused chart: %q", out)
	}
}

// A one-SKU run says "1 SKU", in the text and on the chart: it said "1 SKUs".
func TestSimulateOneSKUIsSingular(t *testing.T) {
	r := runCLI(t, "simulate", "--skus", "1", "--days", "30")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "1 SKU over 30 days") {
		t.Fatalf("exit %d, stdout %q; want it to start with \"1 SKU over 30 days\"", r.code, r.stdout)
	}
}

// The table says what its stockout days count: a SKU's day with none to
// sell while buyers came, added over the SKUs. The default run's monthly
// row read "1512" stockout days in a year of 365, unexplained.
func TestSimulateSaysWhatAStockoutDayIs(t *testing.T) {
	r := runCLI(t, "simulate", "--skus", "20", "--days", "120")
	want := "A stockout day is one SKU's day with none to sell while buyers came, of 2400 here (20 SKUs × 120 days); value held is at cost."
	if r.code != 0 || !strings.Contains(r.stdout, "\n"+want+"\n") {
		t.Fatalf("exit %d, stdout:\n%s\nwant the line %q", r.code, r.stdout, want)
	}
}

// A chart that cannot be written is refused before the run, not after it:
// a minute's run ended in "the folder … does not exist", and the figures
// were lost with it.
func TestSimulateRefusesItsChartBeforeRunning(t *testing.T) {
	dir := t.TempDir()
	taken := filepath.Join(dir, "taken.png")
	if err := os.WriteFile(taken, []byte("a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	for chart, says := range map[string]string{
		filepath.Join(dir, "missing", "sim.png"): "the folder " + filepath.Join(dir, "missing") + " does not exist; create it first or choose another",
		taken:                                    taken + " exists already; give another --chart, or add --overwrite to replace it",
	} {
		r := runCLI(t, "simulate", "--skus", "5000", "--days", "3650", "--cover-scale", "0.5,1,1.5,2", "--chart", chart)
		if r.code == 0 || r.stdout != "" || strings.TrimSpace(r.stderr) != says {
			t.Errorf("--chart %s: exit %d, stderr %q; want only %q, before any run", chart, r.code, r.stderr, says)
		}
	}
	if b, err := os.ReadFile(taken); err != nil || string(b) != "a picture" {
		t.Errorf("the file there: %q, %v; want it untouched", b, err)
	}
}
