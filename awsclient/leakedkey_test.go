package awsclient

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"iamcreds/awsclient/localiam"
	"iamcreds/internal/bedrockkeytest"
	"iamcreds/model"
)

// Keys as the endpoint issues them decode to the credential they came from:
// its alias, user, account and slot, for Bedrock and Claude Platform.
func TestDecodeIssuedKeys(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, localiam.Config{AccountID: "210987654321"})
	createUsers(t, c, "alice", "ops.bot@ci")
	for _, tc := range []struct {
		user, service string
		kind          model.KeyKind
		slot          int
	}{
		{"alice", model.Bedrock, model.KeyBedrockLong, 1},
		{"alice", model.Bedrock, model.KeyBedrockLong, 2},
		{"ops.bot@ci", model.ClaudePlatform, model.KeyClaudePlatform, 1},
		{"ops.bot@ci", model.ClaudePlatform, model.KeyClaudePlatform, 2},
	} {
		cred, secret, err := c.CreateCredential(ctx, tc.user, tc.service, 30)
		if err != nil {
			t.Fatal(err)
		}
		d, err := model.DecodeKey(secret.Reveal())
		if err != nil {
			t.Fatalf("%s %s: %v", tc.user, tc.service, err)
		}
		if d.Kind != tc.kind || d.Alias != cred.Alias || d.User != tc.user || d.Account != "210987654321" || d.Slot != tc.slot || d.Service != tc.service {
			t.Errorf("decoded %+v from credential %+v", d, cred)
		}
		m, err := c.LookupKey(ctx, "210987654321", d)
		if err != nil || !m.Found || m.ByUserOnly || m.Credential.ID != cred.ID {
			t.Errorf("lookup of %s: %+v, %v", cred.ID, m, err)
		}
		if strings.Contains(d.String()+d.Fingerprint(), secret.Reveal()[8:]) {
			t.Errorf("decoded key shows the secret: %s", d)
		}
	}
}

// A deleted credential, a user that no longer exists, another account: not found, no error.
func TestLookupKeyNotFound(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, localiam.Config{AccountID: "210987654321"})
	createUsers(t, c, "bob")
	cred, secret, err := c.CreateCredential(ctx, "bob", model.Bedrock, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := model.DecodeKey(secret.Reveal())
	if err := c.Delete(ctx, "bob", cred.ID); err != nil {
		t.Fatal(err)
	}
	if m, err := c.LookupKey(ctx, "210987654321", d); err != nil || m.Found || m.ByUserOnly {
		t.Errorf("deleted: %+v, %v", m, err)
	}
	gone, _ := model.DecodeKey("ABSK" + b64("nobody-at-210987654321:c2VjcmV0c2VjcmV0c2VjcmV0"))
	if m, err := c.LookupKey(ctx, "210987654321", gone); err != nil || m.Found {
		t.Errorf("no such user: %+v, %v", m, err)
	}
	got := LookupKeys(ctx, c, []Target{c.SelfTarget()}, []model.DecodedKey{d}, 2)
	if len(got) != 1 || got[0].Match.Found || got[0].Match.Err != nil || got[0].Client != nil {
		t.Errorf("LookupKeys of a deleted key: %+v", got)
	}
}

