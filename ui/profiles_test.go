package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// profileRig is the UI on profile "prod" (the demo account) with a "dev"
// profile (an empty account) and one whose SSO session has expired.
func profileRig(t *testing.T) (*driver, *endpoint, *endpoint) {
	prod := newEndpoint(t, "demo", localiam.Faults{}, false)
	dev := newEndpoint(t, "empty", localiam.Faults{}, false)
	o := testOptions(prod, &memClipboard{})
	o.Profile = "prod"
	o.Profiles = func() ([]string, error) { return []string{"dev", "prod", "sso-expired"}, nil }
	o.SwitchProfile = func(ctx context.Context, name string) (IAM, model.Identity, error) {
		if name == "dev" {
			id, err := dev.client.Identity(ctx)
			return dev.client, id, err
		}
		return nil, model.Identity{}, errors.New("the SSO session has expired; run aws sso login --profile " + name)
	}
	d := newDriver(t, New(o), 120, 36)
	d.settle()
	return d, prod, dev
}

func TestProfileSwitchFailureKeepsCurrent(t *testing.T) {
	t.Parallel()
	d, prod, _ := profileRig(t)
	d.keys("P")
	if _, ok := d.m.dialogs.top().(*profilePicker); !ok {
		t.Fatalf("P opened no profile list:\n%s", screenText(d.m))
	}
	if s := screenText(d.m); !strings.Contains(s, "sso-expired") || !strings.Contains(s, "prod  (current)") {
		t.Fatalf("the list lacks the profiles:\n%s", s)
	}
	d.keys("down", "enter") // from prod to sso-expired
	s := screenText(d.m)
	if d.m.acct.client != IAM(prod.client) || d.m.opts.Profile != "prod" {
		t.Fatalf("a failed switch replaced the client or profile (%q)", d.m.opts.Profile)
	}
	for _, want := range []string{"profile prod", "Could not switch to profile sso-expired (kept prod)", "aws sso login", "priya"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
}

func TestProfileSwitchReloads(t *testing.T) {
	t.Parallel()
	d, _, dev := profileRig(t)
	d.keys("P", "up", "enter") // from prod to dev
	s := screenText(d.m)
	if d.m.acct.client != IAM(dev.client) || !d.m.dialogs.empty() {
		t.Fatalf("the switch to dev did not take:\n%s", s)
	}
	if !strings.Contains(s, "profile dev") || !strings.Contains(s, "0 users, 0 credentials, read") {
		t.Errorf("the header or status does not show dev:\n%s", s)
	}
	if strings.Contains(s, "priya") || !strings.Contains(s, "Users 0") {
		t.Errorf("the old account's users are still shown:\n%s", s)
	}
}

func TestProfileSwitchCancelAndDemo(t *testing.T) {
	t.Parallel()
	d, prod, _ := profileRig(t)
	d.keys("P", "esc")
	if !d.m.dialogs.empty() || d.m.acct.client != IAM(prod.client) {
		t.Fatal("esc did not close the list without switching")
	}
	e := newEndpoint(t, "demo", localiam.Faults{}, false)
	o := testOptions(e, &memClipboard{})
	o.Demo = true
	o.Profiles = func() ([]string, error) { t.Error("the demo read the profiles"); return nil, nil }
	dd := newDriver(t, New(o), 120, 36)
	dd.settle()
	dd.keys("P")
	if s := screenText(dd.m); !dd.m.dialogs.empty() || !strings.Contains(s, "Profiles are off in --demo") {
		t.Fatalf("the demo does not say why P is off:\n%s", s)
	}
}

// A listing of the old account that answers after the switch must not land in
// the new account's cache.
func TestProfileSwitchDropsOldAnswers(t *testing.T) {
	t.Parallel()
	d, _, _ := profileRig(t)
	before := d.m.acct
	old := before.cache.tag() // a listing of priya started before the switch
	d.keys("P", "up", "enter")
	if d.m.acct == before {
		t.Fatal("the switch kept the old account")
	}
	d.Send(credsMsg{acct: before, seq: old, user: "priya", creds: []model.Credential{{UserName: "priya", ID: "ACCAOLD"}}})
	if _, ok := d.m.acct.cache.get("priya"); ok {
		t.Fatal("an answer from before the switch was applied")
	}
}
