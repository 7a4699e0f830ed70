package model

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultExportName is the file name the fleet view proposes: iamcreds-audit-YYYYMMDD.csv.
//
// Deprecated: AuditFileName also names the account.
func DefaultExportName(now time.Time) string {
	return "iamcreds-audit-" + now.Format("20060102") + ".csv"
}

// AuditFileName is the name to propose for a report of meta in format:
// iamcreds-audit-123456789012-20261122.csv, without the account when it is
// unknown or not a plain account id. The date is GeneratedAt's, in its zone.
func AuditFileName(meta AuditMeta, format ExportFormat) string {
	name := "iamcreds-audit-"
	if isAccountID(meta.Account) {
		name += meta.Account + "-"
	}
	if format == FormatAuto {
		format = FormatCSV
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

// ExportAudit is WriteAuditFile as it was before reports carried metadata:
// CSV without the comment line, JSON with only "generated_at", the table
// without its first line. The fleet's x calls it until it passes an AuditMeta.
//
// Deprecated: use WriteAuditFile, whose report names the account, the time and
// the age threshold.
func ExportAudit(path string, rows []AuditRow, now time.Time, format ExportFormat, overwrite bool) error {
	return WriteAuditFile(path, rows, format, AuditMeta{GeneratedAt: now, legacy: true}, overwrite)
}

// WriteAuditFile writes rows as a report with meta to path, with mode 0600;
// FormatAuto chooses by extension (FormatForPath). It writes a temporary file in
// the same directory and moves it into place, so that a failed write never
// leaves half a file. Unless overwrite is true it refuses an existing path with
// an error that matches fs.ErrExist, which a UI can turn into an "overwrite?"
// question.
func WriteAuditFile(path string, rows []AuditRow, format ExportFormat, meta AuditMeta, overwrite bool) (err error) {
	if format == FormatAuto {
		format = FormatForPath(path)
	}
	if _, err := ParseExportFormat(string(format)); err != nil {
		return err
	}
	if !overwrite {
		if _, err := os.Lstat(path); err == nil {
			return existError(path)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if err = WriteAudit(tmp, rows, format, meta); err != nil { // buffered by the writer
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if overwrite {
		return os.Rename(tmp.Name(), path)
	}
	return linkNoClobber(tmp.Name(), path)
}

// linkNoClobber moves tmp to path unless path exists. A hard link fails atomically
// on an existing path, closing the gap between the check above and the move.
func linkNoClobber(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		os.Remove(tmp) // the export is in place; a stray temp name is no failure
		return nil
	case errors.Is(err, fs.ErrExist):
		os.Remove(tmp)
		return existError(path)
	}
	// Some file systems have no hard links: check, then rename.
	if _, statErr := os.Lstat(path); statErr == nil {
		os.Remove(tmp)
		return existError(path)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func existError(path string) error {
	return &fs.PathError{Op: "export", Path: path, Err: fs.ErrExist}
}