// Short-term keys minted with the SDK's presigner from keys the endpoint
// issued: a user's access key, and a role session in a member account. Each
// decodes offline, and STS names the account that signed it.
func TestShortTermKeysFromIssuedCredentials(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := newOrgClient(t, localiam.Config{Seed: "org:3x1"})
	member := srv.Accounts()[1]
	createUsers(t, c, "signer")
	ak, err := c.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("signer")})
	if err != nil {
		t.Fatal(err)
	}
	role, err := c.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + member.ID + ":role/OrganizationAccountAccessRole"),
		RoleSessionName: aws.String("leaky")})
	if err != nil {
		t.Fatal(err)
	}
	signed := time.Date(2026, 5, 11, 18, 47, 6, 0, time.UTC)
	home, _ := c.Identity(ctx)
	for _, tc := range []struct {
		creds   aws.Credentials
		account string
	}{
		{aws.Credentials{AccessKeyID: *ak.AccessKey.AccessKeyId, SecretAccessKey: *ak.AccessKey.SecretAccessKey}, home.Account},
		{aws.Credentials{AccessKeyID: *role.Credentials.AccessKeyId, SecretAccessKey: *role.Credentials.SecretAccessKey,
			SessionToken: *role.Credentials.SessionToken}, member.ID},
	} {
		key, err := bedrockkeytest.Mint(ctx, tc.creds, "eu-west-1", signed, 12*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		d, err := model.DecodeKey(key)
		if err != nil {
			t.Fatalf("minted key: %v", err)
		}
		if d.Kind != model.KeyBedrockShort || d.AccessKeyID != tc.creds.AccessKeyID || d.Region != "eu-west-1" ||
			!d.Signed.Equal(signed) || d.Lifetime != 12*time.Hour || d.Temporary() != (tc.creds.SessionToken != "") {
			t.Errorf("decoded %+v", d)
		}
		for _, secret := range []string{tc.creds.SecretAccessKey, tc.creds.SessionToken, key} {
			if secret != "" && strings.Contains(d.String()+strings.Join(d.Notes, ""), secret) {
				t.Errorf("decoded key shows a secret")
			}
		}
		got := LookupKeys(ctx, c, []Target{c.SelfTarget()}, []model.DecodedKey{d, d}, 2)
		for _, r := range got {
			if r.Match.Err != nil || r.Match.Account != tc.account || r.Match.Key.Account != tc.account || r.Match.Found {
				t.Errorf("short-term key signed in %s: %+v", tc.account, r.Match)
			}
		}
		if tc.creds.SessionToken == "" && (got[0].Signer == nil || got[0].Signer.User != "signer" || got[0].Signer.Key.Status != model.Active) {
			t.Errorf("the signing access key's user: %+v, %v", got[0].Signer, got[0].SignerErr)
		}
		if tc.creds.SessionToken != "" && got[0].Signer != nil {
			t.Errorf("a session key has a user: %+v", got[0].Signer)
		}
		if p, err := model.DenyPolicyFor(d); err != nil || !strings.Contains(p, "bedrock:CallWithBearerToken") {
			t.Errorf("deny policy %q, %v", p, err)
		}
	}
}

// Across an organization: a key is looked up in the account its alias names,
// each distinct key once, and found with that account's client.
func TestLookupKeysAcrossOrg(t *testing.T) {
	ctx := context.Background()
	c, srv, log := newOrgClient(t, localiam.Config{Seed: "org:demo"})
	org := c.Org(OrgOptions{SessionName: "iamcreds-test"})
	accounts, err := org.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var member localiam.AccountInfo
	for _, a := range srv.Accounts() {
		if !a.Management && a.Status == "ACTIVE" {
			member = a
			break
		}
	}
	mc, err := org.Client(ctx, member.ID)
	if err != nil {
		t.Fatal(err)
	}
	createUsers(t, mc, "leaker")
	cred, secret, err := mc.CreateCredential(ctx, "leaker", model.Bedrock, 7)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := model.DecodeKey(secret.Reveal())
	other, _ := model.DecodeKey("ABSK" + b64("leaker-at-999999999999:c2VjcmV0c2VjcmV0c2VjcmV0"))
	got := LookupKeys(ctx, c, org.Targets(accounts), []model.DecodedKey{d, other, d}, 3)
	if !got[0].Match.Found || got[0].Match.Credential.ID != cred.ID || got[0].Match.Account != member.ID || got[0].Client == nil {
		t.Fatalf("found %+v", got[0].Match)
	}
	if got[2].Match.Credential.ID != cred.ID {
		t.Errorf("the same key twice: %+v", got[2].Match)
	}
	if got[1].Match.Found || got[1].Match.Err != nil || got[1].Match.Account != "999999999999" {
		t.Errorf("a key of an account outside the organization: %+v", got[1].Match)
	}
	// The found account's client acts there.
	if err := got[0].Client.SetStatus(ctx, "leaker", cred.ID, model.Inactive); err != nil {
		t.Fatal(err)
	}
	creds, _ := mc.ListCredentials(ctx, "leaker")
	if len(creds) != 1 || creds[0].Status != model.Inactive {
		t.Errorf("after deactivating: %+v", creds)
	}
	if n := len(log.assumed()); n == 0 {
		t.Error("no role was assumed")
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
