package app

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"microshop/domain"
)

// Import formats: the channels' own export files (DESIGN.md section 7).
const (
	FormatEtsyOrders      = "etsy-orders"
	FormatEtsyListings    = "etsy-listings"
	FormatShopifyOrders   = "shopify-orders"
	FormatShopifyProducts = "shopify-products"
)

// ImportFormats are the formats import knows, auto first.
var ImportFormats = []string{"auto", FormatEtsyOrders, FormatEtsyListings, FormatShopifyOrders, FormatShopifyProducts}

// FormatText names a format's file in a maker's words, "an Etsy sold
// order items file", for a sentence such as "6 rows of …"; the format
// itself for one it does not know.
func FormatText(format string) string {
	switch format {
	case FormatEtsyOrders:
		return "an Etsy sold order items file"
	case FormatEtsyListings:
		return "an Etsy listings file"
	case FormatShopifyOrders:
		return "a Shopify orders file"
	case FormatShopifyProducts:
		return "a Shopify products file"
	}
	return format
}

// MaxImportBytes bounds an import file: a year of a busy shop's orders is
// a few megabytes; far beyond is not a channel export.
const MaxImportBytes = 256 << 20

// csvTable is a channel file read whole: its header and its rows, each
// with the file's own line number (the header is line 1; a quoted field
// spanning lines is numbered by its first line).
type csvTable struct {
	file   string
	header map[string]int // column name, trimmed and lower case, to position
	rows   [][]string
	lines  []int
}

// col is the value of the named column in row i, trimmed; "" when the
// file has no such column.
func (t *csvTable) col(i int, name string) string {
	j, ok := t.header[strings.ToLower(name)]
	if !ok || j >= len(t.rows[i]) {
		return ""
	}
	return strings.TrimSpace(t.rows[i][j])
}

// column is the position of the named column, -1 when the file has none;
// a reader of many rows looks its columns up once with it, and reads them
// with cell.
func (t *csvTable) column(name string) int {
	if j, ok := t.header[strings.ToLower(name)]; ok {
		return j
	}
	return -1
}

// cell is the value in column j of row i, trimmed; "" for column -1.
func (t *csvTable) cell(i, j int) string {
	if j < 0 || j >= len(t.rows[i]) {
		return ""
	}
	return strings.TrimSpace(t.rows[i][j])
}

func (t *csvTable) has(names ...string) bool {
	for _, n := range names {
		if _, ok := t.header[strings.ToLower(n)]; !ok {
			return false
		}
	}
	return true
}

