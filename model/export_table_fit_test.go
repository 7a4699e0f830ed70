package model

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// tableLines are the table's lines of a text report: from the header to the
// blank line before the totals.
func tableLines(t *testing.T, report string) []string {
	t.Helper()
	_, rest, _ := strings.Cut(report, "\n\n")
	table, _, ok := strings.Cut(rest, "\n\n")
	if !ok {
		t.Fatalf("no table in\n%s", report)
	}
	return strings.Split(table, "\n")
}

// A width drops and shortens columns until every line fits, in the fleet
// view's order; what tells rows apart and what is wrong stays.
func TestWriteAuditTableFitsAWidth(t *testing.T) {
	full := string(writeReport(t, exportFixture(), FormatTable, exportMeta))
	widest := 0
	for _, l := range tableLines(t, full) {
		widest = max(widest, utf8.RuneCountInString(l))
	}
	for _, width := range []int{widest, 100, 80, 60, 40} {
		meta := exportMeta
		meta.Width = width
		got := string(writeReport(t, exportFixture(), FormatTable, meta))
		golden(t, fmt.Sprintf("audit_w%d.txt", min(width, 1000)), []byte(got))
		lines := tableLines(t, got)
		for _, l := range lines {
			if n := utf8.RuneCountInString(l); n > width {
				t.Errorf("width %d: a line of %d:\n%s", width, n, l)
			}
		}
		wants := []string{"USER", "SERVICE", "ID", "FLAGS", "stale", "expiring", "alice", "Bedrock", "ROCK01"}
		if width >= 50 {
			wants = append(wants, "STATUS", "Inactive") // the last to go
		}
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("width %d lost %q:\n%s", width, want, got)
			}
		}
		if width == widest && got != full {
			t.Errorf("a table that fits changed:\n%s\nwant\n%s", got, full)
		}
	}
	meta := exportMeta
	meta.Width = 60
	got := string(writeReport(t, exportFixture(), FormatTable, meta))
	if !strings.Contains(got, "…ROCK01") || strings.Contains(got, "ACCAEXAMPLEBEDROCK01") || strings.Contains(got, "CREATED") {
		t.Errorf("at 60 columns the id is not its tail, or CREATED stayed:\n%s", got)
	}
}

// Across accounts the account is cut too; a failed account's reason is whole,
// past the edge: cut, it could be read nowhere.
func TestWriteAcrossAccountsTableFitsAWidth(t *testing.T) {
	results := acrossFixture()
	rows := BuildAccountsAudit(results, auditNow, 0)
	meta := acrossMeta(results)
	meta.Width = 80
	got := string(writeReport(t, rows, FormatTable, meta))
	golden(t, "audit_accounts_w80.txt", []byte(got))
	for _, l := range tableLines(t, got) {
		if utf8.RuneCountInString(l) > 80 && !strings.Contains(l, failedStatus) {
			t.Errorf("a line of %d:\n%s", utf8.RuneCountInString(l), l)
		}
	}
	full := string(writeReport(t, rows, FormatTable, acrossMeta(results)))
	for _, f := range meta.Across.Failed() {
		if reason := SafeText(f.Err); !strings.Contains(got, reason) || !strings.Contains(full, reason) {
			t.Errorf("the reason %q is cut:\n%s", reason, got)
		}
	}
}
