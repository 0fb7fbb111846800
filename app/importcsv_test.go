package app

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"microshop/domain"
)

// utf16File is text as a spreadsheet's "Unicode text" saves it: UTF-16,
// little or big endian, with or without its byte-order mark.
func utf16File(text string, big, bom bool) string {
	var b []byte
	units := utf16.Encode([]rune(text))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	for _, u := range units {
		if big {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

// A file of the wrong kind is refused with what is wrong with it and what
// the import reads, in one sentence: a file separated by tabs was said to
// hold "a quote inside a field that is not quoted", a UTF-16 one "bytes
// that are not text", and a header missing one column of Etsy's "none of
// Etsy's … export one of those", not which column.
func TestAWrongFileSaysWhatIsWrongAndWhatIsRead(t *testing.T) {
	s := importShop(t)
	before := content(t, s)
	etsy := etsyHeader + "\n" + etsyRow("05/20/26", `"Mug ""blue"""`, 1, "24.00", "3001", "9001", "MUG") + "\n"
	tabs := strings.ReplaceAll(etsyHeader, ",", "\t") + "\n" +
		"05/20/26\tMug 12\" \"blue\"\tJo\t1\t24.00\n"
	for name, tc := range map[string]struct{ content, want string }{
		"tabs":                  {tabs, `f.csv is separated by tabs, not commas; the import reads comma-separated CSV, so save the file as CSV (comma-separated) and import that`},
		"UTF-16 LE":             {utf16File(etsy, false, true), `f.csv is UTF-16 text, which the import cannot read; save it as UTF-8 CSV and import that`},
		"UTF-16 BE":             {utf16File(etsy, true, true), `f.csv is UTF-16 text`},
		"UTF-16 without a mark": {utf16File(etsy, false, false), `f.csv is UTF-16 text`},
		"Etsy without Order ID": {strings.Replace(etsy, ",Order ID,", ",Order,", 1),
			`f.csv looks like an Etsy sold order items file but lacks its column "Order ID"; export the file from the channel again with all its columns`},
		"Shopify without Lineitem sku": {"Name,Created at,Lineitem quantity,Lineitem price\n#1001,2026-05-20 09:59:00 +0000,1,24.00\n",
			`f.csv looks like a Shopify orders file but lacks its column "Lineitem sku"`},
		// Far from any export: the sentence that names them all stays.
		"unknown": {"Date,Thing,Amount\n05/20/26,Mug,1\n", "f.csv has a header (line 1) that is none of Etsy's sold order items or listings, nor Shopify's orders or products; export one of those"},
	} {
		_, err := s.Import(context.Background(), ImportRequest{Path: writeFile(t, "f.csv", tc.content)})
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q; want %q", name, msg, tc.want)
		}
	}
	if content(t, s) != before {
		t.Fatal("a wrong file changed the shop")
	}
}

// A line longer than any order's is refused early, by its number and the
// limit, and nothing is written: a 200 MB file of one line took 1.1 GB
// for 6 s before its header was refused, and an item's name of 60 MB was
// imported.
func TestALineTooLongIsRefused(t *testing.T) {
	s := importShop(t)
	before := content(t, s)
	huge := strings.Repeat("x", MaxImportLine+1)
	for name, tc := range map[string]struct{ content, want string }{
		"one line": {huge, "f.csv is not a CSV file the import can read: line 1 is longer than 1 MB, more than any channel export's line; import the file the channel exported"},
		"a name": {etsyHeader + "\n" + etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG") + "\n" +
			etsyRow("05/20/26", huge, 1, "24.00", "3002", "9002", "MUG") + "\n", "line 3 is longer than 1 MB"},
		// A quoted name of many short lines is one record.
		"a name of many lines": {etsyHeader + "\n" + etsyRow("05/20/26", `"`+strings.Repeat("x\n", MaxImportLine/2+1)+`"`, 1, "24.00", "3002", "9002", "MUG") + "\n",
			"line 2 is longer than 1 MB"},
	} {
		_, err := s.Import(context.Background(), ImportRequest{Path: writeFile(t, "f.csv", tc.content)})
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q; want %q", name, msg, tc.want)
		}
	}
	if content(t, s) != before {
		t.Fatal("a file with a line too long changed the shop")
	}
}

// endless is a file of one line that never ends, counting what is read.
type endless struct{ read int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.read += len(p)
	return len(p), nil
}

// The line too long is refused as soon as it is, not once the whole file
// is in memory.
func TestALineTooLongIsRefusedBeforeTheRestIsRead(t *testing.T) {
	src := &endless{}
	r, buf := lineLimit(src, "f.csv"), make([]byte, 16*MaxImportLine) // as a file's size makes it
	var err error
	for err == nil {
		_, err = r.Read(buf)
	}
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "line 1 is longer than 1 MB") || errors.Is(err, io.EOF) {
		t.Fatalf("an endless line: %q; want refused as longer than 1 MB", msg)
	}
	if src.read > 2*MaxImportLine {
		t.Errorf("read %d bytes of an endless line; want at most %d", src.read, 2*MaxImportLine)
	}
}
