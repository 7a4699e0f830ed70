package localiam_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"iamcreds/awsclient/localiam"
)

// The unmodified Go SDK's Secrets Manager and SSM clients against the endpoint.

// storeEndpoint serves cfg and returns its URL.
func storeEndpoint(t *testing.T, cfg localiam.Config) (*localiam.Server, *httptest.Server) {
	t.Helper()
	srv, err := localiam.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); _ = srv.Close() })
	return srv, hs
}

// storeClients are the two clients signing with key in region.
func storeClients(hs *httptest.Server, key, region string) (*secretsmanager.Client, *ssm.Client) {
	creds := credentials.NewStaticCredentialsProvider(key, "dummy", "")
	sm := secretsmanager.New(secretsmanager.Options{BaseEndpoint: aws.String(hs.URL), Region: region, Credentials: creds,
		HTTPClient: hs.Client(), RetryMaxAttempts: 1})
	ps := ssm.New(ssm.Options{BaseEndpoint: aws.String(hs.URL), Region: region, Credentials: creds,
		HTTPClient: hs.Client(), RetryMaxAttempts: 1})
	return sm, ps
}

var secretARN = regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/git-[A-Za-z0-9]{6}$`)

func TestSDKSecretsManagerVersions(t *testing.T) {
	ctx := context.Background()
	_, hs := storeEndpoint(t, localiam.Config{})
	sm, _ := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "us-east-1")

	created, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("ci/git"), KmsKeyId: aws.String("alias/ci"),
		Description: aws.String("CI runner's Git password")})
	if err != nil {
		t.Fatal(err)
	}
	if !secretARN.MatchString(aws.ToString(created.ARN)) || aws.ToString(created.Name) != "ci/git" || created.VersionId != nil {
		t.Fatalf("created %+v", created)
	}
	arn := aws.ToString(created.ARN)
	// No value yet: AWSCURRENT is on no version.
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/git")})
	wantAPIError(t, err, "ResourceNotFoundException", 400, `^Secrets Manager can't find the specified secret value for staging label: AWSCURRENT$`)

	put := func(value string, token *string) *secretsmanager.PutSecretValueOutput {
		t.Helper()
		out, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(arn), SecretString: aws.String(value), ClientRequestToken: token})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := put("password-one", nil)
	if !slices.Equal(first.VersionStages, []string{"AWSCURRENT"}) || len(aws.ToString(first.VersionId)) != 36 {
		t.Fatalf("first put %+v", first)
	}
	token := "0123456789abcdef0123456789abcdef"
	second := put("password-two", aws.String(token))
	if aws.ToString(second.VersionId) != token || !slices.Equal(second.VersionStages, []string{"AWSCURRENT"}) {
		t.Fatalf("second put %+v", second)
	}
	// A retry with the same token and value is the same version; another value is refused.
	if again := put("password-two", aws.String(token)); aws.ToString(again.VersionId) != token {
		t.Fatalf("retry %+v", again)
	}
	_, err = sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("ci/git"), SecretString: aws.String("other"), ClientRequestToken: aws.String(token)})
	wantAPIError(t, err, "ResourceExistsException", 400, `^You can't use ClientRequestToken `+token+` because that value is already in use for a version of secret `+regexp.QuoteMeta(arn)+`\.$`)

	desc, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("ci/git")})
	if err != nil {
		t.Fatal(err)
	}
	wantStages := map[string][]string{aws.ToString(first.VersionId): {"AWSPREVIOUS"}, token: {"AWSCURRENT"}}
	if aws.ToString(desc.KmsKeyId) != "alias/ci" || aws.ToString(desc.ARN) != arn || aws.ToString(desc.Description) != "CI runner's Git password" ||
		len(desc.VersionIdsToStages) != 2 || desc.CreatedDate == nil || desc.LastChangedDate == nil {
		t.Fatalf("describe %+v", desc)
	}
	for id, stages := range wantStages {
		if !slices.Equal(desc.VersionIdsToStages[id], stages) {
			t.Fatalf("VersionIdsToStages %v, want %v", desc.VersionIdsToStages, wantStages)
		}
	}
	// By stage, by version, by the partial ARN (no suffix).
	for _, in := range []*secretsmanager.GetSecretValueInput{
		{SecretId: aws.String("ci/git"), VersionStage: aws.String("AWSPREVIOUS")},
		{SecretId: aws.String(arn), VersionId: first.VersionId},
		{SecretId: aws.String(arn[:len(arn)-7]), VersionId: first.VersionId, VersionStage: aws.String("AWSPREVIOUS")},
	} {
		got, err := sm.GetSecretValue(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(got.SecretString) != "password-one" || !slices.Equal(got.VersionStages, []string{"AWSPREVIOUS"}) || aws.ToString(got.ARN) != arn {
			t.Fatalf("get %+v: %+v", in, got)
		}
	}
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/git"), VersionId: first.VersionId, VersionStage: aws.String("AWSCURRENT")})
	wantAPIError(t, err, "InvalidRequestException", 400, `^You provided a VersionStage that is not associated to the provided VersionId\.$`)

	// A third value leaves the first without a label: deprecated, listed only when asked.
	third := put("password-three", nil)
	list, err := sm.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("ci/git")})
	if err != nil {
		t.Fatal(err)
	}
	if ids := versionIDs(list.Versions); !slices.Equal(ids, []string{aws.ToString(third.VersionId), token}) {
		t.Fatalf("listed %v", ids)
	}
	all, err := sm.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("ci/git"), IncludeDeprecated: aws.Bool(true), MaxResults: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Versions) != 2 || all.NextToken == nil {
		t.Fatalf("first page %+v", all)
	}
	rest, err := sm.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("ci/git"), IncludeDeprecated: aws.Bool(true), NextToken: all.NextToken})
	if err != nil {
		t.Fatal(err)
	}
	if ids := versionIDs(rest.Versions); !slices.Equal(ids, []string{aws.ToString(first.VersionId)}) || rest.NextToken != nil || len(rest.Versions[0].VersionStages) != 0 {
		t.Fatalf("second page %+v", rest)
	}

	// Moving AWSCURRENT back (a rollback) needs the version that has it named.
	_, err = sm.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("ci/git"), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: aws.String(token)})
	wantAPIError(t, err, "InvalidParameterException", 400, `^The parameter RemoveFromVersionId can't be empty\. Staging label AWSCURRENT is currently attached to version `+aws.ToString(third.VersionId))
	if _, err := sm.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("ci/git"), VersionStage: aws.String("AWSCURRENT"),
		MoveToVersionId: aws.String(token), RemoveFromVersionId: third.VersionId}); err != nil {
		t.Fatal(err)
	}
	if desc, err = sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(desc.VersionIdsToStages[token], []string{"AWSCURRENT"}) || !slices.Equal(desc.VersionIdsToStages[aws.ToString(third.VersionId)], []string{"AWSPREVIOUS"}) || len(desc.VersionIdsToStages) != 2 {
		t.Fatalf("after the rollback %v", desc.VersionIdsToStages)
	}
}

