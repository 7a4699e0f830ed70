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
	users         map[[2]string]struct{} // account ID and user: alice of two accounts is two users
	accounts      map[string]struct{}
	across        *AcrossAccounts
}

func (c *reportCounts) add(r *AuditRow) {
	if c.users == nil {
		c.users, c.accounts = map[[2]string]struct{}{}, map[string]struct{}{}
	}
	c.rows++
	if r.Flags != 0 {
		c.flagged++
	}
	c.users[[2]string{r.AccountID(), r.UserName}] = struct{}{}
	c.accounts[r.AccountID()] = struct{}{}
}

// String is the totals line; across accounts it counts the accounts the rows
// come from and says how many could not be read.
func (c *reportCounts) String() string {
	if c.across == nil {
		return fmt.Sprintf("%s of %s, %d flagged.", counted(c.rows, "credential"), counted(len(c.users), "user"), c.flagged)
	}
	s := fmt.Sprintf("%s of %s in %s, %d flagged.", counted(c.rows, "credential"), counted(len(c.users), "user"),
		counted(len(c.accounts), "account"), c.flagged)
	read, failed, skipped := c.across.Counts()
	s += fmt.Sprintf(" %d of %d accounts read", read, len(c.across.Accounts))
	if failed > 0 {
		s += fmt.Sprintf(", %d could not be", failed)
	}
	if skipped > 0 {
		s += fmt.Sprintf(", %d skipped", skipped)
	}
	return s + "."
}

// counted is n and the noun, plural unless n is 1: "1 user", "3 users".
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// skippedLines name each account left out on purpose and why.
func (c *reportCounts) skippedLines() string {
	if c.across == nil {
		return ""
	}
	var b strings.Builder
	for _, s := range c.across.SkippedAccounts() {
		fmt.Fprintf(&b, "Skipped %s: %s\n", SafeText(s.Account.Label()), SafeText(s.Skipped))
	}
	return b.String()
}

// accountLabel is a row's account cell: "Production (210000000001)".
func accountLabel(a *Account) string {
	if a == nil {
		return ""
	}
	return a.Label()
}

// failedStatus is the status cell of an account that could not be read.
const failedStatus = "NOT READ"

// tableEncoder writes the metadata line, aligned plain-text columns for a
// terminal, the totals and the flags' legend. Cells pass through SafeText, so
// that no name can move the cursor, reorder the line or break the alignment.
// tabwriter needs every row to size the columns: it holds them until end.
type tableEncoder struct {
	out    *bufio.Writer
	tw     tableSink
	width  int // the most columns a line may take (AuditMeta.Width); 0 no limit
	now    time.Time
	maxAge time.Duration
	across *AcrossAccounts // nil: one account
	judged []JudgedUser    // AuditMeta.Users
	line   []byte          // one row's text, reused
	counts reportCounts
}

const tableHeader = "USER\tSERVICE\tCREDENTIAL ID\tUSER NAME / ALIAS\tSTATUS\tCREATED\tAGE\tEXPIRES\tFLAGS\n"

func (e *tableEncoder) begin(m AuditMeta) error {
	e.maxAge = m.MaxAge
	e.counts.across = e.across
	if _, err := e.out.WriteString(wrapLines("iamcreds audit; "+m.Summary(), e.width, metaIndent) + "\n\n"); err != nil {
		return err
	}
	e.tw = tabwriter.NewWriter(e.out, 0, 0, 2, ' ', 0)
	if e.width > 0 {
		e.tw = &fitSink{out: e.out, width: e.width, across: e.across != nil}
	}
	header := tableHeader
	if e.across != nil {
		header = "ACCOUNT\t" + header
	}
	_, err := e.tw.Write([]byte(header))
	return err
}

func (e *tableEncoder) row(r *AuditRow) error {
	e.counts.add(r)
	b := e.line[:0]
	if e.across != nil {
		b = append(append(b, cell(accountLabel(r.Account))...), '\t')
	}
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

// end writes a row for each account that could not be read, with the reason in
// the last column, then the totals, the accounts skipped and the legend.
func (e *tableEncoder) end() error {
	if e.across != nil {
		for _, f := range e.across.Failed() {
			line := cell(f.Account.Label()) + "\t-\t-\t-\t-\t" + failedStatus + "\t-\t-\t-\t" + cell(f.Err) + "\n"
			if _, err := e.tw.Write([]byte(line)); err != nil {
				return err
			}
		}
	}
	if err := e.tw.Flush(); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(e.out, "\n%s\n%s", wrapLines(e.counts.String(), e.width, noIndent),
		wrapLines(e.counts.skippedLines(), e.width, noIndent)); err != nil {
		return err
	}
	legend := Legend(e.maxAge)
	if e.judged != nil {
		if err := e.users(e.judged); err != nil {
			return err
		}
		legend = UserLegend + legend
	}
	_, err := fmt.Fprintf(e.out, "\n%s", wrapLines(legend, e.width, legendIndent))
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
	across *AcrossAccounts // nil: one account
	judged []JudgedUser    // AuditMeta.Users
	counts reportCounts
}

func (e *markdownEncoder) begin(m AuditMeta) error {
	e.counts.across = e.across
	head, rule := "| User | Service | Credential ID | User name / alias | Status | Created | Age | Expires | Flags |\n",
		"|---|---|---|---|---|---|---|---|---|\n"
	if e.across != nil {
		head, rule = "| Account "+head, "|---"+rule
	}
	_, err := e.out.WriteString(mdText("iamcreds audit; "+m.Summary()) + "\n\n" + head + rule)
	return err
}

func (e *markdownEncoder) row(r *AuditRow) error {
	e.counts.add(r)
	if e.across != nil {
		if _, err := e.out.WriteString("| " + mdText(accountLabel(r.Account)) + " "); err != nil {
			return err
		}
	}
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

// end writes a row for each account that could not be read, then the totals
// and the accounts skipped.
func (e *markdownEncoder) end() error {
	if e.across != nil {
		for _, f := range e.across.Failed() {
			if _, err := fmt.Fprintf(e.out, "| %s | - | - | - | - | %s | - | - | - | %s |\n",
				mdText(f.Account.Label()), failedStatus, mdText(f.Err)); err != nil {
				return err
			}
		}
	}
	_, err := fmt.Fprintf(e.out, "\n%s\n", &e.counts)
	if skipped := e.counts.skippedLines(); err == nil && skipped != "" {
		_, err = e.out.WriteString("\n" + mdLines(skipped))
	}
	if err == nil && e.judged != nil {
		err = e.users(e.judged)
	}
	return err
}

// mdLines is mdText of each line, so that the line breaks stay.
func mdLines(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if t := strings.TrimSuffix(l, "\n"); t != "" {
			b.WriteString(mdText(t) + "\n")
		}
	}
	return b.String()
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
