// Package safefile writes files that hold secrets or account metadata: mode 0600
// from the first byte, and complete or not at all. Create never replaces a file;
// Replace does, once the person has agreed to it.
package safefile

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Create writes a new file at path with mode 0600 holding what write produces.
// It never replaces a file: if path exists, even one that appears while it
// writes, it returns an error matching fs.ErrExist and leaves that file alone.
func Create(path string, write func(io.Writer) error) error {
	return save(path, write, false)
}

// CheckCreate reports, before a secret exists, whether Create could write
// path: it must not exist (a symbolic link counts, dangling or not), and its
// directory must take a new file, which is tried with a temporary file that is
// removed at once. Nothing is left at path: a program killed between the check
// and the write leaves no empty file that would block the next run.
func CheckCreate(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return existError(path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// Replace writes path with mode 0600 holding what write produces, replacing the
// file there if any, in one rename: a reader sees the old file or the new one.
func Replace(path string, write func(io.Writer) error) error {
	return save(path, write, true)
}

// save writes a temporary file in path's directory (so the final move stays on
// one file system), syncs it, then moves it into place.
func save(path string, write func(io.Writer) error, replace bool) (err error) {
	if !replace {
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
	if err = write(bw); err != nil {
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
	if replace {
		return os.Rename(tmp.Name(), path)
	}
	return linkNoClobber(tmp.Name(), path)
}

// linkNoClobber moves tmp to path unless path exists. A hard link fails atomically
// on an existing path, closing the gap between the check in save and the move.
func linkNoClobber(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		os.Remove(tmp) // the file is in place; a stray temporary name is no failure
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
	return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
}
