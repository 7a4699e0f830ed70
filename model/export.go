package model

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ExportFormat is how an audit report is written.
type ExportFormat string

const (
	FormatCSV      ExportFormat = "csv"
	FormatJSON     ExportFormat = "json"
	FormatJSONL    ExportFormat = "jsonl"
	FormatMarkdown ExportFormat = "markdown"
	FormatTable    ExportFormat = "table"
)

// ExportFormats are the formats a report is written in, in the order --help
// and completion list them.
var ExportFormats = []ExportFormat{FormatTable, FormatCSV, FormatJSON, FormatJSONL, FormatMarkdown}

const formatChoices = "table, csv, json, jsonl or markdown"

// ParseExportFormat reads table, csv, json, jsonl or markdown.
func ParseExportFormat(s string) (ExportFormat, error) {
	f := ExportFormat(strings.ToLower(s))
	for _, g := range ExportFormats {
		if f == g {
			return f, nil
		}
	}
	return "", Errorf(KindInvalid, "unknown format %q (%s)", s, formatChoices)
}

// AuditMeta is what every report says about itself, so that reports from
// several accounts, days or thresholds can be told apart.
type AuditMeta struct {
	// Account is the AWS account id the rows come from (STS GetCallerIdentity);
	// "" when unknown, which JSON writes as null and the text formats as "unknown".
	Account string
	// GeneratedAt is when the rows were read: the now their flags and ages were
	// computed at, and the one expires_in_days is counted from.
	GeneratedAt time.Time
	// MaxAge is the stale threshold the flags were computed with; <= 0 means
	// DefaultMaxAge, as for Flags.
	MaxAge time.Duration
	// Filter is the selection the rows are, when they are not every credential
	// (audit --service/--flagged, or the fleet view's filters); zero for all.
	Filter AuditFilter
	// Across, set for a report across accounts, names the organization (or the
	// profiles) and every account with what became of it; the rows then carry
	// their Account, every format gains the account, and an account that could
	// not be read is a row with the reason. Account is unused then.
	Across *AcrossAccounts
	// Users, when not nil, are the console-made users judged (ConsoleMade,
	// JudgeUser), none perhaps: every format then gains a section for them
	// after the credentials. nil: not judged, and the report is as before.
	Users []JudgedUser
	// UnscannedServices are services seen in per-user listings that the
	// AllUsers scan lacks (Inventory.Unscanned): their credentials are in the
	// rows, but a scan that never falls back to per-user listings misses them.
	UnscannedServices []string
	// Width is the most columns a line of the table format may take (a
	// terminal's width): it drops and shortens columns to fit. 0 is no limit,
	// and the other formats ignore it.
	Width int
}

// Summary is the metadata as one line of text without commas, the same in the
// CSV comment, the table and the Markdown:
// "account 123456789012; generated 2026-11-22T12:00:00Z; max age 90d".
//
// Across accounts it names the organization and the caller, or the profiles,
// and counts the accounts: "organization o-abc; caller 123456789012; accounts
// 6 (read 4 failed 1 skipped 1); generated …".
func (m AuditMeta) Summary() string {
	var s string
	if a := m.Across; a != nil {
		s = a.summary() + "; generated " + rfc3339(m.GeneratedAt) + "; max age " + FormatMaxAgeFlag(m.MaxAge)
	} else {
		account := m.Account
		if account == "" {
			account = "unknown"
		}
		s = "account " + account + "; generated " + rfc3339(m.GeneratedAt) + "; max age " + FormatMaxAgeFlag(m.MaxAge)
	}
	if f := m.Filter.Describe(); f != "" {
		s += "; filter " + f
	}
	if len(m.UnscannedServices) > 0 {
		s += "; unscanned services " + strings.Join(m.UnscannedServices, " ")
	}
	return SafeText(s)
}

// Describe says what the filter selects, in the words of audit's flags:
// `service=bedrock.amazonaws.com status=Active flagged text="ali"`; "" for
// a filter that selects everything.
func (f AuditFilter) Describe() string {
	var parts []string
	if f.Service != "" {
		parts = append(parts, "service="+f.Service)
	}
	if f.Status != "" {
		parts = append(parts, "status="+string(f.Status))
	}
	if f.FlaggedOnly {
		parts = append(parts, "flagged")
	}
	if f.Account != "" {
		parts = append(parts, "account="+f.Account)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		parts = append(parts, "text="+strconv.Quote(t))
	}
	return strings.Join(parts, " ")
}

