package main

import (
	"github.com/schollz/progressbar/v3"
)

// progressBar shows how a long command goes on, on a terminal only: a
// file or a pipe gets the result alone.
type progressBar struct {
	c    *cli
	what string
	bar  *progressbar.ProgressBar
}

func (c *cli) progress(what string) *progressBar { return &progressBar{c: c, what: what} }

// set is a progress callback: done of total.
func (p *progressBar) set(done, total int) {
	if p.c.tty == nil {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.c.tty), progressbar.OptionSetDescription(p.what),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100_000_000))
	}
	p.bar.Set(done)
}

// done clears the bar, so the result's line stands alone.
func (p *progressBar) done() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
}
