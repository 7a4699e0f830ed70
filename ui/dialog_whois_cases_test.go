package ui

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"iamcreds/model"
)

// shortTermKey is a short-term Bedrock key signed by accessKey at 11:00 on the
// tests' day, for 12 hours: "bedrock-api-key-" + base64 of a presigned URL.
func shortTermKey(accessKey string) string {
	u := "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=" + accessKey + "%2F20260314%2Fus-east-1%2Fbedrock%2Faws4_request" +
		"&X-Amz-Date=20260314T110000Z&X-Amz-Expires=43200&X-Amz-SignedHeaders=host" +
		"&X-Amz-Signature=0f3e9d8c7b6a59483726150f3e9d8c7b6a59483726150f3e9d8c7b6a594837&Version=1"
	return "bedrock-api-key-" + base64.StdEncoding.EncodeToString([]byte(u))
}

// says fails unless the screen, or the dialog's note or policy (which the
// box wraps), has each of parts.
func says(t *testing.T, m *Model, d *whoisDialog, parts ...string) {
	t.Helper()
	all := screenText(m) + "\n" + d.note + "\n" + d.policy + "\n" + d.err
	for _, p := range parts {
		if !strings.Contains(all, p) {
			t.Fatalf("lacks %q:\n%s", p, all)
		}
	}
}

// What K says of keys it cannot stop, or cannot find: each closes with
// enter, nothing is written, and the model keeps nothing of the key.
func TestWhoisSaysWhyItCannotStopAKey(t *testing.T) {
	t.Parallel()
	r := startWhois(t, whoisSetup{})
	gone, goneKey := mint(t, r.other, "ana")
	if err := r.other.Delete(context.Background(), "ana", gone.ID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, key string
		want      []string
	}{
		{"deleted", goneKey, []string{"Not found (deleted, or another account): ana holds no credential with this key's alias"}},
		{"no such user", handMade("nobody-at-123456789012"), []string{"Not found (deleted, or another account): no user nobody"}},
		{"another account", handMade("amara-at-999999999999"), []string{"belongs to account 999999999999, not to 123456789012, the account on screen"}},
		{"access key id", "AKIAIOSFODNN7EXAMPLE", []string{"An access key ID, not a service-specific credential", "access-key-id:AKIAIOSF…"}},
		{"short-term", shortTermKey("ASIAQWERTYUIOPASDFGH"), []string{"bedrock-short-term:bedrock-api-key…", "IAM cannot revoke a short-term key",
			"Signed by  ASIAQWERTYUIOPASDFGH", "Expires    2026-03-14 23:00:00 UTC", `"aws:TokenIssueTime": "2026-03-14T11:05:00Z"`,
			"bedrock:CallWithBearerToken", "printed here, not applied"}},
	}
	for _, c := range cases {
		r.paste(c.key)
		d, ok := r.m.dialogs.top().(*whoisDialog)
		if !ok || d.stage != whoisDone {
			t.Fatalf("%s: %T not done:\n%s", c.name, r.m.dialogs.top(), screenText(r.m))
		}
		says(t, r.m, d, c.want...)
		mustContain(t, r.m, "[▸Close◂]")
		mustNotContain(t, r.m, "Deactivate now")
		r.holdsNoKey()
		r.keys("enter")
		if r.m.dialogs.top() != nil {
			t.Fatalf("%s: enter did not close:\n%s", c.name, screenText(r.m))
		}
		r.holdsNoKey(d)
	}
	if cs := held(t, r.other, "amara"); len(cs) != 1 || cs[0].Status != model.Active {
		t.Fatalf("amara's key changed: %+v", cs)
	}
}

// Text that is no key stays in the field's stage with the reason, which
// quotes nothing of it; an empty enter asks for a paste.
func TestWhoisRefusesWhatIsNoKey(t *testing.T) {
	t.Parallel()
	r := startWhois(t, whoisSetup{})
	secret := "ABSKnot-base64-at-all!!" + strings.Repeat("x", 40)
	r.paste(secret)
	d := r.m.dialogs.top().(*whoisDialog)
	if d.stage != whoisPaste || d.input.Value() != "" {
		t.Fatalf("stage %v, field %d long", d.stage, len(d.input.Value()))
	}
	mustContain(t, r.m, "Not a key iamcreds can decode: the part after the prefix is")
	r.keys("enter")
	mustContain(t, r.m, "Paste a key first (or esc)")
	r.keys("esc")
	if r.m.dialogs.top() != nil {
		t.Fatal("esc did not close")
	}
	mustContain(t, r.m, "Nothing was changed")
	r.holdsNoKey(d)
}

