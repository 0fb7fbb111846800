package app

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// scanTools finds pdftoppm and zbarimg. Without them the scan test can
// only be skipped on a developer's machine; in CI they are installed
// (.ci/run), so there a missing tool fails the test instead of hiding it.
func scanTools(t *testing.T) (pdftoppm, zbarimg string) {
	t.Helper()
	p, err1 := exec.LookPath("pdftoppm")
	z, err2 := exec.LookPath("zbarimg")
	if err := errors.Join(err1, err2); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("pdftoppm and zbarimg are needed to read the labels back (apt-get install poppler-utils zbar-tools): %v", err)
		}
		t.Fatalf("CI must have pdftoppm and zbarimg (poppler-utils, zbar-tools): %v", err)
	}
	return p, z
}

// scanPDF renders each page of a PDF at 300 dpi, as an office printer
// would print it, and returns every barcode zbarimg reads, as
// "CODE-128:code" and "QR-Code:code", sorted. zbar reports the same linear
// code once per page however often it appears there, so a count of labels
// is a count of QR codes.
func scanPDF(t *testing.T, file string) []string {
	t.Helper()
	return scanPDFAt(t, file, 300)
}

// scanPDFAt is scanPDF rendering at dpi dots an inch.
func scanPDFAt(t *testing.T, file string, dpi int) []string {
	t.Helper()
	pdftoppm, zbarimg := scanTools(t)
	dir := t.TempDir()
	if out, err := exec.Command(pdftoppm, "-r", strconv.Itoa(dpi), "-gray", "-png", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) == 0 {
		t.Fatal("pdftoppm made no pages")
	}
	var found []string
	for _, p := range pages {
		// zbarimg exits 4 on a page without a code; the caller's count tells.
		raw, _ := exec.Command(zbarimg, "-q", p).Output()
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			if line != "" {
				found = append(found, line)
			}
		}
	}
	sort.Strings(found)
	return found
}

func TestLabelsScanOnEveryLayout(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Printery", 5, true)
	mustSKU(t, s, "MUG-BLUE", domain.PathPrint, "Printery")
	mustSKU(t, s, "CARD/2026.x_1", domain.PathPrint, "Printery")
	for _, layout := range LabelLayouts {
		t.Run(layout.Name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "labels.pdf")
			res, err := s.PrintLabels(ctx, file, false, LabelRequest{Codes: []string{"MUG-BLUE", "card/2026.x_1"}, Copies: 2, Layout: layout.Name})
			if err != nil {
				t.Fatal(err)
			}
			if res.Labels != 4 {
				t.Errorf("labels = %d, want 4", res.Labels)
			}
			scanned := scanPDF(t, file)
			if n := strings.Count(strings.Join(scanned, "\n"), "QR-Code:"); n != 4 {
				t.Errorf("read %d QR codes, want 4: %q", n, scanned)
			}
			got := slices.Compact(scanned)
			want := []string{"CODE-128:CARD/2026.x_1", "CODE-128:MUG-BLUE", "QR-Code:CARD/2026.x_1", "QR-Code:MUG-BLUE"}
			if !slices.Equal(got, want) {
				t.Errorf("scanned %q\nwant %q", got, want)
			}
		})
	}
}

