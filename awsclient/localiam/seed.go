package localiam

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// fileState is the format of seed files and of the state file:
//
//	{
//	  "account_id": "123456789012",            // optional; else Config.AccountID or the default
//	  "users": [{
//	    "name": "sofia",                       // required; IAM user-name rules
//	    "path": "/engineering/",               // optional, default "/"
//	    "id": "AIDA…",                         // optional, generated (deterministically) if absent
//	    "created": "2024-03-01T09:30:00Z",     // optional, default now
//	    "credentials": [{
//	      "service": "codecommit.amazonaws.com", // required; a supported service
//	      "status": "Inactive",                // optional: Active (default) or Inactive
//	      "created": "-400d",                  // optional, default now
//	      "expires": "+3d",                    // optional, API-key services only; absent: never
//	      "id": "ACCA…",                       // optional, generated if absent
//	      "slot": 1                            // optional: 0 → name-at-acct, 1 → name+1-at-acct; default lowest free
//	    }],
//	    "access_keys": [{"status": "Inactive", "created": "-30d", "id": "AKIA…"}], // at most 2; status and id optional
//	    "login_profile": {"created": "-10d", "password_reset_required": false},  // a console password
//	    "attached_policies": ["AdministratorAccess"],  // AWS managed policies, by name or ARN
//	    "inline_policies": [{"name": "s3", "document": "{…}"}],
//	    "groups": ["developers"]                     // names from the top-level "groups"
//	  }],
//	  "groups": [{"name": "developers", "path": "/", "created": "-500d"}]
//	}
//
// Times are RFC 3339, or relative to the server's clock at start: "now", "-400d",
// "+3d" (days), or a Go duration such as "-36h". "Expired" is not a status one
// sets: it is what a credential past its "expires" reads. No secrets are stored.
// testdata/seed-example.json is an example.
type fileState struct {
	AccountID string      `json:"account_id,omitempty"`
	Users     []fileUser  `json:"users"`
	Groups    []fileGroup `json:"groups,omitempty"`
}

type fileUser struct {
	Name         string            `json:"name"`
	Path         string            `json:"path,omitempty"`
	ID           string            `json:"id,omitempty"`
	Created      string            `json:"created,omitempty"`
	Credentials  []fileCred        `json:"credentials,omitempty"`
	AccessKeys   []fileAccessKey   `json:"access_keys,omitempty"`
	LoginProfile *fileLoginProfile `json:"login_profile,omitempty"`
	Attached     []string          `json:"attached_policies,omitempty"`
	Inline       []fileInline      `json:"inline_policies,omitempty"`
	Groups       []string          `json:"groups,omitempty"`
}

type fileAccessKey struct {
	ID      string `json:"id,omitempty"`
	Status  string `json:"status,omitempty"`
	Created string `json:"created,omitempty"`
}

type fileLoginProfile struct {
	Created       string `json:"created,omitempty"`
	ResetRequired bool   `json:"password_reset_required,omitempty"`
}

type fileInline struct {
	Name     string `json:"name"`
	Document string `json:"document"`
}

type fileGroup struct {
	Name    string `json:"name"`
	Path    string `json:"path,omitempty"`
	Created string `json:"created,omitempty"`
}

type fileCred struct {
	Service string `json:"service"`
	Status  string `json:"status,omitempty"`
	Created string `json:"created,omitempty"`
	Expires string `json:"expires,omitempty"`
	ID      string `json:"id,omitempty"`
	Slot    *int   `json:"slot,omitempty"`
}

// initialState returns the state file's contents if it exists, else the seed's,
// and a name for the origin used in messages and to seed ID generation.
func initialState(cfg Config, now time.Time) (*fileState, string, error) {
	if cfg.StatePath != "" {
		data, err := os.ReadFile(cfg.StatePath)
		switch {
		case err == nil:
			fs, err := decodeFileState(data)
			if err != nil {
				return nil, "", fmt.Errorf("state file %s: %w", cfg.StatePath, err)
			}
			return fs, "state file " + cfg.StatePath, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, "", fmt.Errorf("reading state: %w", err)
		}
	}
	seed := cfg.Seed
	switch {
	case seed == "" || seed == "empty":
		return &fileState{}, "seed empty", nil
	case seed == "demo":
		return demoState(now), "seed demo", nil
	case strings.HasPrefix(seed, "scale:"):
		n, err := strconv.Atoi(strings.TrimPrefix(seed, "scale:"))
		if err != nil || n < 0 || n > maxScaleUsers {
			return nil, "", fmt.Errorf("seed %q: want scale:N with N from 0 to %d", seed, maxScaleUsers)
		}
		return scaleState(n, now), "seed " + seed, nil
	}
	data, err := os.ReadFile(seed)
	if err != nil {
		return nil, "", fmt.Errorf("seed %q is not empty, demo, scale:N, org:demo, org:ACCOUNTSxUSERS or a readable JSON file: %w", seed, err)
	}
	fs, err := decodeFileState(data)
	if err != nil {
		return nil, "", fmt.Errorf("seed file %s: %w", seed, err)
	}
	return fs, "seed file " + seed, nil
}

func decodeFileState(data []byte) (*fileState, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt key is an error, not a silent default
	var fs fileState
	if err := dec.Decode(&fs); err != nil {
		return nil, err
	}
	return &fs, nil
}

// seededReader is a deterministic random source for the IDs a seed leaves out,
// so that the same seed and clock always give the same IDs.
func seededReader(origin string) io.Reader {
	return rand.NewChaCha8(sha256.Sum256([]byte("localiam " + origin)))
}

