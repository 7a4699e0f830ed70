package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestLookupServiceKeepsUnknownNames(t *testing.T) {
	s := LookupService("comprehend.amazonaws.com")
	if s.Known() || s.Display != "comprehend.amazonaws.com" || s.Short != "comprehend.amazonaws.com" {
		t.Fatalf("unknown service not shown by raw name: %+v", s)
	}
	if g := LookupService(CodeCommit); g.Short != "Git" || g.Kind != KindPassword || g.SupportsExpiry() {
		t.Fatalf("codecommit entry wrong: %+v", g)
	}
	if b := LookupService(Bedrock); !b.SupportsExpiry() || b.BearerEnv != "AWS_BEARER_TOKEN_BEDROCK" {
		t.Fatalf("bedrock entry wrong: %+v", b)
	}
	names := []string{"zeta.amazonaws.com", Logs, CodeCommit, "alpha.amazonaws.com", Keyspaces}
	ServiceOrder(names)
	want := []string{CodeCommit, Keyspaces, Logs, "alpha.amazonaws.com", "zeta.amazonaws.com"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("order = %v, want %v", names, want)
	}
}

func TestValidateUserName(t *testing.T) {
	for _, ok := range []string{"a", "ops.bot@ci", "jane+test", "svc=build,deploy", "x_y-z", strings.Repeat("a", 64)} {
		if err := ValidateUserName(ok); err != nil {
			t.Errorf("%q rejected: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "has space", "slash/no", "ünï", strings.Repeat("a", 65)} {
		err := ValidateUserName(bad)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%q accepted or wrong kind: %v", bad, err)
		}
	}
}

func TestValidateCredentialID(t *testing.T) {
	for _, ok := range []string{"ACCAQFODXMPL4YFHP7DZE", strings.Repeat("A", 20), strings.Repeat("a_1", 42) + "zz"} {
		if err := ValidateCredentialID(ok); err != nil {
			t.Errorf("%q rejected: %v", ok, err)
		}
	}
	for _, bad := range []string{"ACCA-QFODXMPL4YFHP7DZE", strings.Repeat("A", 19), strings.Repeat("A", 129), ""} {
		if err := ValidateCredentialID(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

func TestValidateAgeDays(t *testing.T) {
	for _, d := range []int{0, 1, 30, 36600} {
		if err := ValidateAgeDays(d); err != nil {
			t.Errorf("%d rejected", d)
		}
	}
	for _, d := range []int{-1, 36601} {
		if err := ValidateAgeDays(d); err == nil {
			t.Errorf("%d accepted", d)
		}
	}
}

func TestCheckCanCreate(t *testing.T) {
	held := []Credential{{Service: CodeCommit}, {Service: CodeCommit, Status: Inactive}, {Service: Keyspaces}}
	n, err := CheckCanCreate("alice", CodeCommit, held, 0)
	if n != 2 || !errors.Is(err, ErrLimit) || err.Error() != "alice already has 2 CodeCommit credentials; delete one first" {
		t.Fatalf("limit: %d, %v", n, err)
	}
	if n, err := CheckCanCreate("alice", Keyspaces, held, 0); n != 1 || err != nil {
		t.Fatalf("one keyspaces credential should allow another: %d, %v", n, err)
	}
	// A create on its way counts: the second would exceed the limit.
	if n, err := CheckCanCreate("alice", Keyspaces, held, 1); n != 2 || !errors.Is(err, ErrLimit) {
		t.Fatalf("with a create in flight: %d, %v", n, err)
	}
	if n, err := CheckCanCreate("alice", Bedrock, nil, 1); n != 1 || err != nil {
		t.Fatalf("nothing held, one in flight: %d, %v", n, err)
	}
	if got := CountByService(held); got[CodeCommit] != 2 || got[Keyspaces] != 1 {
		t.Fatalf("counts %v", got)
	}
}

func TestAgeAndExpiry(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	c := Credential{Created: now.Add(-400*24*time.Hour - time.Hour)}
	if c.AgeDays(now) != 400 {
		t.Fatalf("age %d", c.AgeDays(now))
	}
	if _, ok := c.DaysToExpiry(now); ok || !c.NeverExpires() {
		t.Fatal("no expiry should mean never")
	}
	c.Expires = now.Add(3*24*time.Hour + time.Hour)
	if d, ok := c.DaysToExpiry(now); !ok || d != 3 || c.IsExpired(now) {
		t.Fatalf("days to expiry %d %v", d, ok)
	}
	c.Expires = now.Add(-time.Second)
	if d, _ := c.DaysToExpiry(now); d != 0 || !c.IsExpired(now) { // expired today
		t.Fatalf("just expired = %d", d)
	}
	if s, ok := Expired.Toggled(); ok || s != Expired {
		t.Fatal("expired must not toggle")
	}
	if s, ok := Active.Toggled(); !ok || s != Inactive {
		t.Fatal("active toggles to inactive")
	}
}

func TestSecretNeverFormatsItsValue(t *testing.T) {
	const pw = "k1zPZM6uVxMQ3oxqgoYlNuJPyRTZ1vREs76zTQE3eJk="
	s := NewSecret(Credential{Service: Bedrock}, pw)
	j, _ := json.Marshal(struct{ S Secret }{s})
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s", s, s, s, s), string(j), s.Masked()} {
		if strings.Contains(out, pw) {
			t.Fatalf("secret leaked in %q", out)
		}
	}
	if s.Reveal() != pw || s.BearerExport() != "export AWS_BEARER_TOKEN_BEDROCK="+pw {
		t.Fatal("reveal or bearer export wrong")
	}
	if NewSecret(Credential{Service: CodeCommit}, pw).BearerExport() != "" {
		t.Fatal("codecommit has no bearer variable")
	}
}

func TestErrorIsAndDetails(t *testing.T) {
	e := &Error{Kind: KindAccessDenied, Message: "denied", Op: "DeleteServiceSpecificCredential", Code: "AccessDenied", RequestID: "r-1"}
	wrapped := fmt.Errorf("ctx: %w", e)
	if !errors.Is(wrapped, ErrAccessDenied) || errors.Is(wrapped, ErrNotFound) || KindOf(wrapped) != KindAccessDenied {
		t.Fatal("Is/KindOf mismatch")
	}
	if e.Details() != "action DeleteServiceSpecificCredential · code AccessDenied · request r-1" {
		t.Fatalf("details %q", e.Details())
	}
}
