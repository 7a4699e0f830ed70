package model

import (
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// The text table for a terminal narrower than the whole table (audit on a
// terminal, AuditMeta.Width): columns are dropped or shortened in about the
// order the fleet view gives them up — the login, the creation date (the age
// says it), the expiry (the flags say expiring and expired), the id down to its
// tail (as a delete asks for it), service names and accounts to short words,
// long names cut with "…", the age, one space between columns, and last the
// status — until the table fits. The flags, the point of an audit, stay. A
// failed account's reason may run past the edge: cut, it could be read
// nowhere. Lines around the table wrap at spaces.

// tableSink is where the table's tab-separated lines go: a tabwriter, or a
// fitSink that holds them until it knows the widths.
type tableSink interface {
	io.Writer
	Flush() error
}

// Columns of the table, after ACCOUNT when there is one.
const (
	tcUser = iota
	tcService
	tcID
	tcLogin
	tcStatus
	tcCreated
	tcAge
	tcExpires
	tcFlags
	tcCount
)

// fitSink collects the table's lines (the header first) and writes them,
// fitted to width, on Flush.
type fitSink struct {
	out    io.Writer
	width  int
	across bool // a first column: ACCOUNT
	lines  [][]string
}

func (f *fitSink) Write(p []byte) (int, error) {
	f.lines = append(f.lines, strings.Split(strings.TrimSuffix(string(p), "\n"), "\t"))
	return len(p), nil
}

// tablePlan is what the fit has done so far.
type tablePlan struct {
	drop   [tcCount + 1]bool // by column, ACCOUNT included
	limit  [tcCount + 1]int  // most characters of a cell; 0 no limit
	idTail bool              // ids as their tail: "…ROCK01"
	short  bool              // services and accounts as short words
	pad    int               // spaces between columns
}

// off is where the credential's columns start: after ACCOUNT, if any.
func (f *fitSink) off() int {
	if f.across {
		return 1
	}
	return 0
}

// steps are the changes tried in order until the table fits.
func (f *fitSink) steps() []func(p *tablePlan) {
	off := f.off()
	drop := func(c int) func(*tablePlan) { return func(p *tablePlan) { p.drop[off+c] = true } }
	limit := func(c, n int) func(*tablePlan) {
		return func(p *tablePlan) {
			p.limit[off+c] = n
			if f.across {
				p.limit[0] = n + 4 // the account's name
			}
		}
	}
	return []func(*tablePlan){
		drop(tcLogin), drop(tcCreated), drop(tcExpires),
		func(p *tablePlan) { p.idTail = true },
		func(p *tablePlan) { p.short = true },
		limit(tcUser, 14),
		drop(tcAge),
		limit(tcUser, 8),
		func(p *tablePlan) { p.pad = 1 },
		drop(tcStatus),
	}
}

// plan is the first plan of the steps that fits, or the last.
func (f *fitSink) plan() tablePlan {
	p := tablePlan{pad: 2}
	steps := f.steps()
	for i := 0; f.widthOf(p) > f.width && i < len(steps); i++ {
		steps[i](&p)
	}
	return p
}

func (f *fitSink) Flush() error {
	p := f.plan()
	tw := tabwriter.NewWriter(f.out, 0, 0, p.pad, ' ', 0)
	var b strings.Builder
	for _, l := range f.lines {
		b.Reset()
		for i, c := range f.cells(p, l) {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(tw, b.String()); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// cells is one line as the plan shows it.
func (f *fitSink) cells(p tablePlan, line []string) []string {
	out := make([]string, 0, len(line))
	off := f.off()
	for i, c := range line {
		if i < len(p.drop) && p.drop[i] {
			continue
		}
		switch {
		case i == off+tcID && p.idTail:
			c = idTail(c)
		case i == off+tcService && p.short:
			c = strings.TrimSuffix(c, ".amazonaws.com")
		case i == 0 && f.across && p.short:
			c = accountName(c)
		}
		if i < len(p.limit) && p.limit[i] > 0 {
			c = cut(c, p.limit[i])
		}
		out = append(out, c)
	}
	return out
}

// failed reports the row of an account that could not be read.
func (f *fitSink) failed(line []string) bool {
	return len(line) == f.off()+tcCount && line[f.off()+tcStatus] == failedStatus
}

// widthOf is the widest line the plan gives: each column as wide as its widest
// cell, p.pad spaces between. A failed account's reason in the last column
// does not count: it is the one cell that may run past the edge.
func (f *fitSink) widthOf(p tablePlan) int {
	var widths []int
	for _, l := range f.lines {
		cells := f.cells(p, l)
		for i, c := range cells {
			if i == len(cells)-1 && f.failed(l) {
				continue
			}
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	total := 0
	for i, w := range widths {
		if i > 0 {
			total += p.pad
		}
		total += w
	}
	return total
}

// idTail is the end of a credential id, as a delete asks for it: "…ROCK01".
// The header becomes ID; "-" stays.
func idTail(id string) string {
	switch {
	case id == "CREDENTIAL ID":
		return "ID"
	case len(id) <= 8:
		return id
	}
	return "…" + id[len(id)-6:]
}

// accountName is an account's label without its ID: "Production".
func accountName(label string) string {
	if name, _, ok := strings.Cut(label, " ("); ok && strings.HasSuffix(label, ")") {
		return name
	}
	return label
}

// cut shortens s to n characters, the last one "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// wrapLines breaks each line of s longer than width at spaces; a continued
// line is indented as indent says for the line it continues.
func wrapLines(s string, width int, indent func(line string) int) string {
	if width <= 0 {
		return s
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		nl := strings.HasSuffix(line, "\n")
		line = strings.TrimSuffix(line, "\n")
		pad := strings.Repeat(" ", min(indent(line), width/2))
		for utf8.RuneCountInString(line) > width {
			r := []rune(line)
			at := strings.LastIndexByte(string(r[:width+1]), ' ')
			if at <= len(pad) {
				break // one word longer than the width: leave it whole
			}
			b.WriteString(strings.TrimRight(line[:at], " ") + "\n")
			line = pad + strings.TrimLeft(line[at:], " ")
		}
		b.WriteString(line)
		if nl {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// legendIndent continues a legend line under its explanation.
func legendIndent(line string) int {
	if len(line) > 12 && line[10:12] == "  " {
		return 12
	}
	return 0
}

func noIndent(string) int   { return 0 }
func metaIndent(string) int { return 2 }