func TestLabelsLongestCodeThatFitsStillScans(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Printery", 5, true)
	for _, layout := range LabelLayouts {
		// Letters whose bars differ, at the resolution its printer has: a
		// roll's thermal printer prints 203 dots an inch, an office
		// printer at least 300.
		code := strings.Repeat("ABCDEFGHJKLMNPQRSTUVWXYZ", 2)[:layout.MaxCodeChars()]
		dpi := 300
		if strings.HasPrefix(layout.Name, "roll") {
			dpi = 203
		}
		mustSKU(t, s, code, domain.PathPrint, "Printery")
		file := filepath.Join(t.TempDir(), layout.Name+".pdf")
		if _, err := s.PrintLabels(ctx, file, false, LabelRequest{Codes: []string{code}, Layout: layout.Name}); err != nil {
			t.Fatalf("%s: %v", layout.Name, err)
		}
		got := scanPDFAt(t, file, dpi)
		if !slices.Contains(got, "CODE-128:"+code) {
			t.Errorf("%s: the longest code that fits, %s, did not scan: %q", layout.Name, code, got)
		}
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLabelsRefuseACodeTooLongToScan(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Printery", 5, true)
	long := strings.Repeat("Q", 40)
	mustSKU(t, s, long, domain.PathPrint, "Printery")
	roll, _ := ParseLabelLayout("roll-57x32")
	file := filepath.Join(t.TempDir(), "labels.pdf")
	_, err := s.PrintLabels(ctx, file, false, LabelRequest{Codes: []string{long}, Layout: "roll-57x32"})
	if err == nil {
		t.Fatal("a 40-character code on a 57 mm roll was accepted")
	}
	limit := itoa(int64(roll.MaxCodeChars()))
	if !strings.Contains(err.Error(), "up to "+limit+" characters") || !strings.Contains(err.Error(), "roll-57x32") {
		t.Errorf("error %q does not name the layout and its limit of %s characters", err, limit)
	}
	if _, statErr := os.Stat(file); !os.IsNotExist(statErr) {
		t.Error("a refused label run left a file behind")
	}
}

func TestLabelsOnePerAvailableUnit(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Printery", 5, true)
	mustSKU(t, s, "PIN", domain.PathPrint, "Printery")
	mustSKU(t, s, "BADGE", domain.PathPrint, "Printery")
	if _, err := s.Count(ctx, "PIN", 5, testStart.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "PIN", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	// A kit of pins: its units are the pins themselves.
	if _, err := s.AddKit(ctx, "DUO", "Two pins", 500, []KitPartIn{{"PIN", 2}}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "labels.pdf")
	res, err := s.PrintLabels(ctx, file, false, LabelRequest{All: true, Stock: true, Layout: "a4-3x8"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Labels != 3 || res.Pages != 1 {
		t.Errorf("labels %d on %d pages, want 3 on 1 (PIN has 3 available, BADGE none, DUO is made of PINs)", res.Labels, res.Pages)
	}
	got := scanPDF(t, file)
	if n := strings.Count(strings.Join(got, "\n"), "QR-Code:PIN"); n != 3 || !slices.Contains(got, "CODE-128:PIN") {
		t.Errorf("scanned %d PIN QR codes, want 3, and its Code 128: %q", n, got)
	}
	if _, err := s.PrintLabels(ctx, filepath.Join(t.TempDir(), "none.pdf"), false, LabelRequest{Codes: []string{"BADGE"}, Stock: true}); err == nil {
		t.Error("a run with no units available made an empty file")
	}
	// A kit's --stock names it as a kit, where it said it had no units
	// while a DUO could be sold.
	if _, err := s.PrintLabels(ctx, filepath.Join(t.TempDir(), "kit.pdf"), false, LabelRequest{Codes: []string{"DUO"}, Stock: true}); err == nil ||
		!strings.Contains(err.Error(), "DUO is a kit, and a kit's units are its parts'") {
		t.Errorf("labels of a kit's stock: %v; want it named a kit, whose parts have the labels", err)
	}
}

func TestLabelsFollowTheOutputRules(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Printery", 5, true)
	mustSKU(t, s, "PIN", domain.PathPrint, "Printery")
	if _, err := s.PrintLabels(ctx, s.Path(), true, LabelRequest{Codes: []string{"PIN"}}); err == nil {
		t.Fatal("labels were written over the shop's own database")
	}
	file := filepath.Join(t.TempDir(), "labels.pdf")
	if err := os.WriteFile(file, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := s.PrintLabels(ctx, file, false, LabelRequest{Codes: []string{"PIN"}})
	if !errors.Is(err, ErrOutputExists) {
		t.Fatalf("an existing file without overwrite: %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "keep me" {
		t.Fatal("the existing file was changed")
	}
	if _, err := s.PrintLabels(ctx, file, true, LabelRequest{Codes: []string{"PIN"}}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); !strings.HasPrefix(string(b), "%PDF-") {
		t.Error("overwrite did not write a PDF")
	}
}

func TestLabelRequestsRefused(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Printery", 5, true)
	mustSKU(t, s, "PIN", domain.PathPrint, "Printery")
	dir := t.TempDir()
	for name, req := range map[string]LabelRequest{
		"unknown SKU":      {Codes: []string{"NOPE"}},
		"no SKU":           {},
		"copies and stock": {Codes: []string{"PIN"}, Copies: 2, Stock: true},
		"bad layout":       {Codes: []string{"PIN"}, Layout: "a5-2x2"},
		"too many":         {Codes: []string{"PIN"}, Copies: MaxLabels + 1},
	} {
		if _, err := s.PrintLabels(ctx, filepath.Join(dir, "x.pdf"), false, req); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused runs left files: %v", entries)
	}
}

// An archived SKU has no label, and the refusal says so: it said there was
// no such SKU and offered to add it, which its code, still taken, refuses.
func TestALabelOfAnArchivedSKUSaysItIsArchived(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Printery", 5, true)
	mustSKU(t, s, "OLD", domain.PathPrint, "Printery")
	if err := s.ArchiveSKU(ctx, "OLD"); err != nil {
		t.Fatal(err)
	}
	_, err := s.PrintLabels(ctx, filepath.Join(t.TempDir(), "x.pdf"), false, LabelRequest{Codes: []string{"old"}})
	if err == nil || !strings.Contains(err.Error(), "SKU OLD is archived") || domain.RemedyOf(err) == domain.RemedyListSKUs {
		t.Errorf("a label of archived OLD: %v, want a refusal saying OLD is archived", err)
	}
}

// A label shows the SKU's name as typed, accents and all, in Greek and
// Cyrillic too (PDF's built-in fonts printed those as dots).
func TestLabelsShowAccentedNames(t *testing.T) {
	tool := pdftotext(t)
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Printery", 5, true)
	mustSKU(t, s, "CARTE", domain.PathPrint, "Printery")
	names := map[string]string{"CARTE": "Carte d'été, crème brûlée", "KOUPA": "Κούπα ελιάς", "KRUZHKA": "Кружка синяя"}
	for code, name := range names {
		if code != "CARTE" {
			mustSKU(t, s, code, domain.PathPrint, "Printery")
		}
		if _, err := s.EditSKU(ctx, code, SKUFields{Name: ptr(name)}); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "labels.pdf")
	if _, err := s.PrintLabels(ctx, file, false, LabelRequest{Codes: []string{"CARTE", "KOUPA", "KRUZHKA"}}); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(tool, file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings.Fields(string(text)), " ")
	for _, name := range names {
		if !strings.Contains(got, name) {
			t.Errorf("the labels read %q, want %q as typed", got, name)
		}
	}
}

// A name too long for its label ends in "…" on its last line, so the cut
// shows: whole words were dropped without a sign.
func TestALabelsNameCutShort(t *testing.T) {
	pdf := newPDF(100, 100)
	pdf.SetFont(pdfFont, "B", 8)
	const width = 30
	long := "Botanical embroidery pattern pack for beginners and the curious (PDF)"
	lines := nameLines(pdf, long, width, 2)
	if len(lines) != 2 || !strings.HasSuffix(lines[1], "…") {
		t.Fatalf("%q in 2 lines of %d mm: %q, want the second ending in …", long, width, lines)
	}
	for _, l := range lines {
		if w := pdf.GetStringWidth(l); w > width {
			t.Errorf("line %q is %.1f mm wide, more than %d", l, w, width)
		}
	}
	if got := nameLines(pdf, "Moss mug", width, 2); !slices.Equal(got, []string{"Moss mug"}) {
		t.Errorf("a short name: %q, want it whole", got)
	}
}

// Two variants of one product share its name, so a label says which
// variant it is: the labels of a small and a large mug read the same,
// but for the code under the bars. On every layout, the US Letter one
// with room for a line only too, where the name gives way to it.
func TestLabelsNameTheVariant(t *testing.T) {
	tool := pdftotext(t)
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	long := strings.Replace(shopifyProductsClassic, `"Blue mug, 350 ml"`, `"Blue speckled stoneware mug with a wide handle, 350 ml"`, 1)
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "products_export.csv", long), SupplyPath: domain.PathMicrofactory, Factory: "Kiln"}); err != nil {
		t.Fatal(err)
	}
	mustSKU(t, s, "PLATE", domain.PathMicrofactory, "Kiln") // added by hand: no variant
	for _, layout := range LabelLayouts {
		file := filepath.Join(t.TempDir(), "labels.pdf")
		res, err := s.PrintLabels(ctx, file, false, LabelRequest{Codes: []string{"MUG-S", "MUG-L", "PLATE"}, Layout: layout.Name})
		if err != nil {
			t.Fatal(err)
		}
		if res.SKUs[0].Variant != "Small" || res.SKUs[1].Variant != "Large" || res.SKUs[2].Variant != "" {
			t.Errorf("%s: the labels' variants are %q, %q and %q; want Small, Large and none", layout.Name, res.SKUs[0].Variant, res.SKUs[1].Variant, res.SKUs[2].Variant)
		}
		text, err := exec.Command(tool, file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(strings.Fields(string(text)), " ")
		for _, want := range []string{"Small", "Large"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: the labels read %q, want the variant %q on its label", layout.Name, got, want)
			}
		}
	}
}

// On a label of one line the variant follows the name, which is cut
// shorter for it; a variant too long for the rest of the line is cut
// itself, the name keeping a third.
func TestALabelsVariantFitsItsLine(t *testing.T) {
	pdf := newPDF(100, 100)
	pdf.SetFont(pdfFont, "B", 8)
	const width = 40
	name := "Blue speckled stoneware mug with a wide handle"
	lines := labelLines(pdf, name, "Large", width, 1)
	if len(lines) != 1 || !strings.HasSuffix(lines[0], " · Large") || !strings.HasPrefix(lines[0], "Blue") {
		t.Fatalf("one line: %q, want the name cut short, then · Large", lines)
	}
	if w := pdf.GetStringWidth(lines[0]); w > width {
		t.Errorf("%q is %.1f mm wide, more than %d", lines[0], w, width)
	}
	if got := labelLines(pdf, name, "Large", width, 3); len(got) != 3 || got[2] != "Large" {
		t.Errorf("three lines: %q, want the name on two and Large on the third", got)
	}
	if got := labelLines(pdf, "Moss mug", "Large", width, 3); !slices.Equal(got, []string{"Moss mug", "Large"}) {
		t.Errorf("a short name: %q, want it, then Large", got)
	}
	longVariant := labelLines(pdf, name, "Extra large with matching saucer and lid", width, 1)
	if len(longVariant) != 1 || !strings.HasPrefix(longVariant[0], "Blue") || pdf.GetStringWidth(longVariant[0]) > width {
		t.Errorf("a long variant: %q, want the name's start and the line within %d mm", longVariant, width)
	}
}

// Labels of every SKU of a shop that has none say so: the refusal said
// none "has units available; give a number of copies instead", to a maker
// who had asked for copies.
func TestLabelsOfAShopWithoutSKUsSaySo(t *testing.T) {
	s, _ := mustCreate(t)
	dir := t.TempDir()
	_, err := s.PrintLabels(context.Background(), filepath.Join(dir, "x.pdf"), false, LabelRequest{All: true, Copies: 1})
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "the shop has no SKU on sale yet") {
		t.Errorf("labels of every SKU of an empty shop: %q; want it to say the shop has no SKU yet", msg)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused run left files: %v", entries)
	}
}
