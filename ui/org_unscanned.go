package ui

import (
	"slices"

	"iamcreds/model"
)

// unscanned are the services, across the accounts read, that a user's own
// listing showed and the account's scan does not list (unscannedNote): the
// organization view's banner, as the fleet's.
func (o *orgState) unscanned() []string {
	var out []string
	for _, a := range o.accounts {
		if !a.read() {
			continue
		}
		for _, s := range model.UnscannedServices(a.cache.all(), scanned(a.client)) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}
