package ui

import (
	"fmt"
	"strings"

	"iamcreds/model"
)

// scanLister is what a client that scans with AllUsers says it lists:
// *awsclient.Client's catalog and --extra-services. A client without it (a
// test's) is taken to scan the catalog.
type scanLister interface{ ScanServices() []string }

// scanned are the services the account's inventory lists with AllUsers.
func scanned(c IAM) []string {
	if s, ok := c.(scanLister); ok {
		return s.ScanServices()
	}
	var out []string
	for _, s := range model.Catalog() {
		out = append(out, s.Name)
	}
	return out
}

// unscannedNote is the fleet's banner when a user's own listing (a cursor
// load, a write's re-read, the per-user fallback) showed a service the scan
// lacks: its credentials are in the cache, but the next AllUsers load would
// miss them and every other user's. It names the service and how to add it.
func unscannedNote(services []string) string {
	if len(services) == 0 {
		return ""
	}
	quoted := make([]string, len(services))
	for i, n := range services {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return fmt.Sprintf("! %s is not scanned: only users opened one by one show its credentials. Add --extra-services %s or services = [%s] in config.toml",
		model.SafeText(strings.Join(services, ", ")), model.SafeText(strings.Join(services, ",")), model.SafeText(strings.Join(quoted, ", ")))
}