func versionIDs(vs []smtypes.SecretVersionsListEntry) []string {
	var ids []string
	for _, v := range vs {
		ids = append(ids, aws.ToString(v.VersionId))
	}
	return ids
}

func TestSDKSecretsManagerErrors(t *testing.T) {
	ctx := context.Background()
	_, hs := storeEndpoint(t, localiam.Config{})
	sm, _ := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "us-east-1")
	binary := []byte{0, 1, 2, 0xff}
	created, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("ci/git"), SecretBinary: binary})
	if err != nil {
		t.Fatal(err)
	}
	if created.VersionId == nil {
		t.Fatal("a secret created with a value has no version")
	}
	got, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/git")})
	if err != nil || !bytes.Equal(got.SecretBinary, binary) || got.SecretString != nil {
		t.Fatalf("binary: %+v, %v", got, err)
	}
	_, err = sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("ci/git"), SecretString: aws.String("x")})
	wantAPIError(t, err, "ResourceExistsException", 400, `^The operation failed because the secret ci/git already exists\.$`)
	_, err = sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("bad name")})
	wantAPIError(t, err, "InvalidParameterException", 400, `^Invalid name\.`)
	_, err = sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("both"), SecretString: aws.String("x"), SecretBinary: []byte("y")})
	wantAPIError(t, err, "InvalidParameterException", 400, `^You can't specify both a binary secret value and a string secret value`)

	missing := "arn:aws:secretsmanager:us-east-1:123456789012:secret:nobody-AbCdEf"
	for _, id := range []string{"nobody", missing, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/git"} {
		_, err = sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(id)})
		wantAPIError(t, err, "ResourceNotFoundException", 400, `^Secrets Manager can't find the specified secret\.$`)
		_, err = sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(id), SecretString: aws.String("x")})
		wantAPIError(t, err, "ResourceNotFoundException", 400, `^Secrets Manager can't find the specified secret\.$`)
	}
	// Another account's secret: no resource policy is modelled, so nobody may.
	other := "arn:aws:secretsmanager:us-east-1:111122223333:secret:ci/git-AbCdEf"
	_, err = sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(other), SecretString: aws.String("x")})
	wantAPIError(t, err, "AccessDeniedException", 400, `^User: arn:aws:iam::123456789012:user/iamcreds-demo is not authorized to perform: secretsmanager:PutSecretValue on resource: `+regexp.QuoteMeta(other)+` because no resource-based policy allows`)
	// Another region is another store.
	euSM, _ := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "eu-west-1")
	_, err = euSM.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/git")})
	wantAPIError(t, err, "ResourceNotFoundException", 400, `^Secrets Manager can't find the specified secret\.$`)
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/git"), VersionId: aws.String("00000000-0000-4000-8000-000000000000")})
	wantAPIError(t, err, "ResourceNotFoundException", 400, `^Secrets Manager can't find the specified secret value for VersionId: 00000000-0000-4000-8000-000000000000$`)
	_, err = sm.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("ci/git"), VersionStage: aws.String("AWSCURRENT"), RemoveFromVersionId: created.VersionId})
	wantAPIError(t, err, "InvalidParameterException", 400, `AWSCURRENT`)
	_, err = sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("ci/git"), SecretString: aws.String("x"), ClientRequestToken: aws.String("short")})
	wantAPIError(t, err, "ValidationException", 400, `^1 validation error detected: Value 'short' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32$`)
	_, err = sm.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("ci/git"), NextToken: aws.String("forged")})
	wantAPIError(t, err, "InvalidNextTokenException", 400, `.`)
	// A value too long is refused without being quoted.
	long := strings.Repeat("s3cr3t", 11000)
	_, err = sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("ci/git"), SecretString: aws.String(long)})
	wantAPIError(t, err, "ValidationException", 400, `^1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536$`)
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Fatal("the error quotes the value")
	}
}