// Every way out of the field forgets what was pasted: esc, ctrl+c (which
// quits), and another account coming on screen (a profile switch).
func TestWhoisForgetsThePasteOnEveryWayOut(t *testing.T) {
	t.Parallel()
	for _, way := range []string{"esc", "ctrl+c", "profile"} {
		t.Run(way, func(t *testing.T) {
			t.Parallel()
			r := startWhois(t, whoisSetup{})
			_, key := mint(t, r.other, "ana")
			r.leaked = append(r.leaked, key)
			r.keys("K")
			d := r.m.dialogs.top().(*whoisDialog)
			r.Send(pasteMsg(key))
			r.settle()
			if d.input.Value() != key {
				t.Fatal("the paste did not reach the field")
			}
			if way == "profile" { // a switch asked for before K answers now
				r.Send(profileSwitchedMsg{name: "other", client: r.m.acct.client, identity: r.m.identity})
				mustContain(t, r.m, "The account on screen changed (profile other)") // until the new load's summary
				r.settle()
			} else {
				r.keys(way)
			}
			if r.m.dialogs.top() != nil {
				t.Fatalf("%s left the dialog open", way)
			}
			if way == "ctrl+c" && !r.Quit() {
				t.Fatal("ctrl+c did not quit")
			}
			r.holdsNoKey(d)
		})
	}
}

// Read-only: the key is found and selected, but "Deactivate now" is off and
// enter on it says why, as the other writes do; IAM is unchanged.
func TestWhoisReadOnlyFindsButDoesNotWrite(t *testing.T) {
	t.Parallel()
	r := startWhois(t, whoisSetup{readOnly: true})
	c, key := mint(t, r.other, "ana")
	r.paste(key)
	if got, ok := selectedCred(r.m); !ok || got.ID != c.ID {
		t.Fatalf("selected %+v, want %s", got, c.ID)
	}
	mustContain(t, r.m, "Read-only mode: deactivating is off")
	r.keys("enter")
	mustContain(t, r.m, "Read-only mode: deactivating is off (start without --read-only")
	if cs := held(t, r.other, "ana"); len(cs) != 1 || cs[0].Status != model.Active {
		t.Fatalf("ana's key in IAM: %+v", cs)
	}
	r.holdsNoKey()
}

// esc on the confirmation, or tab to Cancel and enter, leaves the credential
// as it is, selected.
func TestWhoisCancelLeavesTheCredential(t *testing.T) {
	t.Parallel()
	r := startWhois(t, whoisSetup{})
	c, key := mint(t, r.other, "ana")
	for _, keys := range [][]string{{"esc"}, {"tab", "enter"}} {
		r.paste(key)
		mustContain(t, r.m, "[▸Deactivate now◂]")
		r.keys(keys...)
		if r.m.dialogs.top() != nil {
			t.Fatalf("%v left the dialog open", keys)
		}
		if cs := held(t, r.other, "ana"); len(cs) != 1 || cs[0].Status != model.Active {
			t.Fatalf("after %v: %+v", keys, cs)
		}
		if got, ok := selectedCred(r.m); !ok || got.ID != c.ID {
			t.Fatalf("after %v the selection is %+v", keys, got)
		}
	}
}

// In 40 columns every stage fits (watch checks each view), and the
// confirmation still has its button.
func TestWhoisFitsFortyColumns(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{40, 16}, {40, 30}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			r := startWhois(t, whoisSetup{w: size[0], h: size[1]})
			c, key := mint(t, r.other, "ana")
			r.paste(key)
			mustContain(t, r.m, "Deactivate")
			if got, ok := selectedCred(r.m); !ok || got.ID != c.ID {
				t.Fatalf("selected %+v", got)
			}
			r.keys("esc")
			r.paste(shortTermKey("AKIAQWERTYUIOPASDFGH"))
			mustContain(t, r.m, "Close")
			r.keys("enter")
		})
	}
}

