package model

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// benchRows are n credentials shaped like a large account's: two per user on
// average, every service, some expiring, a few flagged.
func benchRows(n int) []AuditRow {
	services := []string{CodeCommit, Keyspaces, Bedrock, Logs}
	rows := make([]AuditRow, n)
	for i := range rows {
		user := fmt.Sprintf("user-%05d", i/2)
		c := Credential{
			ID:       fmt.Sprintf("ACCA%016d", i),
			UserName: user,
			Service:  services[i%len(services)],
			Status:   Active,
			Created:  daysAgo(float64(i % 400)),
		}
		switch c.Service {
		case CodeCommit, Keyspaces:
			c.ServiceUserName = user + "-at-123456789012"
		default:
			c.Alias = user + "-key"
			if i%3 == 0 {
				c.Expires = auditNow.Add(time.Duration(i%30) * 24 * time.Hour)
			}
		}
		if i%7 == 0 {
			c.Status = Inactive
		}
		rows[i] = NewAuditRow(c, auditNow, 0)
	}
	return rows
}

// BenchmarkWriteAudit writes 40,000 rows (issue 12's 20,000 users) in each
// format: time and bytes allocated per report.
func BenchmarkWriteAudit(b *testing.B) {
	rows := benchRows(40_000)
	meta := AuditMeta{Account: "123456789012", GeneratedAt: auditNow, MaxAge: DefaultMaxAge}
	for _, f := range ExportFormats {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteAuditReport(io.Discard, rows, f, meta); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
