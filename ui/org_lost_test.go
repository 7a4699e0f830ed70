package ui

import (
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
)

// A credential marked secret-lost on the organization view that someone else
// deletes loses its mark once ctrl+r reads the accounts again: no row has the
// flag any more, and the legend stops explaining it.
func TestOrgRescanForgetsTheLostMarkOfADeletedCredential(t *testing.T) {
	t.Parallel()
	var strip atomic.Bool
	r := startOrg(t, orgSetup{wrap: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if strip.Load() {
				stripSecrets("CreateServiceSpecificCredential", w, req, next)
				return
			}
			next.ServeHTTP(w, req)
		})
	}})
	r.toRow(orgStaging, "qa.lead")
	r.keys_("R")
	strip.Store(true)
	r.keys_("enter") // step 2: IAM creates it; the reply names it, without its secret
	strip.Store(false)
	id := ""
	for _, d := range r.m.dialogs.open {
		if rd, ok := unwrapDialog(d).(*rotateDialog); ok {
			id = rd.rot.New.ID
		}
	}
	if id == "" || !r.m.lost.has(id) {
		t.Fatalf("the orphan %q is not marked secret-lost:\n%s", id, screenText(r.m))
	}
	r.keys_("enter") // close the rotation
	r.post(orgStaging, url.Values{"Action": {"DeleteServiceSpecificCredential"}, "UserName": {"qa.lead"}, "ServiceSpecificCredentialId": {id}})
	r.keys_("ctrl+r")
	if r.m.lost.has(id) {
		t.Fatalf("%s was deleted and the accounts read again, but it is still marked secret-lost", id)
	}
	mustNotContain(t, r.m, "secret-lost")
}
