package model

import (
	"path/filepath"
	"strings"
)

// AuditFileName is the name to propose for a report of meta in format (CSV for
// any other value):
// iamcreds-audit-123456789012-20261122.csv, without the account when it is
// unknown or not a plain account id. The date is GeneratedAt's, in its zone.
//
// Across accounts it names the organization (iamcreds-audit-o-abc123-…) or
// says "accounts" (for profiles).
func AuditFileName(meta AuditMeta, format ExportFormat) string {
	name := "iamcreds-audit-"
	switch {
	case meta.Across != nil && isOrganizationID(meta.Across.Organization):
		name += meta.Across.Organization + "-"
	case meta.Across != nil:
		name += "accounts-"
	case isAccountID(meta.Account):
		name += meta.Account + "-"
	}
	return name + meta.GeneratedAt.Format("20060102") + format.Ext()
}

// isAccountID reports twelve digits: the account id, safe in a file name.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Ext is the file extension FormatForPath reads as f.
func (f ExportFormat) Ext() string {
	switch f {
	case FormatJSON:
		return ".json"
	case FormatJSONL:
		return ".jsonl"
	case FormatMarkdown:
		return ".md"
	case FormatTable:
		return ".txt"
	}
	return ".csv"
}

// FormatForPath picks a format by extension: .json is JSON, .jsonl (or
// .ndjson) JSON Lines, .md Markdown, .txt a table, anything else CSV (the
// default name's format).
func FormatForPath(path string) ExportFormat {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return FormatJSON
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".md", ".markdown":
		return FormatMarkdown
	case ".txt":
		return FormatTable
	}
	return FormatCSV
}
