package bundle

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/wire"
)

// scanned is what a whole, checked bundle holds.
type scanned struct {
	Header
	count int // changes
}

// scan reads a whole bundle from src, checking it is intact and belongs to
// shopID, and hands each change, with the header, to fn when fn is not
// nil; what fn is handed is not known to be whole until scan returns nil.
// name is the file's name for messages.
//
// Damage to the file (its compression, its CRC-32, its checksum, its
// length, a line or the whole beyond the limits) is found before anything
// about its content is said: a line that does not read as a change is
// reported only once the file is known to be as it was written, so a
// bit flip is called damage, not a strange change.
func scan(ctx context.Context, src io.Reader, name, shopID string, fn func(*Header, changes.Change) error) (scanned, error) {
	var out scanned
	s, err := openScanner(src, name)
	if err != nil {
		return out, err
	}
	sum := sha256.New()
	var (
		prev       []byte   // the last line read; hashed when another follows
		end        *endLine // the end line, once seen
		contentErr error    // the first thing wrong with the content
	)
	for {
		line, err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, err
		}
		if s.lineNo%1024 == 0 && ctx.Err() != nil {
			return out, ctx.Err()
		}
		if s.lineNo > 1 {
			sum.Write(prev)
		}
		prev = append(prev[:0], line...)
		if contentErr != nil {
			continue // read on: damage later in the file is what to report
		}
		if s.lineNo == 1 {
			out.Header, contentErr = s.header(line, shopID)
			continue
		}
		var l struct {
			changes.Change
			endLine
		}
		var jsonErr error
		if c, ok := wire.DecodeChange(line); ok {
			l.Change = c
		} else {
			jsonErr = json.Unmarshal(line, &l)
		}
		switch {
		case jsonErr != nil:
			contentErr = s.badLine("it is not JSON")
		case end != nil:
			contentErr = s.problem("has data after its end line")
		case l.End:
			end = &l.endLine
		default:
			if contentErr = s.checkChange(l.Change); contentErr != nil {
				break
			}
			out.count++
			if fn != nil {
				if err := fn(&out.Header, l.Change); err != nil {
					return out, err
				}
			}
		}
	}
	// The file is as it was compressed; now its own checksum, then what it says.
	if s.lineNo == 0 {
		return out, s.problem("is empty")
	}
	// Checked whenever the last line carries a checksum, so an edit that
	// drops the header's version cannot pass for an older bundle.
	var last endLine
	if json.Unmarshal(prev, &last) == nil && last.End && last.SHA256 != "" && last.SHA256 != hex.EncodeToString(sum.Sum(nil)) {
		return out, s.damaged("its checksum does not match")
	}
	switch {
	case contentErr != nil:
		return out, contentErr
	case end == nil:
		return out, s.problem("is cut short: it ends after %d changes without its end line (was it copied completely?)", out.count)
	case out.Header.Version >= 2 && end.SHA256 == "":
		return out, s.damaged("its end line has no checksum")
	case end.Count != out.count:
		return out, s.damaged("it says it holds %d changes but holds %d", end.Count, out.count)
	}
	return out, nil
}

// scanner reads a bundle's lines out of its gzip stream, within the limits.
type scanner struct {
	name   string
	src    *bufio.Reader // the packed bytes
	lines  *bufio.Reader // the unpacked bytes, buffered up to one line
	total  int64         // unpacked bytes read
	lineNo int
}

func openScanner(src io.Reader, name string) (*scanner, error) {
	s := &scanner{name: name, src: bufio.NewReader(src)}
	magic, err := s.src.Peek(2)
	switch {
	case len(magic) == 0 && err == io.EOF:
		return nil, s.problem("is empty")
	case len(magic) < 2 && err != io.EOF:
		return nil, s.readErr(err)
	case !bytes.Equal(magic, []byte{0x1f, 0x8b}):
		return nil, domain.Errorf(domain.EInvalid, "%s is not a Microshop bundle; choose a bundle file (.msb) exported by Microshop", name)
	}
	zr, err := gzip.NewReader(s.src)
	if err != nil {
		return nil, s.readErr(err)
	}
	// One gzip stream is a bundle; anything after it is refused, not read
	// as another.
	zr.Multistream(false)
	s.lines = bufio.NewReaderSize(zr, MaxLineBytes)
	return s, nil
}

