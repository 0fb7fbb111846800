package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"microshop/app"
	"microshop/domain"
)

// outFile is --out FILE and --overwrite, the flags of every command that
// writes a file (CLI.md: such a command never writes over the open shop's
// files and refuses an existing file unless --overwrite). Define them with
// flagSet.out, then write with outFile.write.
type outFile struct {
	flag      string // "out", or the command's own name for its file
	path      *string
	overwrite *bool
}

// out defines --out (described by usage) and --overwrite.
func (f *flagSet) out(usage string) outFile { return f.outNamed("out", usage) }

// outNamed defines --NAME for the file and --overwrite, for a command whose
// file is not its main output (simulate --chart).
func (f *flagSet) outNamed(name, usage string) outFile {
	f.file = name
	return outFile{
		flag:      name,
		path:      f.String(name, "", usage),
		overwrite: f.Bool("overwrite", false, "replace the --"+name+" file if it exists"),
	}
}

// write writes the --out file with fn through app's Output: the file
// appears whole when fn returns nil, and not at all otherwise.
func (o outFile) write(s *app.Shop, fn func(io.Writer) error) error {
	return o.hint(s.WriteOutput(*o.path, *o.overwrite, fn))
}

// hint names the flags that settle an existing --out file.
func (o outFile) hint(err error) error {
	if errors.Is(err, app.ErrOutputExists) {
		return &domain.Error{Code: domain.EConflict, Message: *o.path + " exists already; give another --" + o.flag + ", or add --overwrite to replace it", Err: err}
	}
	return err
}

// count is a number of things in words: "1 order", "2 orders".
func count[N int | int64](n N, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// shellArg is s as one argument of a command to paste into a shell: bare
// when it is plain, else in single quotes (a path with a space, a factory
// named "Kiln & Co").
func shellArg(s string) string {
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@+=,", r))
	}) < 0
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
