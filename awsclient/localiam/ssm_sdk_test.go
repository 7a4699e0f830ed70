package localiam_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"iamcreds/awsclient/localiam"
)

func TestSDKParameterStore(t *testing.T) {
	ctx := context.Background()
	_, hs := storeEndpoint(t, localiam.Config{})
	_, ps := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "us-east-1")
	name := "/ci/runner/git-password"

	put, err := ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String("password-one"),
		Type: ssmtypes.ParameterTypeSecureString, KeyId: aws.String("alias/ci")})
	if err != nil {
		t.Fatal(err)
	}
	if put.Version != 1 || put.Tier != ssmtypes.ParameterTierStandard {
		t.Fatalf("put %+v", put)
	}
	_, err = ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String("password-two"), Type: ssmtypes.ParameterTypeSecureString})
	wantAPIError(t, err, "ParameterAlreadyExists", 400, `^The parameter already exists\. To overwrite this value, set the overwrite option in the request to true\.$`)
	// Overwrite without a Type keeps the type (and the key).
	if put, err = ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String("password-two"), Overwrite: aws.Bool(true)}); err != nil || put.Version != 2 {
		t.Fatalf("overwrite %+v, %v", put, err)
	}

	get := func(name string, decrypt bool) *ssmtypes.Parameter {
		t.Helper()
		out, err := ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(decrypt)})
		if err != nil {
			t.Fatal(err)
		}
		return out.Parameter
	}
	p := get(name, true)
	if aws.ToString(p.Value) != "password-two" || p.Version != 2 || p.Type != ssmtypes.ParameterTypeSecureString ||
		aws.ToString(p.ARN) != "arn:aws:ssm:us-east-1:123456789012:parameter/ci/runner/git-password" || aws.ToString(p.DataType) != "text" || p.LastModifiedDate == nil {
		t.Fatalf("get %+v", p)
	}
	// Without decryption a SecureString is its ciphertext: not the value, the same on every read.
	enc, again := get(name, false), get(name, false)
	if v := aws.ToString(enc.Value); strings.Contains(v, "password") || !strings.HasPrefix(v, "AQICAH") || v != aws.ToString(again.Value) {
		t.Fatalf("encrypted value %q, then %q", v, aws.ToString(again.Value))
	}
	if old := get(name+":1", true); aws.ToString(old.Value) != "password-one" || old.Version != 1 || aws.ToString(old.Selector) != ":1" {
		t.Fatalf("version 1 %+v", old)
	}
	if byARN := get(aws.ToString(p.ARN), true); aws.ToString(byARN.Value) != "password-two" || aws.ToString(byARN.Name) != name {
		t.Fatalf("by ARN %+v", byARN)
	}
	_, err = ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name + ":7")})
	wantAPIError(t, err, "ParameterVersionNotFound", 400, `^Systems Manager could not find version 7 of `+name)

	// A String parameter, plain; its name has no slash.
	if _, err := ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("plain"), Value: aws.String("v"), Type: ssmtypes.ParameterTypeString}); err != nil {
		t.Fatal(err)
	}
	if p := get("plain", false); aws.ToString(p.Value) != "v" || aws.ToString(p.ARN) != "arn:aws:ssm:us-east-1:123456789012:parameter/plain" {
		t.Fatalf("plain %+v", p)
	}

	if _, err := ps.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	_, err = ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(true)})
	wantAPIError(t, err, "ParameterNotFound", 400, `^$`)
	_, err = ps.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(name)})
	wantAPIError(t, err, "ParameterNotFound", 400, `^$`)
	// Made again, it starts over at version 1.
	if put, err = ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String("x"), Type: ssmtypes.ParameterTypeSecureString}); err != nil || put.Version != 1 {
		t.Fatalf("again %+v, %v", put, err)
	}
}

