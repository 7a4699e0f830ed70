package cli

import (
	"cmp"
	"encoding/json"
	"io"
	"time"

	"iamcreds/model"
)

// scanJSONFinding is a finding in --format json.
type scanJSONFinding struct {
	Location    string     `json:"location"`
	Path        string     `json:"path"`
	Line        int        `json:"line"`
	Column      int        `json:"column"`
	Commit      string     `json:"commit,omitempty"`
	Occurrences int        `json:"occurrences"`
	Kind        string     `json:"kind"`
	Fingerprint string     `json:"fingerprint"`
	Service     string     `json:"service,omitempty"`
	Alias       string     `json:"alias,omitempty"`
	User        string     `json:"user,omitempty"`
	Account     string     `json:"account,omitempty"`
	Slot        int        `json:"slot,omitempty"`
	AccessKeyID string     `json:"access_key_id,omitempty"`
	Region      string     `json:"region,omitempty"`
	Signed      *time.Time `json:"signed,omitempty"`
	Expires     *time.Time `json:"expires,omitempty"`
	Credential  *struct {
		ID      string `json:"id"`
		User    string `json:"user"`
		Service string `json:"service"`
		Status  string `json:"status"`
		Created string `json:"created,omitempty"`
		Expires string `json:"expires,omitempty"`
	} `json:"credential,omitempty"`
	MatchedByUserOnly bool   `json:"matched_by_user_only,omitempty"`
	Status            string `json:"status"`
	Live              bool   `json:"live"`
}

func (r *scanReport) writeJSON(w io.Writer) error {
	out := struct {
		Findings []scanJSONFinding `json:"findings"`
		Summary  map[string]any    `json:"summary"`
	}{Findings: []scanJSONFinding{}}
	for _, f := range r.Findings {
		d := f.Key.Key
		j := scanJSONFinding{Location: f.Hit.Location(), Path: f.Hit.Path, Line: f.Hit.Line, Column: f.Hit.Column,
			Commit: f.Hit.Commit, Occurrences: f.Hit.Count, Kind: string(d.Kind), Fingerprint: d.Fingerprint(),
			Service: d.Service, Alias: d.Alias, User: d.User, Account: cmp.Or(d.Account, f.Key.matchAccount()),
			Slot: d.Slot, AccessKeyID: d.AccessKeyID, Region: d.Region, Status: f.Key.Status, Live: f.Key.Live}
		if d.Kind == model.KeyAccessKeyID {
			j.AccessKeyID = "" // the key itself: the fingerprint stands for it
		}
		if !d.Signed.IsZero() {
			s, e := d.Signed.UTC(), d.Expires().UTC()
			j.Signed, j.Expires = &s, &e
		}
		if m := f.Key.Match; m != nil && m.Found {
			c := m.Credential
			j.Credential = &struct {
				ID      string `json:"id"`
				User    string `json:"user"`
				Service string `json:"service"`
				Status  string `json:"status"`
				Created string `json:"created,omitempty"`
				Expires string `json:"expires,omitempty"`
			}{ID: c.ID, User: c.UserName, Service: c.Service, Status: string(c.Status), Created: rfc3339(c.Created), Expires: rfc3339(c.Expires)}
			j.MatchedByUserOnly = m.ByUserOnly
		}
		out.Findings = append(out.Findings, j)
	}
	out.Summary = map[string]any{
		"files": r.Stats.Files, "bytes": r.Stats.Bytes, "commits": r.Stats.Commits,
		"skipped_binary": r.Stats.Binary, "skipped_large": r.Stats.Large, "skipped_unreadable": r.Stats.Unreadable,
		"distinct_keys": len(distinctKeys(r.Findings)), "live": r.Live, "offline": r.Offline,
	}
	return writeJSONSafe(w, out)
}

// writeJSONSafe writes v indented, with what SafeText replaces escaped: a
// file name is untrusted text.
func writeJSONSafe(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(model.EscapeJSONControls(b), '\n'))
	return err
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
