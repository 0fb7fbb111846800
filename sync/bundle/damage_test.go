package bundle_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/bundle"
)

// refused imports data into a fresh replica of a and checks it is refused
// with code and a message holding want and the file's name, and that the
// replica holds nothing afterwards.
func refused(t *testing.T, a *app.Shop, target *app.Shop, data []byte, code, want string) {
	t.Helper()
	ctx := context.Background()
	if target == nil {
		target = mustReplica(t, a)
	}
	before, _ := target.Vector(ctx)
	stock := available(t, target)
	_, err := bundle.Import(ctx, target, bytes.NewReader(data), "stick.msb")
	if domain.ErrorCode(err) != code {
		t.Fatalf("err = %v (code %q), want code %q", err, domain.ErrorCode(err), code)
	}
	msg := domain.ErrorMessage(err)
	if !strings.Contains(msg, want) || !strings.Contains(msg, "stick.msb") {
		t.Errorf("message %q, want it to name stick.msb and say %q", msg, want)
	}
	after, _ := target.Vector(ctx)
	if after.Total() != before.Total() || available(t, target) != stock {
		t.Fatalf("a refused bundle changed the replica: vector %v → %v", before, after)
	}
}

func TestImportRefusesBadBundlesAndChangesNothing(t *testing.T) {
	a := mustShop(t)
	good := mustExport(t, a)
	text := unpack(t, good)
	lines := strings.SplitAfter(text, "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	body := strings.Join(lines[:len(lines)-1], "")
	end := func(count int, sum string) string {
		return fmt.Sprintf(`{"end":true,"count":%d,"sha256":%q}`+"\n", count, sum)
	}
	sealed := func(body string, count int) []byte { return pack(t, body+end(count, sha(body))) }
	changes := len(lines) - 2
	cases := []struct {
		name string
		data []byte
		code string
		want string
	}{
		{"empty file", nil, domain.EInvalid, "is empty"},
		{"empty gzip", pack(t, ""), domain.EInvalid, "is empty"},
		{"not gzip", []byte(text), domain.EInvalid, "is not a Microshop bundle"},
		{"a picture", []byte("\x89PNG\r\n\x1a\n\x00\x00"), domain.EInvalid, "is not a Microshop bundle"},
		{"one byte", []byte{0x1f}, domain.EInvalid, "is not a Microshop bundle"},
		{"gzip of something else", pack(t, "hello\n"), domain.EInvalid, "does not start with a bundle header"},
		{"missing gzip trailer", good[:len(good)-8], domain.EInvalid, "is cut short"},
		{"half the gzip trailer", good[:len(good)-4], domain.EInvalid, "is cut short"},
		{"trailing garbage", append(bytes.Clone(good), "junk"...), domain.EInvalid, "has data after its end"},
		{"a second gzip stream", append(bytes.Clone(good), pack(t, text)...), domain.EInvalid, "has data after its end"},
		{"lines after the end line", pack(t, text+lines[1]), domain.EInvalid, "has data after its end line"},
		{"no end line", pack(t, body), domain.EInvalid, "is cut short"},
		{"cut at a line", sealedNoEnd(t, lines[:3]), domain.EInvalid, "is cut short"},
		{"a change edited", pack(t, strings.Replace(text, `"seq":2`, `"seq":9`, 1)), domain.EInvalid, "its checksum does not match"},
		{"the version dropped", pack(t, strings.Replace(text, `"version":2,`, "", 1)), domain.EInvalid, "its checksum does not match"},
		{"a line dropped", pack(t, strings.Replace(text, lines[2], "", 1)), domain.EInvalid, "its checksum does not match"},
		{"no checksum", pack(t, body+fmt.Sprintf(`{"end":true,"count":%d}`+"\n", changes)), domain.EInvalid, "its end line has no checksum"},
		{"a wrong count", sealed(body, changes+1), domain.EInvalid, fmt.Sprintf("says it holds %d changes but holds %d", changes+1, changes)},
		{"a line that is not JSON", sealed(body+"{oops\n", changes), domain.EInvalid, fmt.Sprintf("line %d of the bundle file stick.msb is not a change", len(lines))},
		{"a change without origin", sealed(strings.Replace(body, lines[1], strings.Replace(lines[1], `"origin":"`, `"origin":"","x":"`, 1), 1), changes), domain.EInvalid, "names no origin device"},
		{"newer schema", sealed(strings.Replace(body, `"schema_version":2`, `"schema_version":99`, 1), changes), domain.ETooNew, "schema 99"},
		{"newer format", sealed(strings.Replace(body, `"version":2`, `"version":3`, 1), changes), domain.ETooNew, "bundle format 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { refused(t, a, nil, c.data, c.code, c.want) })
	}
	// A bundle of another shop whose header was made to name this one: its
	// bodies do not open under this shop's key, and none is applied.
	t.Run("sealed for another shop", func(t *testing.T) {
		other := mustShop(t)
		foreign := strings.SplitAfter(strings.ReplaceAll(unpack(t, mustExport(t, other)), other.ShopID(), a.ShopID()), "\n")
		foreign = foreign[:len(foreign)-1]
		body := strings.Join(foreign[:len(foreign)-1], "")
		refused(t, a, nil, sealed(body, len(foreign)-2), domain.ETampered, "does not open with this shop's key")
	})
	// One change's sealed body edited and the checksum made again, as
	// someone who meant it would: the changes before it open, but a file is
	// imported whole or not at all.
	t.Run("a sealed body edited, the checksum made again", func(t *testing.T) {
		at := strings.Index(lines[5], `"body":"`) + len(`"body":"`)
		flipped := "A"
		if lines[5][at] == 'A' {
			flipped = "B"
		}
		edited := strings.Replace(body, lines[5], lines[5][:at]+flipped+lines[5][at+1:], 1)
		refused(t, a, nil, sealed(edited, changes), domain.ETampered, "was not imported: change 5 from")
	})
	// A sealed shop's bundle does not name the shop in the clear.
	t.Run("another shop", func(t *testing.T) {
		refused(t, a, mustShop(t), good, domain.EConflict, `comes from another shop, not this one (a shop created on each machine is two shops`)
		if strings.Contains(unpack(t, good), "Stall") {
			t.Error("the bundle of a sealed shop names the shop in the clear")
		}
	})
	// Cut anywhere in the packed bytes, the file is refused as cut short.
	for _, at := range []int{2, 10, 11, 30, len(good) / 3, len(good) / 2, len(good) - 20, len(good) - 9, len(good) - 1} {
		t.Run(fmt.Sprintf("truncated at %d of %d", at, len(good)), func(t *testing.T) {
			refused(t, a, nil, good[:at], domain.EInvalid, "is cut short")
		})
	}
}

// sealedNoEnd is a bundle of the given lines only, packed intact.
func sealedNoEnd(t *testing.T, lines []string) []byte {
	return pack(t, strings.Join(lines, ""))
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// A flipped bit anywhere past the gzip magic is refused as damage (or is
// harmless: it changed nothing the bundle holds), never applied, never
// reported as a strange change or a short file.
func TestImportRefusesEveryBitFlip(t *testing.T) {
	ctx := context.Background()
	a := mustShop(t)
	good := mustExport(t, a)
	want := unpack(t, good)
	target := mustReplica(t, a)
	damaged, harmless := 0, 0
	messages := map[string]int{}
	for i := 2; i < len(good); i++ {
		bit := byte(1) << (i % 8)
		data := bytes.Clone(good)
		data[i] ^= bit
		if got, ok := tryUnpack(data); ok && got == want {
			harmless++ // a flip in the gzip header's time stamp, say
			continue
		}
		_, err := bundle.Import(ctx, target, bytes.NewReader(data), "stick.msb")
		if err == nil {
			t.Fatalf("flip of bit %d at byte %d was imported", i%8, i)
		}
		if domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("flip at byte %d: err = %v, want invalid", i, err)
		}
		msg := digits.ReplaceAllString(domain.ErrorMessage(err), "N")
		messages[msg]++
		damaged++
		if i >= 10 && !strings.Contains(msg, "damaged") {
			t.Errorf("flip at byte %d of %d: %q, want the damage named", i, len(good), msg)
		}
	}
	for msg, n := range messages {
		t.Logf("%4d × %s", n, msg)
	}
	if v, _ := target.Vector(ctx); v.Total() != 0 {
		t.Fatalf("bit-flipped bundles changed the replica: vector %v", v)
	}
	if damaged < len(good)*9/10 {
		t.Fatalf("only %d of %d flips were refused (%d harmless)", damaged, len(good)-2, harmless)
	}
}

var digits = regexp.MustCompile(`\d+`)

func tryUnpack(data []byte) (string, bool) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return "", false
	}
	out, err := io.ReadAll(zr)
	return string(out), err == nil
}