func TestSDKParameterStoreErrors(t *testing.T) {
	ctx := context.Background()
	_, hs := storeEndpoint(t, localiam.Config{})
	_, ps := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "us-east-1")
	for _, c := range []struct {
		in            ssm.PutParameterInput
		code, message string
	}{
		{ssm.PutParameterInput{Name: aws.String("/no/type"), Value: aws.String("x")}, "ValidationException", `^A parameter type is required when you create a parameter\.$`},
		{ssm.PutParameterInput{Name: aws.String("no/slash"), Value: aws.String("x"), Type: "String"}, "ValidationException", `^Parameter name must be a fully qualified name\.$`},
		{ssm.PutParameterInput{Name: aws.String("/aws/x"), Value: aws.String("x"), Type: "String"}, "AccessDeniedException", `^No access to reserved parameter name: /aws/x\.$`},
		{ssm.PutParameterInput{Name: aws.String("ssm-x"), Value: aws.String("x"), Type: "String"}, "ValidationException", `can't be prefixed with "aws" or "ssm"`},
		{ssm.PutParameterInput{Name: aws.String("/bad name"), Value: aws.String("x"), Type: "String"}, "ValidationException", `sub-paths divided by slash`},
		{ssm.PutParameterInput{Name: aws.String(strings.Repeat("/a", 16)), Value: aws.String("x"), Type: "String"}, "HierarchyLevelLimitExceededException", `15 levels`},
		{ssm.PutParameterInput{Name: aws.String("/k"), Value: aws.String("x"), Type: "String", KeyId: aws.String("alias/k")}, "ValidationException", `^KeyId is required for SecureString type parameter only\.$`},
		{ssm.PutParameterInput{Name: aws.String("/big"), Value: aws.String(strings.Repeat("x", 4097)), Type: "SecureString"}, "ValidationException", `^Standard tier parameters support a maximum parameter value of 4096 characters`},
		{ssm.PutParameterInput{Name: aws.String("/odd"), Value: aws.String("x"), Type: "Secret"}, "ValidationException", `Member must satisfy enum value set`},
		{ssm.PutParameterInput{Name: aws.String("/pat"), Value: aws.String("abc"), Type: "String", AllowedPattern: aws.String("[0-9]+")}, "ParameterPatternMismatchException", `allowedPattern: \[0-9\]\+$`},
	} {
		_, err := ps.PutParameter(ctx, &c.in)
		wantAPIError(t, err, c.code, 400, c.message)
	}
	// An Advanced parameter holds up to 8 KB.
	out, err := ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/big"), Value: aws.String(strings.Repeat("x", 8000)), Type: "SecureString", Tier: ssmtypes.ParameterTierAdvanced})
	if err != nil || out.Tier != ssmtypes.ParameterTierAdvanced {
		t.Fatalf("advanced: %+v, %v", out, err)
	}
	// Another region is another store.
	_, eu := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "eu-west-1")
	_, err = eu.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/big")})
	wantAPIError(t, err, "ParameterNotFound", 400, `^$`)
}

// The demo account has a secret and a parameter to deliver to, holding
// placeholders; a delivery moves the placeholder to AWSPREVIOUS.
func TestSDKDemoStores(t *testing.T) {
	ctx := context.Background()
	for _, seed := range []string{"demo", "org:demo"} {
		_, hs := storeEndpoint(t, localiam.Config{Seed: seed})
		sm, ps := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "us-east-1")
		before, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(localiam.DemoSecretName)})
		if err != nil || !strings.Contains(aws.ToString(before.SecretString), "placeholder") {
			t.Fatalf("%s: demo secret %+v, %v", seed, before, err)
		}
		if _, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: before.ARN, SecretString: aws.String(`{"secret":"new"}`)}); err != nil {
			t.Fatal(err)
		}
		prev, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(localiam.DemoSecretName), VersionStage: aws.String("AWSPREVIOUS")})
		if err != nil || aws.ToString(prev.VersionId) != aws.ToString(before.VersionId) {
			t.Fatalf("%s: AWSPREVIOUS %+v, %v", seed, prev, err)
		}
		put, err := ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(localiam.DemoParameterName), Value: aws.String("new"), Overwrite: aws.Bool(true)})
		if err != nil || put.Version != 2 {
			t.Fatalf("%s: demo parameter %+v, %v", seed, put, err)
		}
	}
	// Only the demo seeds have them.
	_, hs := storeEndpoint(t, localiam.Config{Seed: "empty"})
	sm, _ := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "us-east-1")
	_, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(localiam.DemoSecretName)})
	wantAPIError(t, err, "ResourceNotFoundException", 400, `.`)
}