// Denied actions, as --deny gives them, and a reply lost after the write.
func TestSDKStoresFaults(t *testing.T) {
	ctx := context.Background()
	srv, hs := storeEndpoint(t, localiam.Config{Faults: localiam.Faults{Deny: []string{"secretsmanager:PutSecretValue", "ssm:PutParameter"}}})
	sm, ps := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "us-east-1")
	if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("ci/git")}); err != nil {
		t.Fatal(err)
	}
	_, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("ci/git"), SecretString: aws.String("x")})
	wantAPIError(t, err, "AccessDeniedException", 400, `^User: arn:aws:iam::123456789012:user/iamcreds-demo is not authorized to perform: secretsmanager:PutSecretValue on resource: ci/git because no identity-based policy allows the secretsmanager:PutSecretValue action$`)
	_, err = ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/ci/git"), Value: aws.String("x"), Type: "SecureString"})
	wantAPIError(t, err, "AccessDeniedException", 400, `^User: arn:aws:iam::123456789012:user/iamcreds-demo is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/ci/git because`)
	if got := srv.Injected().Denied; got != 2 {
		t.Fatalf("%d denials counted", got)
	}

	drops, err := localiam.ParseDropReply("secretsmanager:PutSecretValue:1")
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(localiam.Faults{DropReply: drops})
	token := "0123456789abcdef0123456789abcdef"
	put := &secretsmanager.PutSecretValueInput{SecretId: aws.String("ci/git"), SecretString: aws.String("x"), ClientRequestToken: aws.String(token)}
	if _, err := sm.PutSecretValue(ctx, put); err == nil {
		t.Fatal("a dropped reply read as a success")
	}
	// The write happened: the retry with the same token is answered as the first call would have been.
	out, err := sm.PutSecretValue(ctx, put)
	if err != nil || aws.ToString(out.VersionId) != token || !slices.Equal(out.VersionStages, []string{"AWSCURRENT"}) {
		t.Fatalf("retry: %+v, %v", out, err)
	}
	if _, err := localiam.ParseDropReply("ssm:NoSuchAction"); err == nil {
		t.Fatal("an unknown action was accepted")
	}

	// A request lost on its way changes nothing.
	if drops, err = localiam.ParseDropRequest("ssm:PutParameter:1"); err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(localiam.Faults{DropRequest: drops})
	if _, err := ps.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/ci/git"), Value: aws.String("x"), Type: "SecureString"}); err == nil {
		t.Fatal("a dropped request read as a success")
	}
	_, err = ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/ci/git")})
	wantAPIError(t, err, "ParameterNotFound", 400, `^$`)

	// Throttling and failures, in each service's words.
	srv.SetFaults(localiam.Faults{ThrottleRate: 1})
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/git")})
	wantAPIError(t, err, "ThrottlingException", 400, `^Rate exceeded$`)
	srv.SetFaults(localiam.Faults{FailRate: 1})
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/git")})
	wantAPIError(t, err, "InternalServiceError", 500, `.`)
	_, err = ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/ci/git")})
	wantAPIError(t, err, "InternalServerError", 500, `.`)
}