// summary names the set of accounts and counts them, without commas.
func (a *AcrossAccounts) summary() string {
	var s string
	switch {
	case a.Organization != "":
		s = "organization " + a.Organization + "; caller " + orUnknown(a.Caller)
	case a.Caller != "":
		s = "caller " + a.Caller
	default:
		s = "profiles"
	}
	read, failed, skipped := a.Counts()
	s += fmt.Sprintf("; accounts %d (read %d", len(a.Accounts), read)
	if failed > 0 {
		s += fmt.Sprintf(" failed %d", failed)
	}
	if skipped > 0 {
		s += fmt.Sprintf(" skipped %d", skipped)
	}
	return s + ")"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// FormatMaxAgeFlag writes an age threshold as --max-age takes it: whole days as
// "90d", anything else as a Go duration ("36h30m0s"); <= 0 is DefaultMaxAge.
func FormatMaxAgeFlag(d time.Duration) string {
	if d <= 0 {
		d = DefaultMaxAge
	}
	if day := 24 * time.Hour; d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	return d.String()
}

// AuditWriter writes a report one row at a time: CSV, JSON and JSON Lines go
// out as the rows come (a row is encoded and buffered, never the document);
// the table must see every row to align its columns and holds them until Close.
// Nothing reaches w after an error, which Write and Close return.
type AuditWriter struct {
	out  *bufio.Writer
	enc  rowEncoder
	meta AuditMeta
	err  error
}

// rowEncoder is one format: what comes before the rows, each row, and the end.
type rowEncoder interface {
	begin(m AuditMeta) error
	row(r *AuditRow) error
	end() error
}

// NewAuditWriter starts a report in format on w; its metadata comes first (the
// CSV comment, JSON's fields, the Markdown and table line) or, in JSON Lines,
// with every record. Call Write for each row and Close at the end; Close does
// not close w.
func NewAuditWriter(w io.Writer, format ExportFormat, meta AuditMeta) (*AuditWriter, error) {
	out := bufio.NewWriterSize(w, 64<<10)
	var enc rowEncoder
	switch format {
	case FormatCSV:
		enc = &csvEncoder{out: out, now: meta.GeneratedAt, across: meta.Across, judged: meta.Users}
	case FormatJSON:
		enc = newJSONEncoder(out, meta)
	case FormatJSONL:
		enc = newJSONLEncoder(out, meta)
	case FormatTable:
		enc = &tableEncoder{out: out, now: meta.GeneratedAt, across: meta.Across, width: meta.Width, judged: meta.Users}
	case FormatMarkdown:
		enc = &markdownEncoder{out: out, now: meta.GeneratedAt, across: meta.Across, judged: meta.Users}
	default:
		return nil, Errorf(KindInvalid, "unknown format %q (%s)", string(format), formatChoices)
	}
	a := &AuditWriter{out: out, enc: enc, meta: meta}
	a.err = enc.begin(meta)
	return a, nil
}

// Write adds one row.
func (a *AuditWriter) Write(r AuditRow) error { return a.write(&r) }

func (a *AuditWriter) write(r *AuditRow) error {
	if a.err == nil {
		a.err = a.enc.row(r)
	}
	return a.err
}

// Close ends the report and flushes it to w.
func (a *AuditWriter) Close() error {
	if a.err == nil {
		a.err = a.enc.end()
	}
	if a.err == nil {
		a.err = a.out.Flush()
	}
	return a.err
}

// WriteAuditReport writes rows as a report in format, with meta.
func WriteAuditReport(w io.Writer, rows []AuditRow, format ExportFormat, meta AuditMeta) error {
	a, err := NewAuditWriter(w, format, meta)
	if err != nil {
		return err
	}
	for i := range rows {
		if a.write(&rows[i]) != nil {
			break
		}
	}
	return a.Close()
}

// auditColumns are the CSV header and the JSON keys, in order.
var auditColumns = []string{
	"user", "service", "service_name", "credential_id", "login", "status",
	"created", "age_days", "expires", "expires_in_days", "flags",
}

// acrossColumns are the CSV header of a report across accounts: the account
// first, and last the reason an account could not be read, on its own row.
var acrossColumns = append(append([]string{"account", "account_name"}, auditColumns...), "error")

// auditRecord is one row as exported: metadata only; a Credential holds no secret.
type auditRecord struct {
	User          string   `json:"user"`
	Service       string   `json:"service"`
	ServiceName   string   `json:"service_name"`
	CredentialID  string   `json:"credential_id"`
	Login         string   `json:"login"`
	Status        string   `json:"status"`
	Created       string   `json:"created"`
	AgeDays       int      `json:"age_days"`
	Expires       *string  `json:"expires"`         // null: never expires
	ExpiresInDays *int     `json:"expires_in_days"` // calendar days (days.go); negative once the date has passed
	Flags         []string `json:"flags"`
}

// set fills rec with r at now. The expiry pointers point into exp and days, so
// that an encoder reusing one record allocates nothing for them.
func (rec *auditRecord) set(r *AuditRow, now time.Time, exp *string, days *int) {
	*rec = auditRecord{
		User:         r.UserName,
		Service:      r.ServiceInfo().Short,
		ServiceName:  r.Service,
		CredentialID: r.ID,
		Login:        r.Login(),
		Status:       string(r.Status),
		Created:      rfc3339(r.Created),
		AgeDays:      r.AgeDays,
		Flags:        flagLists[r.Flags&allFlagBits],
	}
	if d, ok := r.DaysToExpiry(now); ok {
		*exp, *days = rfc3339(r.Expires), d
		rec.Expires, rec.ExpiresInDays = exp, days
	}
}

// flagLists and flagTexts hold Names() and String() of every combination of
// flags, built once: the writers then allocate nothing for them. Each list is
// [] rather than nil, so that JSON writes [] and scripts need no null check.
var flagLists, flagTexts = func() (lists [allFlagBits + 1][]string, texts [allFlagBits + 1]string) {
	for f := range lists {
		lists[f] = append([]string{}, Flag(f).Names()...)
		texts[f] = Flag(f).String()
	}
	return lists, texts
}()

// rfc3339 prints t in UTC so that a report does not depend on the local zone.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// csvEncoder writes a comment line with the metadata, a header and one line per
// row. Text cells pass through SafeText, and those that begin with = + - @ get a
// leading ' so that a spreadsheet shows them rather than evaluating them as a
// formula: IAM allows = + - @ in user names. Numbers are left as they are.
type csvEncoder struct {
	out    *bufio.Writer
	cw     *csv.Writer
	now    time.Time
	across *AcrossAccounts // nil: one account
	judged []JudgedUser    // AuditMeta.Users
	rec    auditRecord
	exp    string
	days   int
	line   []string
}

// begin writes "# iamcreds audit; account …" before the header: pandas
// (comment='#'), R (comment.char), DuckDB and Go's csv.Reader (Comment) skip it;
// a spreadsheet shows it as the first row. The line holds no comma or quote of
// its own, so that it stays one cell there.
func (e *csvEncoder) begin(m AuditMeta) error {
	e.cw = csv.NewWriter(e.out)
	if _, err := e.out.WriteString("# iamcreds audit; " + m.Summary() + "\n"); err != nil {
		return err
	}
	if e.across != nil {
		return e.cw.Write(acrossColumns)
	}
	return e.cw.Write(auditColumns)
}

func (e *csvEncoder) row(r *AuditRow) error {
	rec := &e.rec
	rec.set(r, e.now, &e.exp, &e.days)
	expires, inDays := "", ""
	if rec.Expires != nil {
		expires, inDays = *rec.Expires, strconv.Itoa(*rec.ExpiresInDays)
	}
	line := e.line[:0]
	if e.across != nil {
		line = append(line, accountCells(r.Account)...)
	}
	line = append(line,
		csvText(rec.User), csvText(rec.Service), csvText(rec.ServiceName), csvText(rec.CredentialID),
		csvText(rec.Login), csvText(rec.Status), rec.Created, strconv.Itoa(rec.AgeDays),
		expires, inDays, flagTexts[r.Flags&allFlagBits],
	)
	if e.across != nil {
		line = append(line, "")
	}
	e.line = line
	return e.cw.Write(line)
}

// accountCells are the account and account_name cells of a row.
func accountCells(a *Account) []string {
	if a == nil {
		return []string{"", ""}
	}
	return []string{csvText(a.ID), csvText(a.DisplayName())}
}

// end writes a row for each account that could not be read: its account and
// the reason, every credential cell empty.
func (e *csvEncoder) end() error {
	if e.across != nil {
		for _, f := range e.across.Failed() {
			line := make([]string, len(acrossColumns))
			copy(line, accountCells(&f.Account))
			line[len(line)-1] = csvText(f.Err)
			if err := e.cw.Write(line); err != nil {
				return err
			}
		}
	}
	e.cw.Flush()
	if err := e.cw.Error(); err != nil || e.judged == nil {
		return err
	}
	return e.users(e.judged)
}

// csvText makes a cell safe for a terminal (SafeText) and neutralises spreadsheet
// formula injection (OWASP's recommendation).
func csvText(s string) string {
	s = SafeText(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
