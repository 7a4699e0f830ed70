package awsclient

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
)

// Profiles lists the profile names in the shared config and credentials files
// (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and
// ~/.aws/credentials): sorted, without duplicates, "default" first. Only section
// headers are read, so no key or other value can leave this function.
//
// A missing file is not an error. A file that cannot be read is reported in err,
// and the names from the other file are still returned.
//
// Switching profile: build a new Client with awsclient.New, then call Identity on
// it — New does not call AWS, so an expired SSO token or a failing
// credential_process only shows there. Keep the old client if either fails.
func Profiles() ([]string, error) {
	// aws-sdk-go-v2 keeps its INI parser internal and exposes no profile lister,
	// so this scans section headers the way its parser does.
	cfgFile, credFile := sharedFiles()
	seen := map[string]bool{}
	var errs []error
	for _, f := range []struct {
		path     string
		isConfig bool
	}{{cfgFile, true}, {credFile, false}} {
		names, err := profilesInFile(f.path, f.isConfig)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
		for _, n := range names {
			seen[n] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "default":
			return -1
		case b == "default":
			return 1
		}
		return strings.Compare(a, b)
	})
	return out, errors.Join(errs...)
}

// profileDeclared reports whether a section of the shared files declares profile.
func profileDeclared(profile string) bool {
	cfgFile, credFile := sharedFiles()
	for _, f := range []struct {
		path     string
		isConfig bool
	}{{cfgFile, true}, {credFile, false}} {
		names, _ := profilesInFile(f.path, f.isConfig)
		if slices.Contains(names, profile) {
			return true
		}
	}
	return false
}

// ssoExpiry reads when the cached SSO token of key (an sso-session's name, or
// a legacy profile's start URL) expires, as aws sso login left it; ok is false
// when no token is cached.
func ssoExpiry(key string) (expires time.Time, ok bool) {
	path, err := ssocreds.StandardCachedTokenFilepath(key)
	if err != nil {
		return time.Time{}, false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return time.Time{}, false
	}
	var tok struct {
		ExpiresAt string `json:"expiresAt"` // only this: the file holds the token itself
	}
	if json.Unmarshal(b, &tok) != nil {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, tok.ExpiresAt)
	return t, err == nil
}

// sharedFiles are the config and credentials files LoadDefaultConfig reads. The
// SDK's DefaultSharedConfigFiles is fixed at init, so it would miss a later HOME.
func sharedFiles() (configFile, credentialsFile string) {
	return firstNonEmpty(os.Getenv("AWS_CONFIG_FILE"), config.DefaultSharedConfigFilename()),
		firstNonEmpty(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), config.DefaultSharedCredentialsFilename())
}

// profilesInFile returns the profile names declared by one file's section headers.
func profilesInFile(path string, isConfig bool) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20) // long credential_process lines must not stop the scan
	for sc.Scan() {
		if name, ok := profileHeader(sc.Text(), isConfig); ok {
			names = append(names, name)
		}
	}
	return names, sc.Err()
}

// profileHeader parses "[default]", "[profile NAME]" (config file) or "[NAME]"
// (credentials file), with the SDK's rules for spaces and comments; other
// sections (sso-session, services, bare names in the config file) are not profiles.
func profileHeader(line string, isConfig bool) (string, bool) {
	s := strings.TrimSpace(line)
	if strings.HasPrefix(s, "#") || strings.HasPrefix(s, ";") {
		return "", false
	}
	s, _, _ = strings.Cut(s, "#")
	s, _, _ = strings.Cut(s, ";")
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return "", false
	}
	s = strings.TrimSpace(s[1 : len(s)-1])
	if s == "" {
		return "", false
	}
	// Like the SDK, split "type name" at the first run of spaces or tabs.
	typ, name := s, ""
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		typ, name = s[:i], strings.TrimLeft(s[i:], " \t")
	}
	switch {
	case name == "":
		// A bare name is a profile in the credentials file; in the config file only "default" is.
		return typ, !isConfig || typ == "default"
	case typ == "profile":
		// "[profile X]" is how the config file names X; the credentials file must not use it.
		return name, isConfig
	case isConfig:
		return "", false // sso-session, services and other typed sections
	}
	return typ + " " + name, true
}