// A bundle of one huge line is refused at the line limit: it reads little
// more than MaxLineBytes of unpacked data, whatever the file holds, in
// bounded memory and time.
func TestImportRefusesAHugeLineFast(t *testing.T) {
	a := mustShop(t)
	header := strings.SplitAfter(unpack(t, mustExport(t, a)), "\n")[0]
	const huge = 256 << 20
	data := packHuge(t, header, huge)
	src := &countingReader{r: bytes.NewReader(data)}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	_, err := bundle.Import(context.Background(), mustReplica(t, a), src, "stick.msb")
	took := time.Since(start)
	runtime.ReadMemStats(&m1)
	if want := "has a line longer than 1048576 bytes (line 2)"; !strings.Contains(domain.ErrorMessage(err), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
	// Deflate packs at most 1032:1, so reaching the limit needs about
	// 1 KiB of packed data; what was read stays far below the file.
	if src.n > 64<<10 || src.n >= len(data)/4 {
		t.Errorf("read %d of the file's %d packed bytes before refusing it", src.n, len(data))
	}
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 16<<20 {
		t.Errorf("refusing the huge line allocated %d MiB", alloc>>20)
	}
	if took > 2*time.Second {
		t.Errorf("refusing the huge line took %v", took)
	}
}

// The unpacked size is bounded too: many lines within the line limit add
// up to a refusal at MaxBytes.
func TestImportRefusesABundleBeyondMaxBytes(t *testing.T) {
	defer bundle.SetMaxBytes(64 << 10)()
	a := mustShop(t)
	text := unpack(t, mustExport(t, a))
	lines := strings.SplitAfter(text, "\n")
	big := lines[0] + strings.Repeat(lines[1], (128<<10)/len(lines[1])) + strings.Join(lines[2:], "")
	refused(t, a, nil, pack(t, big), domain.EInvalid, "unpacks to more than 65536 bytes, the most a bundle holds")
}

// Export keeps to the limits import enforces: a shop whose changes would
// not fit is refused with a sentence, not written as a file import refuses.
func TestExportRefusesWhatImportWouldRefuse(t *testing.T) {
	defer bundle.SetMaxBytes(1 << 10)()
	a := mustShop(t)
	_, err := bundle.Export(context.Background(), a, io.Discard, nil)
	if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), "the most a bundle holds") {
		t.Fatalf("err = %v, want the size refused", err)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// packHuge packs header and then one line of n bytes.
func packHuge(t *testing.T, header string, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	io.WriteString(zw, header)
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	for range n >> 20 {
		zw.Write(chunk)
	}
	io.WriteString(zw, "\n")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withoutVersion is a bundle's text as Microshop wrote it before the
// checksum: no version in the header, no sha256 in the end line.
func withoutVersion(t *testing.T, text string) string {
	t.Helper()
	old := strings.Replace(text, `"version":2,`, "", 1)
	old = regexp.MustCompile(`,"sha256":"[0-9a-f]{64}"`).ReplaceAllString(old, "")
	if old == text || strings.Contains(old, "sha256") || strings.Contains(old, `"version"`) {
		t.Fatalf("cannot make an old bundle of %q", text)
	}
	return old
}

// A bundle's header edited to say its device holds more of the importer's
// own changes, or another last one, its checksum made again: the header is
// not sealed, and the importer took a new device id ("restored from a
// backup") and sent its changes again. Now the claim must be backed by the
// bundle's own lines, or nothing is imported.
func TestAnEditedHeaderDoesNotRenewTheImporter(t *testing.T) {
	ctx := context.Background()
	a, b := laptopWithASale(t)
	if _, err := bundle.Import(ctx, a, bytes.NewReader(mustExport(t, b)), "b.msb"); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(unpack(t, mustExport(t, a)), "\n")
	lines = lines[:len(lines)-2] // the end line, and the empty string after it
	var header map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &header); err != nil {
		t.Fatal(err)
	}
	self := b.DeviceID()
	edit := func(change func(h map[string]any)) []byte {
		h := map[string]any{}
		for k, v := range header {
			h[k] = v
		}
		vector, heads := map[string]any{}, map[string]any{}
		for k, v := range header["vector"].(map[string]any) {
			vector[k] = v
		}
		for k, v := range header["heads"].(map[string]any) {
			heads[k] = v
		}
		h["vector"], h["heads"] = vector, heads
		change(h)
		first, _ := json.Marshal(h)
		body := string(first) + "\n" + strings.Join(lines[1:], "")
		return pack(t, body+fmt.Sprintf(`{"end":true,"count":%d,"sha256":%q}`+"\n", len(lines)-1, sha(body)))
	}
	for name, data := range map[string][]byte{
		"more of its changes": edit(func(h map[string]any) {
			h["vector"].(map[string]any)[self] = h["vector"].(map[string]any)[self].(float64) + 5
			delete(h["heads"].(map[string]any), self)
		}),
		"another last change": edit(func(h map[string]any) {
			head := h["heads"].(map[string]any)[self].(map[string]any)
			h["heads"].(map[string]any)[self] = map[string]any{"seq": head["seq"], "digest": strings.Repeat("0", len(head["digest"].(string)))}
		}),
	} {
		t.Run(name, func(t *testing.T) {
			refused(t, a, b, data, domain.EInvalid, "was changed after it was written")
			if b.DeviceID() != self {
				t.Errorf("the importer took a new id, %s, for an edited header", b.DeviceID())
			}
		})
	}
}
