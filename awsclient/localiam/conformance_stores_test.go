package localiam_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Secrets Manager and Parameter Store through the AWS CLI and boto3: what a CI
// recipe or a delivery script does with them, on a normal endpoint and on one
// whose --deny makes the delivery fail.

const storeDeny = "secretsmanager:PutSecretValue,ssm:PutParameter"

func TestConformanceStoresBoto3(t *testing.T) {
	t.Parallel()
	python := requireTool(t, "python3", "-c", "import boto3")
	bin := buildIamcreds(t)
	endpoint := startLocalIAM(t, bin, "--seed", "empty")
	denied := startLocalIAM(t, bin, "--seed", "empty", "--deny", storeDeny)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "conformance_boto3_stores.py"), endpoint, denied)
	cmd.Env = append(clientEnv(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "boto3 stores conformance: OK") {
		t.Fatalf("conformance_boto3_stores.py: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(string(out)))
}

func TestConformanceStoresAWSCLI(t *testing.T) {
	t.Parallel()
	session := startCLI(t)
	bin := buildIamcreds(t)
	cli := awsCLI{t: t, cli: session, endpoint: startLocalIAM(t, bin, "--seed", "empty")}

	// Secrets Manager: create, put twice, read both labels back.
	created := cli.ok("secretsmanager", "create-secret", "--name", "ci/git", "--kms-key-id", "alias/ci")
	wantKeys(t, "create-secret", created, "ARN", "Name")
	arn := created["ARN"].(string)
	if !regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/git-[A-Za-z0-9]{6}$`).MatchString(arn) {
		t.Fatalf("ARN %s", arn)
	}
	cli.fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
		"secretsmanager", "get-secret-value", "--secret-id", "ci/git")
	first := cli.ok("secretsmanager", "put-secret-value", "--secret-id", "ci/git", "--secret-string", `{"secret":"one"}`)
	wantKeys(t, "put-secret-value", first, "ARN", "Name", "VersionId", "VersionStages")
	second := cli.ok("secretsmanager", "put-secret-value", "--secret-id", arn, "--secret-string", `{"secret":"two"}`)
	firstID, secondID := first["VersionId"].(string), second["VersionId"].(string)
	desc := cli.ok("secretsmanager", "describe-secret", "--secret-id", "ci/git")
	stages := desc["VersionIdsToStages"].(map[string]any)
	if len(stages) != 2 || !sameStages(stages[firstID], "AWSPREVIOUS") || !sameStages(stages[secondID], "AWSCURRENT") || desc["KmsKeyId"] != "alias/ci" {
		t.Fatalf("describe-secret %v", desc)
	}
	prev := cli.ok("secretsmanager", "get-secret-value", "--secret-id", "ci/git", "--version-stage", "AWSPREVIOUS")
	wantKeys(t, "get-secret-value", prev, "ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate")
	if prev["SecretString"] != `{"secret":"one"}` || prev["VersionId"] != firstID {
		t.Fatalf("AWSPREVIOUS %v", prev)
	}
	if cur := cli.ok("secretsmanager", "get-secret-value", "--secret-id", arn); cur["SecretString"] != `{"secret":"two"}` {
		t.Fatalf("AWSCURRENT %v", cur)
	}
	list := cli.ok("secretsmanager", "list-secret-version-ids", "--secret-id", "ci/git")["Versions"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["VersionId"] != secondID {
		t.Fatalf("list-secret-version-ids %v", list)
	}
	cli.fails("InvalidParameterException", "The parameter RemoveFromVersionId can't be empty",
		"secretsmanager", "update-secret-version-stage", "--secret-id", "ci/git", "--version-stage", "AWSCURRENT", "--move-to-version-id", firstID)
	cli.ok("secretsmanager", "update-secret-version-stage", "--secret-id", "ci/git", "--version-stage", "AWSCURRENT",
		"--move-to-version-id", firstID, "--remove-from-version-id", secondID)
	if cur := cli.ok("secretsmanager", "get-secret-value", "--secret-id", "ci/git"); cur["VersionId"] != firstID {
		t.Fatalf("after the rollback %v", cur)
	}
	cli.fails("ResourceExistsException", "The operation failed because the secret ci/git already exists.",
		"secretsmanager", "create-secret", "--name", "ci/git", "--secret-string", "x")
	cli.fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret.",
		"secretsmanager", "put-secret-value", "--secret-id", "nobody", "--secret-string", "x")
	// Deleted: refused until restored; forced, gone.
	if del := cli.ok("secretsmanager", "delete-secret", "--secret-id", "ci/git", "--recovery-window-in-days", "7"); del["Name"] != "ci/git" || del["DeletionDate"] == nil {
		t.Fatalf("delete-secret %v", del)
	}
	cli.fails("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.",
		"secretsmanager", "get-secret-value", "--secret-id", "ci/git")
	cli.ok("secretsmanager", "restore-secret", "--secret-id", "ci/git")
	cli.ok("secretsmanager", "delete-secret", "--secret-id", arn, "--force-delete-without-recovery")
	cli.fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret.", "secretsmanager", "describe-secret", "--secret-id", "ci/git")

	// Parameter Store: a SecureString, overwritten, read back, deleted.
	put := cli.ok("ssm", "put-parameter", "--name", "/ci/git", "--type", "SecureString", "--value", "one", "--key-id", "alias/ci")
	if put["Version"] != 1.0 || put["Tier"] != "Standard" {
		t.Fatalf("put-parameter %v", put)
	}
	cli.fails("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
		"ssm", "put-parameter", "--name", "/ci/git", "--type", "SecureString", "--value", "two")
	if put = cli.ok("ssm", "put-parameter", "--name", "/ci/git", "--type", "SecureString", "--value", "two", "--overwrite"); put["Version"] != 2.0 {
		t.Fatalf("overwrite %v", put)
	}
	p := cli.ok("ssm", "get-parameter", "--name", "/ci/git", "--with-decryption")["Parameter"].(map[string]any)
	wantKeys(t, "parameter", p, "Name", "Type", "Value", "Version", "LastModifiedDate", "ARN", "DataType")
	if p["Value"] != "two" || p["ARN"] != "arn:aws:ssm:us-east-1:123456789012:parameter/ci/git" {
		t.Fatalf("get-parameter %v", p)
	}
	if enc := cli.ok("ssm", "get-parameter", "--name", "/ci/git")["Parameter"].(map[string]any)["Value"].(string); enc == "two" || !strings.HasPrefix(enc, "AQICAH") {
		t.Fatalf("encrypted value %q", enc)
	}
	if out := cli.ok("ssm", "delete-parameter", "--name", "/ci/git"); out != nil {
		t.Fatalf("delete-parameter printed %v", out)
	}
	cli.fails("ParameterNotFound", "", "ssm", "get-parameter", "--name", "/ci/git")
	cli.fails("ParameterNotFound", "", "ssm", "delete-parameter", "--name", "/ci/git")

	// --deny makes the delivery step fail.
	denied := awsCLI{t: t, cli: session, endpoint: startLocalIAM(t, bin, "--seed", "empty", "--deny", storeDeny)}
	denied.ok("secretsmanager", "create-secret", "--name", "ci/git")
	denied.fails("AccessDeniedException", "is not authorized to perform: secretsmanager:PutSecretValue on resource: ci/git",
		"secretsmanager", "put-secret-value", "--secret-id", "ci/git", "--secret-string", "x")
	denied.fails("AccessDeniedException", "is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/ci/git",
		"ssm", "put-parameter", "--name", "/ci/git", "--type", "SecureString", "--value", "x")
}

func sameStages(v any, want ...string) bool {
	list, _ := v.([]any)
	var got []string
	for _, s := range list {
		str, _ := s.(string)
		got = append(got, str)
	}
	return slices.Equal(got, want)
}
