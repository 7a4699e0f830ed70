package model

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// reportCounts are a report's totals, for the line under a table.
type reportCounts struct {
	rows, flagged int
	users         map[string]struct{}
}

func (c *reportCounts) add(r *AuditRow) {
	if c.users == nil {
		c.users = map[string]struct{}{}
	}
	c.rows++
	if r.Flags != 0 {
		c.flagged++
	}
	c.users[r.UserName] = struct{}{}
}

func (c *reportCounts) String() string {
	return fmt.Sprintf("%d credentials of %d users, %d flagged.", c.rows, len(c.users), c.flagged)
}

// tableEncoder writes the metadata line, aligned plain-text columns for a
// terminal, the totals and the flags' legend. Cells pass through SafeText, so
// that no name can move the cursor, reorder the line or break the alignment.
// tabwriter needs every row to size the columns: it holds them until end.
type tableEncoder struct {
	out    *bufio.Writer
	tw     *tabwriter.Writer
	now    time.Time
	maxAge time.Duration
	line   []byte // one row's text, reused
	counts reportCounts
}

func (e *tableEncoder) begin(m AuditMeta) error {
	e.maxAge = m.MaxAge
	if _, err := e.out.WriteString("iamcreds audit; " + m.Summary() + "\n\n"); err != nil {
		return err
	}
	e.tw = tabwriter.NewWriter(e.out, 0, 0, 2, ' ', 0)
	_, err := e.tw.Write([]byte("USER\tSERVICE\tCREDENTIAL ID\tUSER NAME / ALIAS\tSTATUS\tCREATED\tAGE\tEXPIRES\tFLAGS\n"))
	return err
}

func (e *tableEncoder) row(r *AuditRow) error {
	e.counts.add(r)
	b := e.line[:0]
	for _, s := range [...]string{r.UserName, r.ServiceInfo().Short, r.ID, r.Login(), string(r.Status)} {
		b = append(append(b, cell(s)...), '\t')
	}
	if r.Created.IsZero() {
		b = append(b, '-')
	} else {
		b = r.Created.In(e.now.Location()).AppendFormat(b, time.DateOnly) // the zone AgeDays counted in
	}
	b = append(strconv.AppendInt(append(b, '\t'), int64(r.AgeDays), 10), 'd', '\t')
	expiry := r.Expiry
	if expiry == "" {
		expiry = ExpiryText(r.Credential, e.now)
	}
	b = append(append(b, expiry...), '\t')
	b = append(append(b, cell(flagTexts[r.Flags&allFlagBits])...), '\n')
	e.line = b
	_, err := e.tw.Write(b)
	return err
}

func (e *tableEncoder) end() error {
	if err := e.tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(e.out, "\n%s\n\n%s", &e.counts, Legend(e.maxAge))
	return err
}

// cell makes a table cell safe to print: "-" when empty, else SafeText.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return SafeText(s)
}

// markdownEncoder writes a GitHub-flavoured Markdown table for pasting into a
// ticket: the metadata line above it, the totals below. The names, ids and
// logins IAM returns are code spans, so that no "@ops" in a user name mentions
// anyone and no address becomes a link; every cell passes through SafeText (a
// line break would end the row), and | is escaped, which GFM honours inside
// code spans too.
type markdownEncoder struct {
	out    *bufio.Writer
	now    time.Time
	counts reportCounts
}

func (e *markdownEncoder) begin(m AuditMeta) error {
	_, err := e.out.WriteString(mdText("iamcreds audit; "+m.Summary()) + "\n\n" +
		"| User | Service | Credential ID | User name / alias | Status | Created | Age | Expires | Flags |\n" +
		"|---|---|---|---|---|---|---|---|---|\n")
	return err
}

func (e *markdownEncoder) row(r *AuditRow) error {
	e.counts.add(r)
	created := "-"
	if !r.Created.IsZero() {
		created = r.Created.UTC().Format(time.DateOnly)
	}
	flags := "-"
	if r.Flags != 0 {
		flags = strings.Join(flagLists[r.Flags&allFlagBits], ", ")
	}
	expiry := r.Expiry
	if expiry == "" {
		expiry = ExpiryText(r.Credential, e.now)
	}
	_, err := fmt.Fprintf(e.out, "| %s | %s | %s | %s | %s | %s | %dd | %s | %s |\n",
		mdCode(r.UserName), mdText(r.ServiceInfo().Short), mdCode(r.ID), mdCode(r.Login()),
		mdText(string(r.Status)), created, r.AgeDays, expiry, flags)
	return err
}

func (e *markdownEncoder) end() error {
	_, err := fmt.Fprintf(e.out, "\n%s\n", &e.counts)
	return err
}

// mdEscaper backslash-escapes what Markdown would read as markup in text:
// emphasis, code, links, HTML, entities and the table's |.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `~`, `\~`, `&`, `\&`,
)

// mdText is s as Markdown text that shows s: "-" when empty.
func mdText(s string) string {
	if s == "" {
		return "-"
	}
	return mdEscaper.Replace(SafeText(s))
}

// mdCode is s as a Markdown code span in a table cell: "-" when empty. The
// fence is one backtick longer than any run of them in s, padded with spaces
// when s starts or ends with one (CommonMark strips one space each side).
func mdCode(s string) string {
	if s == "" {
		return "-"
	}
	s = strings.ReplaceAll(SafeText(s), "|", `\|`)
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != '`' {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	if s[0] == '`' || s[len(s)-1] == '`' || (s[0] == ' ' && s[len(s)-1] == ' ') {
		s = " " + s + " "
	}
	fence := strings.Repeat("`", longest+1)
	return fence + s + fence
}
