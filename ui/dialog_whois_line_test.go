package ui

import (
	"strings"
	"testing"

	"iamcreds/model"
)

// The line the key sat in — AWS_BEARER_TOKEN_BEDROCK=ABSK… from a .env file,
// as the demo's story has it — is what a responder copies; whois takes it
// (stdin's "export VAR=ABSK…" lines), and so does K: the one key in it.
// Two different keys in one paste are refused: which one is meant?
func TestWhoisTakesTheKeyInAPastedLine(t *testing.T) {
	t.Parallel()
	r := startWhois(t, whoisSetup{})
	leaked, key := mint(t, r.other, "amara")
	r.paste("export AWS_BEARER_TOKEN_BEDROCK=" + key + " # prod")
	d, ok := r.m.dialogs.top().(*whoisDialog)
	if !ok || !d.match.Found || d.match.Credential.ID != leaked.ID {
		t.Fatalf("matched %+v, want %s:\n%s", d, leaked.ID, screenText(r.m))
	}
	// The credential's creation date, to hold against when the key leaked: a
	// reused alias (a credential made after the leaked one's delete) reads alike.
	mustContain(t, r.m, "Deactivate the leaked key?", leaked.ID, "(IAM cannot check",
		"It is Active, created "+model.CreatedDetail(leaked, r.m.opts.Now()), "before that date")
	r.holdsNoKey(d)
	r.keys("esc")

	_, other := mint(t, r.other, "ana")
	r.paste(key + " " + other)
	d, ok = r.m.dialogs.top().(*whoisDialog)
	if !ok || d.stage != whoisPaste {
		t.Fatalf("two keys: %+v", d)
	}
	mustContain(t, r.m, "2 keys")
	if strings.Contains(screenText(r.m), key[4:20]) {
		t.Fatal("the key is on the screen")
	}
	r.holdsNoKey(d)
}