// Against an endpoint whose names, ids and messages carry control and bidi
// characters, nothing of them reaches the screen raw (watch checks each view).
func TestWhoisHostileEndpoint(t *testing.T) {
	t.Parallel()
	for _, w := range []int{120, 40} {
		r := startWhois(t, whoisSetup{w: w, h: 30, hostile: true})
		for _, key := range []string{handMade("amara-at-123456789012"), handMade("nobody-at-123456789012")} {
			r.paste(key)
			if _, ok := r.m.dialogs.top().(*whoisDialog); !ok {
				t.Fatalf("no dialog:\n%s", screenText(r.m))
			}
			r.keys("esc")
		}
	}
}

// The key of a user's second key that was deleted is not the user's first
// key; the key of a user literally named "ops+1" (which reads as ops's second
// key) is found in ops+1's listing.
func TestWhoisSecondKeysAndPlusNames(t *testing.T) {
	t.Parallel()
	r := startWhois(t, whoisSetup{})
	second, key := mint(t, r.other, "amara") // amara+1-at-…
	if err := r.other.Delete(context.Background(), "amara", second.ID); err != nil {
		t.Fatal(err)
	}
	r.paste(key)
	d := r.m.dialogs.top().(*whoisDialog)
	if d.match.Found && !d.match.ByUserOnly {
		t.Fatalf("a deleted key matched %+v", d.match.Credential)
	}
	mustNotContain(t, r.m, "[▸Deactivate now◂]")
	r.keys("esc")

	postIAM(t, r.url, "AKIDOTHER", url.Values{"Action": {"CreateUser"}, "UserName": {"ops+1"}})
	plus, key := mint(t, r.other, "ops+1")
	if plus.Alias != "ops+1-at-123456789012" {
		t.Fatalf("alias %q", plus.Alias)
	}
	r.paste(key)
	d = r.m.dialogs.top().(*whoisDialog)
	if !d.match.Found || d.match.Credential.ID != plus.ID || d.match.Credential.UserName != "ops+1" {
		t.Fatalf("matched %+v, want ops+1's %s; %s", d.match, plus.ID, d.note)
	}
	mustContain(t, r.m, "[▸Deactivate now◂]")
	r.holdsNoKey()
}

// From the fleet view the key's credential is selected on the main view;
// one that is Inactive already is found and said so, with nothing to confirm.
func TestWhoisFromTheFleetAndAnInactiveKey(t *testing.T) {
	t.Parallel()
	r := startWhois(t, whoisSetup{})
	c, key := mint(t, r.other, "ana")
	r.keys("a")
	if r.m.active != screenFleet {
		t.Fatal("a did not open the fleet")
	}
	r.paste(key)
	if got, ok := selectedCred(r.m); !ok || got.ID != c.ID || r.m.active != screenMain {
		t.Fatalf("selected %+v on screen %v, want %s on the main view", got, r.m.active, c.ID)
	}
	r.keys("esc")
	if err := r.other.SetStatus(context.Background(), "ana", c.ID, model.Inactive); err != nil {
		t.Fatal(err)
	}
	r.paste(key)
	mustContain(t, r.m, "It is Inactive already", "[▸Close◂]")
	mustNotContain(t, r.m, "Deactivate now")
	r.keys("enter")
	r.holdsNoKey()
}

// A Claude Platform key (AEAA…) is found as a Bedrock one is.
func TestWhoisClaudePlatformKey(t *testing.T) {
	t.Parallel()
	r := startWhois(t, whoisSetup{})
	c, sec, err := r.other.CreateCredential(context.Background(), "ana", "aws-external-anthropic.amazonaws.com", 30)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sec.Reveal(), "AEAA") {
		t.Fatalf("not a Claude Platform key: %q…", sec.Reveal()[:4])
	}
	r.paste(sec.Reveal())
	if got, ok := selectedCred(r.m); !ok || got.ID != c.ID {
		t.Fatalf("selected %+v, want %s", got, c.ID)
	}
	mustContain(t, r.m, "claude-platform:AEAA", "[▸Deactivate now◂]")
	r.keys("enter")
	if cs := held(t, r.other, "ana"); len(cs) != 1 || cs[0].Status != model.Inactive {
		t.Fatalf("ana's Claude key in IAM: %+v", cs)
	}
	r.holdsNoKey()
}
