package model

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
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
		{ID: "ACCAEXAMPLEUNKNOWN01", UserName: "@ops+ci", Service: "comprehend.amazonaws.com", Status: Active, Created: daysAgo(30), Expires: in(200), Alias: "-cw"},
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

// exportMeta is the fixture's metadata: an account, the fixed clock, 90 days.
var exportMeta = AuditMeta{Account: "123456789012", GeneratedAt: auditNow, MaxAge: DefaultMaxAge}

func writeReport(t testing.TB, rows []AuditRow, format ExportFormat, meta AuditMeta) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteAuditReport(&b, rows, format, meta); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteAuditGolden(t *testing.T) {
	for format, file := range map[ExportFormat]string{
		FormatCSV: "audit.csv", FormatJSON: "audit.json", FormatJSONL: "audit.jsonl",
		FormatTable: "audit.txt", FormatMarkdown: "audit.md",
	} {
		golden(t, file, writeReport(t, exportFixture(), format, exportMeta))
	}
	if err := WriteAuditReport(&bytes.Buffer{}, nil, "xml", exportMeta); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown format: %v", err)
	}
}

func TestParseExportFormat(t *testing.T) {
	for _, f := range ExportFormats {
		if got, err := ParseExportFormat(strings.ToUpper(string(f))); err != nil || got != f {
			t.Errorf("%s: %v %v", f, got, err)
		}
		if FormatForPath("x"+f.Ext()) != f {
			t.Errorf("%s: FormatForPath(%q) = %s", f, "x"+f.Ext(), FormatForPath("x"+f.Ext()))
		}
	}
	for _, bad := range []string{"", "xml", "md", "auto"} {
		if _, err := ParseExportFormat(bad); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "jsonl") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	for path, want := range map[string]ExportFormat{
		"a.NDJSON": FormatJSONL, "a.markdown": FormatMarkdown, "noext": FormatCSV, "a.tsv": FormatCSV,
		"report.JSON": FormatJSON, "dir/report.txt": FormatTable, "x.json.bak": FormatCSV,
	} {
		if got := FormatForPath(path); got != want {
			t.Errorf("FormatForPath(%q) = %s, want %s", path, got, want)
		}
	}
}

// Every format names the account, the time and the threshold; the text formats
// say "unknown" for an account STS did not name, and the filter when there is one.
func TestReportsCarryMetadata(t *testing.T) {
	meta := AuditMeta{GeneratedAt: auditNow, MaxAge: 36*time.Hour + 30*time.Minute,
		Filter: AuditFilter{Service: Bedrock, FlaggedOnly: true, Text: `a"b`}}
	want := `account unknown; generated 2026-11-22T12:00:00Z; max age 36h30m0s; filter service=bedrock.amazonaws.com flagged text="a\"b"`
	if got := meta.Summary(); got != want {
		t.Errorf("Summary() = %s\nwant        %s", got, want)
	}
	for _, f := range []ExportFormat{FormatCSV, FormatTable, FormatMarkdown} {
		out := string(writeReport(t, exportFixture()[:1], f, meta))
		first, _, _ := strings.Cut(out, "\n")
		line := "iamcreds audit; " + want
		if f == FormatMarkdown {
			line = mdText(line)
		}
		if !strings.HasSuffix(first, line) {
			t.Errorf("%s starts %q, want the summary", f, first)
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(writeReport(t, nil, FormatJSON, meta), &doc); err != nil {
		t.Fatal(err)
	}
	filter := map[string]any{"service": Bedrock, "flagged_only": true, "text": `a"b`}
	if doc["account"] != nil || doc["max_age"] != "36h30m0s" || fmt.Sprint(doc["filter"]) != fmt.Sprint(filter) {
		t.Errorf("JSON head %v", doc)
	}
	var line map[string]any
	if err := json.Unmarshal(writeReport(t, exportFixture()[:1], FormatJSONL, meta), &line); err != nil {
		t.Fatal(err)
	}
	if v, ok := line["account"]; !ok || v != nil || line["max_age"] != "36h30m0s" || fmt.Sprint(line["filter"]) != fmt.Sprint(filter) {
		t.Errorf("JSON Lines record %v", line)
	}
}

// csvRecords writes rows as CSV and parses them back, skipping the comment.
func csvRecords(t *testing.T, rows []AuditRow) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(writeReport(t, rows, FormatCSV, exportMeta)))
	r.Comment = '#'
	recs, err := r.ReadAll()
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

// The comment stays one line and one cell whatever the account holds: no line
// break, comma or quote of its own reaches it.
func TestCSVCommentIsOneCell(t *testing.T) {
	meta := exportMeta
	meta.Account = "1234\r\n=cmd|' /C calc'!A0"
	out := string(writeReport(t, nil, FormatCSV, meta))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "# iamcreds audit; account 1234␍␊=cmd") || lines[1] != strings.Join(auditColumns, ",") {
		t.Fatalf("CSV of no rows:\n%s", out)
	}
	recs, err := csv.NewReader(strings.NewReader(lines[0])).Read()
	if err != nil || len(recs) != 1 {
		t.Errorf("the comment line reads as %d cells (%v)", len(recs), err)
	}
}

