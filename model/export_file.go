package model

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

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

// ExportAudit writes rows' metadata to path with mode 0600; FormatAuto chooses by
// extension. It writes a temporary file in the same directory and moves it into
// place, so that a failed write never leaves half a file. Unless overwrite is true
// it refuses an existing path with an error that matches fs.ErrExist, which a UI
// can turn into an "overwrite?" question.
func ExportAudit(path string, rows []AuditRow, now time.Time, format ExportFormat, overwrite bool) (err error) {
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
	bw := bufio.NewWriter(tmp)
	if err = WriteAudit(bw, rows, now, format); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
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
