package ui

import (
	"net/url"
	"testing"

	"iamcreds/awsclient/localiam"
)

// A credential marked secret-lost on the organization view that someone else
// deletes loses its mark once ctrl+r reads the accounts again: no row has the
// flag any more, and the legend stops explaining it.
func TestOrgRescanForgetsTheLostMarkOfADeletedCredential(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	r.toRow(orgStaging, "qa.lead")
	r.keys_("R")
	r.e.Server.SetFaults(localiam.Faults{DropReply: map[string]int{"CreateServiceSpecificCredential": 1}})
	r.keys_("enter") // step 2: IAM creates it, the reply is lost
	r.e.Server.SetFaults(localiam.Faults{})
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
