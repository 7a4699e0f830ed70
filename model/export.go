package model

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// ExportFormat is how an audit report is written.
type ExportFormat string

const (
	FormatCSV   ExportFormat = "csv"
	FormatJSON  ExportFormat = "json"
	FormatTable ExportFormat = "table"
)

// ParseExportFormat reads table, csv or json.
func ParseExportFormat(s string) (ExportFormat, error) {
	switch f := ExportFormat(strings.ToLower(s)); f {
	case FormatCSV, FormatJSON, FormatTable:
		return f, nil
	}
	return "", Errorf(KindInvalid, "unknown format %q (table, csv or json)", s)
}

// DefaultExportName is the file name the fleet view proposes: iamcreds-audit-YYYYMMDD.csv.
func DefaultExportName(now time.Time) string {
	return "iamcreds-audit-" + now.Format("20060102") + ".csv"
}

// FormatForPath picks a format by extension: .json is JSON, .txt a table, anything
// else CSV (the default name's format).
func FormatForPath(path string) ExportFormat {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return FormatJSON
	case ".txt":
		return FormatTable
	}
	return FormatCSV
}

// auditColumns are the CSV header and the JSON keys, in order.
var auditColumns = []string{
	"user", "service", "service_name", "credential_id", "login", "status",
	"created", "age_days", "expires", "expires_in_days", "flags",
}

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

func newAuditRecord(r AuditRow, now time.Time) auditRecord {
	rec := auditRecord{
		User:         r.UserName,
		Service:      r.ServiceInfo().Short,
		ServiceName:  r.Service,
		CredentialID: r.ID,
		Login:        r.Login(),
		Status:       string(r.Status),
		Created:      rfc3339(r.Created),
		AgeDays:      r.AgeDays,
		Flags:        r.Flags.Names(),
	}
	if days, ok := r.DaysToExpiry(now); ok {
		exp := rfc3339(r.Expires)
		rec.Expires, rec.ExpiresInDays = &exp, &days
	}
	if rec.Flags == nil {
		rec.Flags = []string{} // [] rather than null, so that scripts need no null check
	}
	return rec
}

// rfc3339 prints t in UTC so that a report does not depend on the local zone.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// WriteAuditCSV writes a header and one line per row. Text cells pass through
// SafeText, and those that begin with = + - @ get a leading ' so that a
// spreadsheet shows them rather than evaluating them as a formula: IAM allows
// = + - @ in user names. Numbers are left as they are.
func WriteAuditCSV(w io.Writer, rows []AuditRow, now time.Time) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(auditColumns); err != nil {
		return err
	}
	for _, r := range rows {
		rec := newAuditRecord(r, now)
		expires, inDays := "", ""
		if rec.Expires != nil {
			expires, inDays = *rec.Expires, strconv.Itoa(*rec.ExpiresInDays)
		}
		err := cw.Write([]string{
			csvText(rec.User), csvText(rec.Service), csvText(rec.ServiceName), csvText(rec.CredentialID),
			csvText(rec.Login), csvText(rec.Status), rec.Created, strconv.Itoa(rec.AgeDays),
			expires, inDays, strings.Join(rec.Flags, ";"),
		})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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

// WriteAuditJSON writes {"generated_at": …, "credentials": [...]}, indented, with
// the CSV's columns as keys; expires and expires_in_days are null for a credential
// that never expires, and flags is a list. Values are exact; the controls SafeText
// replaces are written as \uXXXX escapes (encoding/json leaves DEL, C1 and bidi
// controls raw), so that the file can be printed to a terminal as it is.
func WriteAuditJSON(w io.Writer, rows []AuditRow, now time.Time) error {
	doc := struct {
		GeneratedAt string        `json:"generated_at"`
		Credentials []auditRecord `json:"credentials"`
	}{GeneratedAt: rfc3339(now), Credentials: make([]auditRecord, len(rows))}
	for i, r := range rows {
		doc.Credentials[i] = newAuditRecord(r, now)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(escapeJSONControls(b), '\n'))
	return err
}

// WriteAuditTable writes aligned plain-text columns for a terminal. Cells pass
// through SafeText, so that no name can move the cursor, reorder the line or
// break the alignment.
func WriteAuditTable(w io.Writer, rows []AuditRow, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tSERVICE\tCREDENTIAL ID\tUSER NAME / ALIAS\tSTATUS\tCREATED\tAGE\tEXPIRES\tFLAGS")
	for _, r := range rows {
		created := FormatDate(r.Created, now.Location()) // the zone AgeDays counted in
		if created == "" {
			created = "-"
		}
		expiry := r.Expiry
		if expiry == "" {
			expiry = ExpiryText(r.Credential, now)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%dd\t%s\t%s\n",
			cell(r.UserName), cell(r.ServiceInfo().Short), cell(r.ID), cell(r.Login()), cell(string(r.Status)),
			created, r.AgeDays, expiry, cell(r.Flags.String()))
	}
	return tw.Flush()
}

// cell makes a table cell safe to print: "-" when empty, else SafeText.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return SafeText(s)
}

// WriteAudit writes rows in one of the three formats.
func WriteAudit(w io.Writer, rows []AuditRow, now time.Time, format ExportFormat) error {
	switch format {
	case FormatCSV:
		return WriteAuditCSV(w, rows, now)
	case FormatJSON:
		return WriteAuditJSON(w, rows, now)
	case FormatTable:
		return WriteAuditTable(w, rows, now)
	}
	return Errorf(KindInvalid, "unknown format %q (table, csv or json)", string(format))
}