// parseWhen reads a seed-file time: RFC 3339, "now", "±Nd", or a Go duration.
func parseWhen(s string, now time.Time) (time.Time, error) {
	switch {
	case s == "" || s == "now":
		return now, nil
	case strings.HasSuffix(s, "d"):
		if days, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil {
			return now.Add(time.Duration(days) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(d).Truncate(time.Second), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q is not RFC 3339, now, ±Nd or a duration", s)
	}
	return t.UTC().Truncate(time.Second), nil
}

// buildState validates fs and builds the indexed state from it.
func buildState(fs *fileState, account string, now time.Time, ids io.Reader) (*state, error) {
	st := newState(account)
	for i, fg := range fs.Groups {
		if err := buildGroup(st, fg, now); err != nil {
			return nil, fmt.Errorf("groups[%d] (%q): %w", i, fg.Name, err)
		}
	}
	for i, fu := range fs.Users {
		where := fmt.Sprintf("users[%d] (%q)", i, fu.Name)
		u, err := buildUser(st, fu, now, ids)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		st.users[u.key] = u
		st.userIDs[u.id] = u
		st.userList = append(st.userList, u)
		for j, fc := range fu.Credentials {
			c, err := buildCred(st, u, fc, now, ids)
			if err != nil {
				return nil, fmt.Errorf("%s.credentials[%d]: %w", where, j, err)
			}
			st.creds[c.id] = c
			u.creds = append(u.creds, c)
			st.all = append(st.all, c)
			st.byService[c.service] = append(st.byService[c.service], c)
		}
		slices.SortFunc(u.creds, credCompare)
		if err := buildUserItems(st, u, fu, now, ids); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	// Sorting once is O(n log n); inserting one by one would be quadratic.
	slices.SortFunc(st.userList, userCompare)
	slices.SortFunc(st.all, credCompare)
	for _, list := range st.byService {
		slices.SortFunc(list, credCompare)
	}
	return st, nil
}

func buildUser(st *state, fu fileUser, now time.Time, ids io.Reader) (*user, error) {
	if !userNameSpec.valid(fu.Name) || len(fu.Name) > userNameSpec.max || fu.Name == "" {
		return nil, fmt.Errorf("user name must be 1-64 characters of %s", userNameSpec.pattern)
	}
	u := &user{name: fu.Name, key: strings.ToLower(fu.Name), path: fu.Path, id: fu.ID}
	if st.users[u.key] != nil {
		return nil, fmt.Errorf("duplicate user name (names are case-insensitive)")
	}
	if u.path == "" {
		u.path = "/"
	}
	if !isPath(u.path) || len(u.path) > pathSpec.max {
		return nil, fmt.Errorf("path %q must be / or /…/", u.path)
	}
	if u.id == "" {
		u.id = randomID(ids, "AIDA")
	}
	if !isWordString(u.id) || len(u.id) < 16 || len(u.id) > 128 {
		return nil, fmt.Errorf("id %q must be 16-128 characters of [A-Za-z0-9_]", u.id)
	}
	if st.userIDs[u.id] != nil {
		return nil, fmt.Errorf("duplicate user id %s", u.id)
	}
	var err error
	if u.created, err = parseWhen(fu.Created, now); err != nil {
		return nil, fmt.Errorf("created: %w", err)
	}
	return u, nil
}

func buildCred(st *state, u *user, fc fileCred, now time.Time, ids io.Reader) (*cred, error) {
	svc, ok := lookupService(fc.Service)
	if !ok {
		return nil, fmt.Errorf("service %q is not supported", fc.Service)
	}
	c := &cred{id: fc.ID, service: svc.Name, user: u}
	switch fc.Status {
	case "", statusActive:
	case statusInactive:
		c.inactive = true
	default:
		return nil, fmt.Errorf("status %q must be Active or Inactive (a credential past its expires reads Expired)", fc.Status)
	}
	var err error
	if c.created, err = parseWhen(fc.Created, now); err != nil {
		return nil, fmt.Errorf("created: %w", err)
	}
	if fc.Expires != "" {
		if !svc.APIKey {
			return nil, fmt.Errorf("expires is only for API-key services, not %s", svc.Name)
		}
		if c.expires, err = parseWhen(fc.Expires, now); err != nil {
			return nil, fmt.Errorf("expires: %w", err)
		}
		if !c.expires.After(c.created) {
			return nil, fmt.Errorf("expires must be after created")
		}
	}
	if c.id == "" {
		c.id = randomID(ids, "ACCA")
	}
	if !credentialIDSpec.valid(c.id) || len(c.id) < credentialIDSpec.min || len(c.id) > credentialIDSpec.max {
		return nil, fmt.Errorf("id %q must be 20-128 characters of [A-Za-z0-9_]", c.id)
	}
	if st.creds[c.id] != nil {
		return nil, fmt.Errorf("duplicate credential id %s", c.id)
	}
	c.slot = u.freeSlot(svc.Name)
	if fc.Slot != nil {
		c.slot = *fc.Slot
		if c.slot < 0 || c.slot >= maxCredsPerService || slices.ContainsFunc(u.creds, func(o *cred) bool {
			return o.service == svc.Name && o.slot == c.slot
		}) {
			return nil, fmt.Errorf("slot %d is not a free slot (0 or 1)", c.slot)
		}
	}
	if c.slot < 0 {
		return nil, fmt.Errorf("more than %d credentials for %s", maxCredsPerService, svc.Name)
	}
	return c, nil
}

func isWordString(s string) bool {
	for _, r := range s {
		if !isWordChar(r) {
			return false
		}
	}
	return true
}
