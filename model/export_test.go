package model

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// exportFixture has every flag, every expiry text, an unknown service, names IAM
// allows that a spreadsheet would run as formulas, and a control character.
func exportFixture() []AuditRow {
	in := func(d float64) time.Time { return auditNow.Add(time.Duration(d * 24 * float64(time.Hour))) }
	cs := []Credential{
		{ID: "ACCAEXAMPLEGIT000001", UserName: "alice", Service: CodeCommit, Status: Active, Created: daysAgo(400.2), ServiceUserName: "alice-at-123456789012"},
		{ID: "ACCAEXAMPLEBEDROCK01", UserName: "alice", Service: Bedrock, Status: Active, Created: daysAgo(12), Alias: "alice-bedrock"},
		{ID: "ACCAEXAMPLELOGS00001", UserName: "bob", Service: Logs, Status: Active, Created: daysAgo(80), Expires: in(3.5), Alias: "bob-logs"},
		{ID: "ACCAEXAMPLELOGS00002", UserName: "bob", Service: Logs, Status: Expired, Created: daysAgo(60), Expires: in(-5), Alias: "bob-old"},
		{ID: "ACCAEXAMPLEBEDROCK02", UserName: "carol", Service: Bedrock, Status: Inactive, Created: daysAgo(5), Expires: in(0.25), Alias: "carol\x1b[31mred"},
		{ID: "ACCAEXAMPLEKEYSPACE1", UserName: "=HYPERLINK(\"x\")", Service: Keyspaces, Status: Active, Created: daysAgo(1), ServiceUserName: "=HYPERLINK-at-123456789012"},
		{ID: "ACCAEXAMPLEUNKNOWN01", UserName: "@ops+ci", Service: "cloudwatch.amazonaws.com", Status: Active, Created: daysAgo(30), Expires: in(200), Alias: "-cw"},
	}
	rows := make([]AuditRow, len(cs))
	for i, c := range cs {
		rows[i] = NewAuditRow(c, auditNow, 0)
	}
	return rows
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./model/ -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestWriteAuditGolden(t *testing.T) {
	for format, file := range map[ExportFormat]string{FormatCSV: "audit.csv", FormatJSON: "audit.json", FormatTable: "audit.txt"} {
		var b bytes.Buffer
		if err := WriteAudit(&b, exportFixture(), auditNow, format); err != nil {
			t.Fatal(err)
		}
		golden(t, file, b.Bytes())
	}
	if err := WriteAudit(&bytes.Buffer{}, nil, auditNow, "xml"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown format: %v", err)
	}
}

// csvRecords writes rows as CSV and parses them back.
func csvRecords(t *testing.T, rows []AuditRow) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteAuditCSV(&b, rows, auditNow); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestWriteAuditCSVNeutralisesFormulas(t *testing.T) {
	recs := csvRecords(t, exportFixture())
	if strings.Join(recs[0], ",") != strings.Join(auditColumns, ",") || len(recs) != 8 {
		t.Fatalf("header %v, %d records", recs[0], len(recs))
	}
	for _, rec := range recs[1:] {
		for col, v := range rec {
			if v != "" && strings.ContainsRune("=+-@", rune(v[0])) && auditColumns[col] != "expires_in_days" {
				t.Errorf("column %s starts with a formula character: %q", auditColumns[col], v)
			}
		}
	}
	user, login := recs[6][0], recs[6][4]
	if user != `'=HYPERLINK("x")` || login != "'=HYPERLINK-at-123456789012" {
		t.Errorf("not neutralised: %q %q", user, login)
	}
	if recs[4][9] != "-5" || recs[4][10] != "expired" {
		t.Errorf("a negative number must stay a number: %v", recs[4])
	}
	if recs[2][8] != "" || recs[2][9] != "" || recs[2][10] != "no-expiry" {
		t.Errorf("never-expiring key: %v", recs[2])
	}
}

func TestWriteAuditJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAuditJSON(&b, exportFixture(), auditNow); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		GeneratedAt string           `json:"generated_at"`
		Credentials []map[string]any `json:"credentials"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.GeneratedAt != "2026-11-22T12:00:00Z" || len(doc.Credentials) != 7 {
		t.Fatalf("doc %+v", doc)
	}
	never, expiring := doc.Credentials[1], doc.Credentials[2]
	if never["expires"] != nil || never["expires_in_days"] != nil || len(never["flags"].([]any)) != 1 {
		t.Errorf("never-expiring: %v", never)
	}
	if expiring["expires_in_days"] != 4.0 || expiring["age_days"] != 80.0 || expiring["service_name"] != Logs {
		t.Errorf("expiring: %v", expiring)
	}
	if flags := doc.Credentials[0]["flags"].([]any); len(flags) != 1 || flags[0] != "stale" {
		t.Errorf("flags %v", flags)
	}
	if f := doc.Credentials[3]["flags"]; f == nil {
		t.Error("flags must be [] or a list, never null")
	}
}

func TestWriteAuditTableIsSafeToPrint(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAuditTable(&b, exportFixture(), auditNow); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsRune(out, 0x1b) || !strings.Contains(out, "carol␛[31mred") {
		t.Fatalf("control character reached the table:\n%s", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	col := strings.Index(lines[0], "STATUS")
	for _, line := range lines[1:] {
		l := string([]rune(line)[col:]) // columns count characters: ␛ is one, of three bytes
		if !strings.HasPrefix(l, "Active") && !strings.HasPrefix(l, "Inactive") && !strings.HasPrefix(l, "Expired") {
			t.Errorf("status column not aligned in %q", l)
		}
	}
}

func TestExportNameAndFormat(t *testing.T) {
	if got := DefaultExportName(auditNow); got != "iamcreds-audit-20261122.csv" {
		t.Fatalf("default name %s", got)
	}
	for path, want := range map[string]ExportFormat{
		"a.csv": FormatCSV, "report.JSON": FormatJSON, "dir/report.txt": FormatTable, "noext": FormatCSV, "x.json.bak": FormatCSV,
	} {
		if got := FormatForPath(path); got != want {
			t.Errorf("FormatForPath(%q) = %s, want %s", path, got, want)
		}
	}
	if err := WriteAudit(io.Discard, exportFixture(), auditNow, "xml"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad format: %v", err)
	}
}