// jsonDoc is the JSON report as MarshalIndent writes it whole: what the
// streamed document must equal byte for byte.
func jsonDoc(t *testing.T, rows []AuditRow, meta AuditMeta) []byte {
	t.Helper()
	h := newJSONHead(meta)
	doc := struct {
		jsonHead
		Credentials []auditRecord `json:"credentials"`
	}{jsonHead: h, Credentials: []auditRecord{}}
	for i := range rows {
		var rec auditRecord
		rec.set(&rows[i], meta.GeneratedAt, new(string), new(int))
		doc.Credentials = append(doc.Credentials, rec)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(escapeJSONControls(b), '\n')
}

// The streamed, hand-encoded JSON is byte for byte what encoding/json writes
// (then escapeJSONControls), for the document and for each line of JSON Lines.
func TestWriteAuditJSONIsTheWholeDocument(t *testing.T) {
	rows := append(exportFixture(), hostileRows()...)
	filtered := exportMeta
	filtered.Filter = AuditFilter{Text: "<&>\u2028", Status: Active}
	for _, meta := range []AuditMeta{exportMeta, filtered, {GeneratedAt: auditNow}} {
		for _, n := range []int{0, 1, len(rows)} {
			got := writeReport(t, rows[:n], FormatJSON, meta)
			if want := jsonDoc(t, rows[:n], meta); !bytes.Equal(got, want) {
				t.Errorf("%d rows: streamed\n%s\nwant\n%s", n, got, want)
			}
		}
		var want []byte
		for i := range rows {
			h := newJSONHead(meta)
			line := struct {
				jsonlHead
				auditRecord
			}{jsonlHead: jsonlHead{Account: h.Account, GeneratedAt: h.GeneratedAt, MaxAge: h.MaxAge}}
			if h.Filter != (jsonFilter{}) {
				line.Filter = &h.Filter
			}
			line.set(&rows[i], meta.GeneratedAt, new(string), new(int))
			b, err := json.Marshal(line)
			if err != nil {
				t.Fatal(err)
			}
			want = append(append(want, escapeJSONControls(b)...), '\n')
		}
		if got := writeReport(t, rows, FormatJSONL, meta); !bytes.Equal(got, want) {
			t.Errorf("JSON Lines\n%s\nwant\n%s", got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "alice", hostile, "<a href='x'>&amp;</a>", "\u2028\u2029\ufffd", "bad\xff\xc3", "\\\"\b\f\x01\x1f\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

func TestWriteAuditJSONShape(t *testing.T) {
	var doc struct {
		Account     string           `json:"account"`
		GeneratedAt string           `json:"generated_at"`
		MaxAge      string           `json:"max_age"`
		Filter      map[string]any   `json:"filter"`
		Credentials []map[string]any `json:"credentials"`
	}
	if err := json.Unmarshal(writeReport(t, exportFixture(), FormatJSON, exportMeta), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Account != "123456789012" || doc.GeneratedAt != "2026-11-22T12:00:00Z" || doc.MaxAge != "90d" ||
		doc.Filter == nil || len(doc.Filter) != 0 || len(doc.Credentials) != 7 {
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
	if f := doc.Credentials[5]["flags"]; f == nil {
		t.Error("flags must be [] or a list, never null")
	}
}

// JSON Lines holds the same records as the JSON document, one a line, each
// with the report's metadata.
func TestWriteAuditJSONLines(t *testing.T) {
	rows := append(exportFixture(), hostileRows()...)
	var doc struct {
		Credentials []map[string]any `json:"credentials"`
	}
	if err := json.Unmarshal(writeReport(t, rows, FormatJSON, exportMeta), &doc); err != nil {
		t.Fatal(err)
	}
	out := writeReport(t, rows, FormatJSONL, exportMeta)
	assertNoControls(t, "JSON Lines", strings.ReplaceAll(string(out), "\n", ""))
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(rows) {
		t.Fatalf("%d lines for %d rows", len(lines), len(rows))
	}
	for i, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if rec["account"] != "123456789012" || rec["generated_at"] != "2026-11-22T12:00:00Z" || rec["max_age"] != "90d" {
			t.Errorf("line %d lacks the metadata: %s", i+1, line)
		}
		if _, ok := rec["filter"]; ok {
			t.Errorf("line %d has a filter, but the report has none", i+1)
		}
		delete(rec, "account")
		delete(rec, "generated_at")
		delete(rec, "max_age")
		if fmt.Sprint(rec) != fmt.Sprint(doc.Credentials[i]) {
			t.Errorf("line %d\n%v\nJSON has\n%v", i+1, rec, doc.Credentials[i])
		}
	}
	if out := writeReport(t, nil, FormatJSONL, exportMeta); len(out) != 0 {
		t.Errorf("no rows wrote %q", out)
	}
}

func TestWriteAuditTableIsSafeToPrint(t *testing.T) {
	out := string(writeReport(t, exportFixture(), FormatTable, exportMeta))
	if strings.ContainsRune(out, 0x1b) || !strings.Contains(out, "carol␛[31mred") {
		t.Fatalf("control character reached the table:\n%s", out)
	}
	head, rest, _ := strings.Cut(out, "\n\n")
	table, footer, _ := strings.Cut(rest, "\n\n")
	if head != "iamcreds audit; "+exportMeta.Summary() || !strings.HasPrefix(footer, "7 credentials of 5 users, 5 flagged.\n") {
		t.Fatalf("head %q, footer %q", head, footer)
	}
	lines := strings.Split(table, "\n")
	col := strings.Index(lines[0], "STATUS")
	for _, line := range lines[1:] {
		l := string([]rune(line)[col:]) // columns count characters: ␛ is one, of three bytes
		if !strings.HasPrefix(l, "Active") && !strings.HasPrefix(l, "Inactive") && !strings.HasPrefix(l, "Expired") {
			t.Errorf("status column not aligned in %q", l)
		}
	}
}

// mdCells splits a Markdown table row at its unescaped pipes, as GFM does.
func mdCells(line string) []string {
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteString(`\|`)
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

func TestWriteAuditMarkdown(t *testing.T) {
	c := Credential{ID: "ACCA|x", UserName: "@ops|`a``b`", Service: CodeCommit, Status: Active,
		Created: daysAgo(3), ServiceUserName: "`<img src=x>` *b* [l](u)\n| x |"}
	rows := append(exportFixture(), NewAuditRow(c, auditNow, 0))
	out := string(writeReport(t, rows, FormatMarkdown, exportMeta))
	assertNoControls(t, "markdown", strings.ReplaceAll(out, "\n", ""))
	lines := strings.Split(out, "\n")
	if lines[0] != "iamcreds audit; "+exportMeta.Summary() || lines[1] != "" {
		t.Fatalf("no metadata line above the table:\n%s", out)
	}
	var body []string
	for _, l := range lines[2:] {
		if l == "" {
			break
		}
		body = append(body, l)
	}
	if len(body) != 2+len(rows) || !strings.HasPrefix(body[1], "|---|") {
		t.Fatalf("%d table lines for %d rows:\n%s", len(body), len(rows), out)
	}
	for _, l := range body {
		if cells := mdCells(l); len(cells) != 11 || cells[0] != "" || cells[10] != "" {
			t.Errorf("row of %d cells: %q", len(cells), l)
		}
	}
	last := mdCells(body[len(body)-1])
	for i, want := range map[int]string{
		1: "``` @ops\\|`a``b` ```", // a longer fence than the run inside, padded, | escaped
		3: "`ACCA\\|x`",
		4: "`` `<img src=x>` *b* [l](u)␊\\| x \\| ``",
		9: "-",
	} {
		if last[i] != want {
			t.Errorf("cell %d = %s, want %s", i, last[i], want)
		}
	}
	if !strings.HasSuffix(out, "\n8 credentials of 6 users, 5 flagged.\n") {
		t.Errorf("no totals under the table:\n%s", out)
	}
	if got := mdText("a|b`c*d_e<f>[g]&h\\"); got != "a\\|b\\`c\\*d\\_e\\<f\\>\\[g\\]\\&h\\\\" {
		t.Errorf("mdText = %s", got)
	}
}

// Streamed formats reach the writer while rows are still coming; the table,
// which aligns its columns over every row, only at Close.
func TestAuditWriterStreams(t *testing.T) {
	rows := benchRows(2000)
	for _, f := range ExportFormats {
		var sink bytes.Buffer
		w, err := NewAuditWriter(&sink, f, exportMeta)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		before := sink.Len()
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if streamed := before > 0; streamed != (f != FormatTable) {
			t.Errorf("%s: %d of %d bytes written before Close", f, before, sink.Len())
		}
		if whole := writeReport(t, rows, f, exportMeta); !bytes.Equal(sink.Bytes(), whole) {
			t.Errorf("%s: row by row differs from WriteAuditReport", f)
		}
	}
}

// failAfter fails every write after n bytes.
type failAfter struct{ n, got int }

func (w *failAfter) Write(p []byte) (int, error) {
	if w.got+len(p) > w.n {
		return 0, errors.New("disk full")
	}
	w.got += len(p)
	return len(p), nil
}

func TestAuditWriterReportsWriteErrors(t *testing.T) {
	for _, f := range ExportFormats {
		w := &failAfter{n: 100 << 10}
		if err := WriteAuditReport(w, benchRows(3000), f, exportMeta); err == nil || err.Error() != "disk full" {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestAuditFileName(t *testing.T) {
	local := time.Date(2026, 11, 22, 23, 30, 0, 0, time.FixedZone("x", 3600))
	for _, tc := range []struct {
		meta   AuditMeta
		format ExportFormat
		want   string
	}{
		{exportMeta, FormatCSV, "iamcreds-audit-123456789012-20261122.csv"},
		{exportMeta, "", "iamcreds-audit-123456789012-20261122.csv"},
		{exportMeta, FormatJSONL, "iamcreds-audit-123456789012-20261122.jsonl"},
		{AuditMeta{Account: "123456789012", GeneratedAt: local}, FormatMarkdown, "iamcreds-audit-123456789012-20261122.md"},
		{AuditMeta{GeneratedAt: auditNow}, FormatJSON, "iamcreds-audit-20261122.json"},
		{AuditMeta{Account: "../../etc/x", GeneratedAt: auditNow}, FormatTable, "iamcreds-audit-20261122.txt"},
		{AuditMeta{GeneratedAt: auditNow, Across: &AcrossAccounts{Organization: "o-a1b2c3d4e5"}}, FormatCSV, "iamcreds-audit-o-a1b2c3d4e5-20261122.csv"},
		{AuditMeta{GeneratedAt: auditNow, Across: &AcrossAccounts{}}, FormatJSON, "iamcreds-audit-accounts-20261122.json"},
		{AuditMeta{GeneratedAt: auditNow, Across: &AcrossAccounts{Organization: "o-../../x"}}, FormatCSV, "iamcreds-audit-accounts-20261122.csv"},
	} {
		if got := AuditFileName(tc.meta, tc.format); got != tc.want {
			t.Errorf("AuditFileName(%+v, %s) = %s, want %s", tc.meta, tc.format, got, tc.want)
		}
	}
}

// The totals line agrees with its numbers: "1 credential of 1 user".
func TestReportCountsAgree(t *testing.T) {
	var c reportCounts
	c.add(&AuditRow{Credential: Credential{UserName: "ana", ID: "A1"}})
	if got := c.String(); got != "1 credential of 1 user, 0 flagged." {
		t.Errorf("%q", got)
	}
	c.add(&AuditRow{Credential: Credential{UserName: "bo", ID: "B1"}})
	if got := c.String(); got != "2 credentials of 2 users, 0 flagged." {
		t.Errorf("%q", got)
	}
}
