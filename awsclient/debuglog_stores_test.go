package awsclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"iamcreds/awsclient/localiam"
)

// A secret delivered to Secrets Manager or Parameter Store, and read back,
// never reaches the --debug log: not as sent, not as answered, not escaped.
func TestDebugLogHoldsNoDeliveredSecret(t *testing.T) {
	ctx := context.Background()
	srv, err := localiam.New(localiam.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	var log bytes.Buffer
	httpClient := newDebugLog(&log).wrap(hs.Client())
	creds := credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "debug-secret-key", "")
	sm := secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String(hs.URL), Region: "us-east-1", Credentials: creds, HTTPClient: httpClient, RetryMaxAttempts: 1})
	ps := ssm.New(ssm.Options{BaseEndpoint: aws.String(hs.URL), Region: "us-east-1", Credentials: creds, HTTPClient: httpClient, RetryMaxAttempts: 1})

	// The delivery document, with characters JSON and forms escape.
	secret := `Zq8+r/Tq"w=&x\y`
	doc, _ := json.Marshal(map[string]string{"login": "ci-bot-at-123456789012", "secret": secret})
	binary := []byte("binary-secret-" + secret)
	if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("ci/git"), SecretString: aws.String(string(doc))}); err != nil {
		t.Fatal(err)
	}
	if _, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("ci/git"), SecretString: aws.String(string(doc))}); err != nil {
		t.Fatal(err)
	}
	got, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/git")})
	if err != nil || aws.ToString(got.SecretString) != string(doc) {
		t.Fatalf("read back %v", err)
	}
	if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("ci/bin"), SecretBinary: binary}); err != nil {
		t.Fatal(err)
	}
	if bin, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/bin")}); err != nil || !bytes.Equal(bin.SecretBinary, binary) {
		t.Fatalf("binary read back %v", err)
	}
	if _, err := ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/ci/git"), Value: aws.String(secret), Type: "SecureString", Overwrite: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	p, err := ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/ci/git"), WithDecryption: aws.Bool(true)})
	if err != nil || aws.ToString(p.Parameter.Value) != secret {
		t.Fatalf("parameter read back %v", err)
	}
	out := log.String()

	escaped, _ := json.Marshal(string(doc))
	for _, leak := range []string{secret, "Zq8+r", string(doc), string(escaped[1 : len(escaped)-1]), base64.StdEncoding.EncodeToString(binary), "debug-secret-key"} {
		if strings.Contains(out, leak) {
			t.Errorf("the debug log holds %q:\n%s", leak, out)
		}
	}
	for _, want := range []string{
		"X-Amz-Target: secretsmanager.PutSecretValue", "X-Amz-Target: AmazonSSM.GetParameter",
		`"SecretString":"[redacted]"`, `"SecretBinary":"[redacted]"`, `"Value":"[redacted]"`, `"SecretId":"ci/git"`, `"Name":"/ci/git"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the debug log lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestRedactRequest(t *testing.T) {
	for _, tc := range []struct{ contentType, in, want string }{
		{"application/x-amz-json-1.1", `{"SecretId":"a","SecretString":"{\"s\":\"p=1&x\"}","ClientRequestToken":"t"}`,
			`{"SecretId":"a","SecretString":"[redacted]","ClientRequestToken":"[redacted]"}`},
		{"application/x-amz-json-1.1", `{"Name":"/p","Value" : "v\\\"","Type":"SecureString"}`, `{"Name":"/p","Value" : "[redacted]","Type":"SecureString"}`},
		{"application/x-www-form-urlencoded", "Action=X&ServicePassword=p&UserName=u", "Action=X&ServicePassword=[redacted]&UserName=u"},
	} {
		if got := redactRequest(tc.contentType, tc.in); got != tc.want {
			t.Errorf("redactRequest(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
