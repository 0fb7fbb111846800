package main

import (
	"github.com/schollz/progressbar/v3"

	"microshop/sync/client"
)

// progressBar shows how a long command goes on, on a terminal only: a
// file or a pipe gets the result alone.
type progressBar struct {
	c    *cli
	what string
	bar  *progressbar.ProgressBar
	sync client.Progress // syncStatus's reckoning
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
	if int64(total) != p.bar.GetMax64() {
		p.bar.ChangeMax(total)
	}
	p.bar.Set(done)
}

// syncStatus is a sync's progress callback (client.Progress).
func (p *progressBar) syncStatus(st client.Status) {
	if done, total := p.sync.Of(st); total > 0 {
		p.set(int(done), int(total))
	}
}

// done clears the bar, so the result's line stands alone.
func (p *progressBar) done() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
}