// readCSVFile reads a channel's CSV export: UTF-8 with or without a
// byte-order mark, CRLF or LF, fields separated by commas or, as a
// spreadsheet may save it, semicolons, quoted fields holding commas, quotes and
// newlines. Anything else (an empty or binary file, a line of the wrong
// shape, a quote left open at the end of a cut-off file) is refused with
// the file and line.
func readCSVFile(path string) (*csvTable, error) {
	name := filepath.Base(path)
	data, err := readImportFile(path, name)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, domain.Errorf(domain.EInvalid, "%s is empty; export the file from Etsy or Shopify again", name)
	}
	if utf16Text(data) {
		return nil, domain.Errorf(domain.EInvalid, "%s is UTF-16 text, which the import cannot read; save it as UTF-8 CSV and import that", name)
	}
	if line, bad := notText(data); bad {
		return nil, domain.Errorf(domain.EInvalid, "%s is not a CSV text file: line %d holds bytes that are not text; import the CSV the channel exported, not a spreadsheet or other file", name, line)
	}
	if tabSeparated(data) {
		return nil, domain.Errorf(domain.EInvalid, "%s is separated by tabs, not commas; the import reads comma-separated CSV, so save the file as CSV (comma-separated) and import that", name)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = false
	r.Comma = fieldSeparator(data)
	header, err := r.Read()
	if err != nil {
		return nil, csvError(name, err)
	}
	end := r.InputOffset() // of the record read last
	t := &csvTable{file: name}
	if t.header, err = headerColumns(name, header); err != nil {
		return nil, err
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvRowError(r, name, rec, len(header), err)
		}
		line, _ := r.FieldPos(0)
		if r.InputOffset()-end > MaxImportLine {
			// A quoted field of many lines: each was short enough.
			return nil, lineTooLong(name, line)
		}
		end = r.InputOffset()
		if blankRow(rec) {
			continue // a spreadsheet saves rows of empty cells after the last
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

// readImportFile reads the file at path, named name in what it says: a
// regular file of at most MaxImportBytes.
func readImportFile(path, name string) ([]byte, error) {
	// A pipe or a device is refused before it is opened: opening a pipe
	// nobody writes to waited for ever, deaf to Ctrl-C.
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() && !info.IsDir() {
		return nil, domain.Errorf(domain.EInvalid, "%s is not a file but a pipe or a device; give the CSV file the channel exported", domain.QuoteShort(name))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, domain.Errorf(domain.ENotFound, "cannot open %s to import; check the name and that it is readable", domain.QuoteShort(path))
	}
	defer f.Close()
	info, err := f.Stat()
	if err == nil && info.IsDir() {
		return nil, domain.Errorf(domain.EInvalid, "%s is a folder; give the CSV file the channel exported", domain.QuoteShort(name))
	}
	buf := new(bytes.Buffer)
	if err == nil && info.Size() <= MaxImportBytes {
		// Read in one go, not doubling; made, not grown, which would
		// write the whole of it before a line too long is found.
		buf = bytes.NewBuffer(make([]byte, 0, int(info.Size())+bytes.MinRead))
	}
	_, err = buf.ReadFrom(lineLimit(io.LimitReader(f, MaxImportBytes+1), name))
	data := buf.Bytes()
	var tooLong *domain.Error
	if errors.As(err, &tooLong) {
		return nil, err
	}
	if err != nil {
		return nil, domain.Errorf(domain.EUnavailable, "cannot read %s; check the disk", domain.QuoteShort(path))
	}
	if len(data) > MaxImportBytes {
		return nil, domain.Errorf(domain.EInvalid, "%s is larger than %d MB, more than any channel export; split it and import the parts", name, MaxImportBytes>>20)
	}
	return data, nil
}

// headerColumns maps each column name, trimmed and lower case, to its
// position. A column named twice is refused, not read from the last: the
// import finds its columns by name, and an edited file with SKU twice
// booked one SKU's sale against the other. Unnamed columns may repeat.
func headerColumns(file string, header []string) (map[string]int, error) {
	cols := make(map[string]int, len(header))
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		if j, ok := cols[key]; ok && key != "" {
			return nil, domain.Errorf(domain.EInvalid, "%s names the column %s twice in its header (columns %d and %d), so which to read is unclear; export the file from the channel again",
				file, domain.QuoteShort(strings.TrimSpace(h)), j+1, i+1)
		}
		cols[key] = i
	}
	return cols, nil
}

// blankRow tells a row whose every cell is empty or spaces, as a
// spreadsheet writes below the last row it was given: such a row was
// refused as an order with no Transaction ID, date, quantity or price.
func blankRow(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// fieldSeparator is ';' for a file a spreadsheet saved where the decimal
// mark is a comma (Excel in Germany or France separates fields with
// semicolons), told by its header holding more semicolons than commas; the
// channels' own files use ','.
func fieldSeparator(data []byte) rune {
	header, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		return ';'
	}
	return ','
}

// MaxImportLine bounds a line of an import file, and a record of lines
// (a quoted field may hold line breaks): an order's line or a listing with
// its description is a few kilobytes; far beyond is not a channel export.
const MaxImportLine = 1 << 20

// lineLimit reads r, refusing with its number the first line longer than
// MaxImportLine as soon as it is read that far: a file of one line of
// 200 MB was read whole, and parsed, before its header was refused.
func lineLimit(r io.Reader, name string) io.Reader {
	return &lineLimitReader{r: r, name: name, line: 1}
}

type lineLimitReader struct {
	r    io.Reader
	name string
	line int // the line being read, from 1
	run  int // its bytes read so far
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	// A part at a time: a file read whole in one call was read whole
	// before its first line was looked at.
	n, err := l.r.Read(p[:min(len(p), MaxImportLine/4)])
	for rest := p[:n]; ; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			l.run += len(rest)
			break
		}
		if l.run += i; l.run > MaxImportLine {
			break
		}
		l.line, l.run, rest = l.line+1, 0, rest[i+1:]
	}
	if l.run > MaxImportLine {
		return 0, lineTooLong(l.name, l.line)
	}
	return n, err
}

func lineTooLong(name string, line int) error {
	return domain.Errorf(domain.EInvalid, "%s is not a CSV file the import can read: line %d is longer than %d MB, more than any channel export's line; import the file the channel exported",
		name, line, MaxImportLine>>20)
}

// utf16Text tells a file saved as UTF-16 ("Unicode text" in a
// spreadsheet): by its byte-order mark, or by a NUL beside each letter of
// its first line, as UTF-16 writes the letters of English.
func utf16Text(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return true
	}
	n := min(len(data), 512) &^ 1
	if n < 4 {
		return false
	}
	var even, odd int // NULs at even and odd places
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	return odd*4 >= pairs*3 && even == 0 || even*4 >= pairs*3 && odd == 0
}

// tabSeparated tells a file whose header is separated by tabs, as a
// spreadsheet's "Text (tab-delimited)" saves it: read as CSV, a quote in
// its first row was refused as inside a field not quoted.
func tabSeparated(data []byte) bool {
	header, _, _ := bytes.Cut(data, []byte("\n"))
	tabs := bytes.Count(header, []byte("\t"))
	return tabs > 0 && tabs > bytes.Count(header, []byte(",")) && tabs > bytes.Count(header, []byte(";"))
}

