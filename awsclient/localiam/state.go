package localiam

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// changed records that st was mutated. Callers hold its account's lock for
// writing; the snapshot is taken here and written by persistPending once the
// lock is released. Only a single account is ever saved (New refuses a state
// file for an organization).
func (s *Server) changed(st *state) {
	if s.statePath == "" {
		return
	}
	data, err := st.marshal()
	if err != nil {
		s.logf("localiam: encoding state: %v", err)
		return
	}
	s.pendingMu.Lock()
	s.pending = data
	s.pendingMu.Unlock()
}

// persistPending writes the newest pending snapshot, if any. When it returns,
// every mutation that finished before the call is on disk (or failed and logged).
func (s *Server) persistPending() {
	if s.statePath == "" {
		return
	}
	s.persistMu.Lock()
	defer s.persistMu.Unlock()
	s.pendingMu.Lock()
	data := s.pending
	s.pending = nil
	s.pendingMu.Unlock()
	if data == nil {
		return
	}
	if err := writeFileAtomic(s.statePath, data); err != nil {
		s.persistErr = err
		s.logf("localiam: saving state: %v", err)
	}
}

// flush writes the current state now.
func (s *Server) flush() error {
	s.home.mu.RLock()
	data, err := s.home.st.marshal()
	s.home.mu.RUnlock()
	if err != nil {
		return fmt.Errorf("encoding state: %w", err)
	}
	s.persistMu.Lock()
	defer s.persistMu.Unlock()
	s.pendingMu.Lock()
	s.pending = nil // data is at least as new
	s.pendingMu.Unlock()
	return writeFileAtomic(s.statePath, data)
}

// writeFileAtomic replaces path with data so that a crash leaves either the old
// or the new file: temp file in the same directory, fsync, rename, fsync dir.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
			err = fmt.Errorf("saving state to %s: %w", path, err)
		}
	}()
	if err = f.Chmod(0o600); err != nil { // CreateTemp's 0600 is not guaranteed on every OS
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename itself durable
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// marshal encodes the state in the seed-file format (see seed.go), with every
// ID and slot spelled out so that a reload is exact. No secret is in it.
func (st *state) marshal() ([]byte, error) {
	fs := fileState{AccountID: st.account, Users: make([]fileUser, 0, len(st.userList))}
	for _, u := range st.userList {
		fu := fileUser{Name: u.name, Path: u.path, ID: u.id, Created: u.created.UTC().Format(time.RFC3339)}
		for _, c := range u.creds {
			fc := fileCred{
				ID:      c.id,
				Service: c.service,
				Status:  statusActive,
				Created: c.created.UTC().Format(time.RFC3339),
				Slot:    &c.slot,
			}
			if c.inactive {
				fc.Status = statusInactive
			}
			if !c.expires.IsZero() {
				fc.Expires = c.expires.UTC().Format(time.RFC3339)
			}
			fu.Credentials = append(fu.Credentials, fc)
		}
		marshalUserItems(&fu, u)
		fs.Users = append(fs.Users, fu)
	}
	fs.Groups = st.marshalGroups()
	data, err := json.MarshalIndent(fs, "", "  ")
	return append(data, '\n'), err
}