// In an organization the signer's account is the store's; another account's
// secret is denied even to the management account.
func TestSDKStoresPerAccount(t *testing.T) {
	ctx := context.Background()
	srv, hs := storeEndpoint(t, localiam.Config{Seed: "org:3x1"})
	accounts := srv.Accounts()
	mgmt, _ := storeClients(hs, accounts[0].AccessKeyID, "us-east-1")
	member, memberSSM := storeClients(hs, accounts[1].AccessKeyID, "us-east-1")
	created, err := member.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("app/db"), SecretString: aws.String("x")})
	if err != nil {
		t.Fatal(err)
	}
	if want := ":" + accounts[1].ID + ":secret:app/db-"; !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(aws.ToString(created.ARN)) {
		t.Fatalf("ARN %s", aws.ToString(created.ARN))
	}
	_, err = mgmt.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/db")})
	wantAPIError(t, err, "ResourceNotFoundException", 400, `.`)
	_, err = mgmt.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: created.ARN})
	wantAPIError(t, err, "AccessDeniedException", 400, `because no resource-based policy allows the secretsmanager:GetSecretValue action$`)

	if _, err := memberSSM.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/db"), Value: aws.String("x"), Type: "SecureString"}); err != nil {
		t.Fatal(err)
	}
	_, mgmtSSM := storeClients(hs, accounts[0].AccessKeyID, "us-east-1")
	arn := "arn:aws:ssm:us-east-1:" + accounts[1].ID + ":parameter/app/db"
	_, err = mgmtSSM.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(arn), WithDecryption: aws.Bool(true)})
	wantAPIError(t, err, "AccessDeniedException", 400, `ssm:GetParameter on resource: `+regexp.QuoteMeta(arn))
	got, err := memberSSM.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(arn), WithDecryption: aws.Bool(true)})
	if err != nil || aws.ToString(got.Parameter.Value) != "x" || aws.ToString(got.Parameter.ARN) != arn {
		t.Fatalf("by ARN: %+v, %v", got, err)
	}
}
