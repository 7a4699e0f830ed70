package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// Across the organization: the key is found in the member account its alias
// names, through the role there; a role that cannot be assumed is exit 3.
func TestWhoisAcrossOrg(t *testing.T) {
	auditAWSEnv(t)
	for _, deny := range []bool{false, true} {
		faults := localiam.Faults{}
		if deny {
			faults.DenyAssume = []string{demoProduction}
		}
		url, srv := startOrgIAM(t, "org:demo", faults)
		secret, id := memberKey(t, url, srv, demoProduction)
		r := runWhoisTest(t, secret+"\n", "--org", "--endpoint-url", url, "--deactivate")
		if deny {
			if r.code != exitFailed || !strings.Contains(r.stdout, "credential   unknown: account Production ("+demoProduction+"): cannot assume") {
				t.Errorf("role denied: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		} else if r.code != exitOK || !strings.Contains(r.stdout, id+"  user leaker") || !strings.Contains(r.stdout, "in account "+demoProduction) ||
			!strings.Contains(r.stdout, "deactivate   done: "+id) {
			t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		noSecret(t, map[string]string{"k": secret}, r.stdout, r.stderr)
	}
}

// memberKey creates user leaker and a Bedrock key in account, signed with the
// account's own key, and returns the secret and the credential ID.
func memberKey(t *testing.T, url string, srv *localiam.Server, account string) (string, string) {
	t.Helper()
	var key string
	for _, a := range srv.Accounts() {
		if a.ID == account {
			key = a.AccessKeyID
		}
	}
	raw := iam.New(iam.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider(key, "test", "")})
	if _, err := raw.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("leaker")}); err != nil {
		t.Fatal(err)
	}
	out, err := raw.CreateServiceSpecificCredential(context.Background(), &iam.CreateServiceSpecificCredentialInput{
		UserName: aws.String("leaker"), ServiceName: aws.String(model.Bedrock)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.ServiceSpecificCredential.ServiceCredentialSecret, *out.ServiceSpecificCredential.ServiceSpecificCredentialId
}

// --profiles: each profile's account, signed with its own keys; the key is
// found through the profile of its account, whichever comes first.
func TestWhoisAcrossProfiles(t *testing.T) {
	auditAWSEnv(t)
	url, srv := startOrgIAM(t, "org:demo", localiam.Faults{})
	keys := map[string]string{}
	for _, a := range srv.Accounts() {
		keys[a.ID] = a.AccessKeyID
	}
	creds := filepath.Join(t.TempDir(), "credentials")
	file := fmt.Sprintf("[data]\naws_access_key_id = %s\naws_secret_access_key = x\n\n[prod]\naws_access_key_id = %s\naws_secret_access_key = x\n",
		keys[demoData], keys[demoProduction])
	if err := os.WriteFile(creds, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	secret, id := memberKey(t, url, srv, demoProduction)
	r := runWhoisTest(t, secret+"\n", "--profiles", "data,prod", "--endpoint-url", url, "--format", "json")
	if r.code != exitFlagged || !strings.Contains(r.stdout, `"id": "`+id+`"`) || !strings.Contains(r.stdout, `"account": "`+demoProduction+`"`) {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	noSecret(t, map[string]string{"k": secret}, r.stdout, r.stderr)
}