// next returns the next line (valid until the following call), or io.EOF
// once the gzip stream ended with its CRC-32 and length checked and
// nothing follows it.
func (s *scanner) next() ([]byte, error) {
	line, err := s.lines.ReadSlice('\n')
	if len(line) > 0 && (err == nil || err == io.EOF) {
		s.lineNo++
		if s.total += int64(len(line)); s.total > maxBytes {
			return nil, s.problem("unpacks to more than %s, the most a bundle holds", sizeText(maxBytes))
		}
		return line, nil
	}
	switch {
	case err == bufio.ErrBufferFull:
		return nil, s.problem("has a line longer than %d bytes (line %d), the most a bundle holds", MaxLineBytes, s.lineNo+1)
	case err != io.EOF:
		return nil, s.readErr(err)
	}
	if _, err := s.src.ReadByte(); err == nil {
		return nil, s.problem("has data after its end (it was changed after export, or is damaged)")
	} else if err != io.EOF {
		return nil, s.readErr(err)
	}
	return nil, io.EOF
}

// header checks the first line.
func (s *scanner) header(line []byte, shopID string) (Header, error) {
	var h Header
	if err := json.Unmarshal(line, &h); err != nil || h.Format != Format {
		return h, domain.Errorf(domain.EInvalid, "%s is not a Microshop bundle: it does not start with a bundle header", s.name)
	}
	if h.ShopID != shopID {
		// A shop made on each machine under one name is two shops: said
		// so, the names alone read as the same one. Its id would mean
		// nothing to a maker.
		from := "another shop"
		if h.ShopName != "" {
			from = fmt.Sprintf("the shop %q", h.ShopName)
		}
		return h, domain.Errorf(domain.EConflict, "the bundle %s comes from %s, not this one (a shop created on each machine is two shops, even under one name); import it on a device of that shop",
			s.name, from).With(domain.RemedyJoinShop)
	}
	if h.Version > Version {
		return h, domain.Errorf(domain.ETooNew, "the bundle %s was written by a newer Microshop (bundle format %d, this one reads up to %d); update Microshop to import it", s.name, h.Version, Version)
	}
	if h.SchemaVersion > changes.SchemaVersion {
		return h, domain.Errorf(domain.ETooNew, "the bundle %s was written by a newer Microshop (schema %d, this one reads up to %d); update Microshop to import it", s.name, h.SchemaVersion, changes.SchemaVersion)
	}
	for origin, head := range h.Heads {
		if origin == "" || head.Seq < 1 || head.Seq > h.Vector[origin] || !changes.ValidDigest(head.Digest) {
			return h, s.badLine("its header lists a change it does not hold, or one without a proper digest")
		}
	}
	return h, nil
}

// checkChange refuses a change the replica's apply would refuse for its
// envelope, so such a bundle is refused before anything is applied.
func (s *scanner) checkChange(c changes.Change) error {
	switch {
	case c.Origin == "":
		return s.badLine("it names no origin device")
	case c.Seq < 1:
		return s.badLine("its sequence is below 1")
	case c.Entity == "" || c.EntityID == "":
		return s.badLine("it names no entity")
	case len(c.Body) == 0:
		return s.badLine("it has no body")
	}
	if _, err := changes.ParseStamp(c.HLC); err != nil || c.HLC == "" {
		return s.badLine("its clock stamp is malformed")
	}
	return nil
}

func (s *scanner) badLine(why string) error {
	return domain.Errorf(domain.EInvalid, "line %d of the bundle file %s is not a change Microshop can read: %s", s.lineNo, s.name, why)
}

// problem is what is wrong with the file as a whole.
func (s *scanner) problem(format string, args ...any) error {
	return domain.Errorf(domain.EInvalid, "the bundle file %s "+format, append([]any{s.name}, args...)...)
}

func (s *scanner) damaged(format string, args ...any) error {
	return s.problem("is damaged: "+format+" (it was changed or corrupted in transit); export it again on the other device", args...)
}

// readErr says what a read of the packed file ran into.
func (s *scanner) readErr(err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		// A file cut short, or one whose last bytes were damaged so that
		// its data seems to run past the end: the bytes cannot tell which.
		return s.problem("is cut short or damaged: its data stops before its end (was it copied completely?); export it again on the other device")
	case errors.Is(err, gzip.ErrChecksum):
		return s.damaged("its checksum does not match")
	case errors.As(err, &corrupt), errors.Is(err, gzip.ErrHeader):
		return s.damaged("its compressed data is corrupt")
	}
	return &domain.Error{Code: domain.EUnavailable, Message: "cannot read the bundle file " + s.name + "; check the disk or stick is still there", Err: err}
}
