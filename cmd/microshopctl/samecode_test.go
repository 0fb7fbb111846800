package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A code two devices each gave a SKU while apart: `sell` and `sku show`
// by it are refused, naming the code and both SKUs and saying how to
// rename one (by the id the duplicate_code alert gives), and `sales
// --code` lists both SKUs' sales, each named. Before, the code meant one
// of them unsaid: the sale took its units, and the other's sales were
// left out of the list.
func TestACodeOnTwoSKUsSaysWhichAndHowToRenameOne(t *testing.T) {
	desk := newShop(t)
	laptop := replicaOf(t, desk, "laptop")
	file := filepath.Join(t.TempDir(), "apart.msb")
	exchange := func(from, to *testShop) {
		t.Helper()
		from.ok("bundle", "export", "--out", file, "--overwrite")
		to.ok("bundle", "import", file)
	}
	exchange(desk, laptop)
	desk.ok("sku", "add", "MUG", "--name", "Mug", "--path", "digital", "--price", "12.00")
	desk.ok("sell", "MUG")
	laptop.ok("sku", "add", "MUG", "--name", "Big mug", "--path", "digital", "--price", "18.00")
	laptop.ok("sell", "MUG")
	exchange(desk, laptop)
	exchange(laptop, desk)

	for _, args := range [][]string{{"sell", "MUG"}, {"sku", "show", "mug"}} {
		r := desk.run(args...)
		if r.code == 0 || !strings.Contains(r.stderr, "MUG") || !strings.Contains(r.stderr, `"Mug"`) || !strings.Contains(r.stderr, `"Big mug"`) ||
			!strings.Contains(r.stderr, "microshopctl sku edit ID --code NEW") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want one line naming MUG, both SKUs, and how to rename one", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	names := map[string]string{}
	for _, l := range desk.objects("sales", "--code", "MUG") {
		names[l["name"].(string)] = l["price"].(string)
	}
	if len(names) != 2 || names["Mug"] != "12.00" || names["Big mug"] != "18.00" {
		t.Errorf("sales of MUG: %v; want the sale of each, named", names)
	}
	if out := desk.ok("sales", "--code", "MUG"); !strings.Contains(out, "Big mug") {
		t.Errorf("sales of MUG:\n%s\nwant each line named", out)
	}

	var alert string
	for _, a := range desk.objects("alerts") {
		if a["kind"] == "duplicate_code" {
			alert = a["message"].(string)
		}
	}
	id := regexp.MustCompile(`\(id ([0-9a-f-]+)\)`).FindStringSubmatch(alert)
	if id == nil {
		t.Fatalf("the duplicate_code alert %q gives no id to rename by", alert)
	}
	desk.ok("sku", "edit", id[1], "--code", "MUG-2")
	if got := desk.object("sku", "show", "MUG"); got["name"] == "" {
		t.Errorf("after the rename, MUG is %v", got)
	}
	desk.ok("sell", "MUG")
}
