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
	most int // syncStatus: the most changes the sync had to move
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

// syncStatus is a sync's progress callback. A sync's changes to move
// (Pending) fall as the relay acknowledges what was sent and as what it
// sent is applied; the bar counts from the most there were.
func (p *progressBar) syncStatus(st client.Status) {
	p.most = max(p.most, int(st.Pending))
	if p.most > 0 {
		p.set(p.most-int(st.Pending), p.most)
	}
}

// done clears the bar, so the result's line stands alone.
func (p *progressBar) done() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
}