// notText finds the first line holding a NUL or bytes that are not UTF-8.
func notText(data []byte) (int, bool) {
	if bytes.IndexByte(data, 0) < 0 && utf8.Valid(data) {
		return 0, false
	}
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == 0 || r == utf8.RuneError && size == 1 {
			return line, true
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line, true
}

// csvRowError is csvError of a row, but a short row that ends the file
// says the file looks cut off: a download stopped short, or a copy made
// while it was still being written, ends mid-row as often as mid-quote.
func csvRowError(r *csv.Reader, name string, rec []string, fields int, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) || !errors.Is(pe.Err, csv.ErrFieldCount) || len(rec) >= fields {
		return csvError(name, err)
	}
	if _, next := r.Read(); !errors.Is(next, io.EOF) {
		return csvError(name, err)
	}
	return domain.Errorf(domain.EInvalid, "%s is not a CSV file the import can read: line %d is shorter than the header and ends the file: the file looks cut off; export it from the channel again",
		name, pe.StartLine)
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		what := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			what = "it has a different number of fields from the header"
		case errors.Is(pe.Err, csv.ErrQuote):
			what = "a quote is left open (the file may be cut off)"
		case errors.Is(pe.Err, csv.ErrBareQuote):
			what = "a quote appears inside a field that is not quoted"
		}
		return domain.Errorf(domain.EInvalid, "%s is not a CSV file the import can read: line %d: %s", name, pe.StartLine, what)
	}
	return domain.Errorf(domain.EInvalid, "%s cannot be read as CSV: %v", name, err)
}

// detectFormat tells a channel file by its header.
func detectFormat(t *csvTable) (string, error) {
	for _, f := range ImportFormats[1:] {
		if t.fits(f) {
			return f, nil
		}
	}
	switch {
	case t.has("Sale Date", "Order ID", "Number of Items"):
		// Etsy's download page offers Orders beside Order Items, and the
		// maker who took Orders heard only that the header was none of those.
		return "", domain.Errorf(domain.EInvalid, "%s is Etsy's sold orders file, one row per order without its items; download the Order Items type instead (EtsySoldOrderItems….csv) and import that", t.file)
	case t.has("Handle", "On hand (new)"):
		return "", domain.Errorf(domain.EInvalid, "%s is a Shopify inventory file, for Shopify's own import; import Shopify's orders or products export instead", t.file)
	}
	if format, missing := t.nearest(); format != "" {
		return "", domain.Errorf(domain.EInvalid, "%s looks like %s but lacks its %s; export the file from the channel again with all its columns",
			t.file, FormatText(format), columnsText(missing))
	}
	return "", domain.Errorf(domain.EInvalid, "%s has a header (line 1) that is none of Etsy's sold order items or listings, nor Shopify's orders or products; export one of those", t.file)
}

// exportColumns are the columns each format's file must have, the import
// reads it by; a format with two sets of them fits a file with either.
var exportColumns = []struct {
	format  string
	columns []string
}{
	{FormatEtsyOrders, []string{"Transaction ID", "Order ID", "Sale Date", "Quantity"}},
	{FormatShopifyOrders, []string{"Name", "Lineitem quantity", "Lineitem sku"}},
	{FormatEtsyListings, []string{"TITLE", "QUANTITY", "PRICE", "SKU"}},
	{FormatEtsyListings, []string{"TITLE", "QUANTITY", "PRICE", "VARIATION 1 TYPE"}},
	{FormatShopifyProducts, []string{"Handle", "Variant SKU"}},
	{FormatShopifyProducts, []string{"URL handle", "SKU"}},
}

// fits reports whether the table has the columns a file of format has.
func (t *csvTable) fits(format string) bool {
	for _, e := range exportColumns {
		if e.format == format && t.has(e.columns...) {
			return true
		}
	}
	return false
}

// nearest is the format whose columns the header has most of, more than
// half, and the columns it lacks; "" when it has no format's so nearly:
// an export a column was taken out of was refused as none of the
// channels' files, the column not named.
func (t *csvTable) nearest() (format string, missing []string) {
	best := 0.5
	for _, e := range exportColumns {
		var lacks []string
		for _, c := range e.columns {
			if !t.has(c) {
				lacks = append(lacks, c)
			}
		}
		if share := float64(len(e.columns)-len(lacks)) / float64(len(e.columns)); share > best {
			best, format, missing = share, e.format, lacks
		}
	}
	return format, missing
}

// columnsText names columns in a sentence: its column "Order ID", its
// columns "Name" and "SKU".
func columnsText(columns []string) string {
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = domain.QuoteShort(c)
	}
	if len(quoted) == 1 {
		return "column " + quoted[0]
	}
	return "columns " + strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
}

// ImportError is one row that cannot be imported.
type ImportError struct {
	Line    int
	Message string
}

func (e ImportError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }
