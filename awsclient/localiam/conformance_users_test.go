package localiam_test

import (
	"regexp"
	"testing"
)

// TestConformanceAWSCLIUserItems runs every action on what a user holds
// through the AWS CLI, as a cleanup script would: access keys, the login
// profile, policies, groups, and DeleteUser refused until they are gone.
func TestConformanceAWSCLIUserItems(t *testing.T) {
	t.Parallel() // each is a chain of Python starts: together they take the longest one's time
	cli := awsCLI{t: t, cli: startCLI(t), endpoint: startLocalIAM(t, buildIamcreds(t), "--seed", "demo")}
	const admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	user := []string{"--user-name", "BedrockAPIKey-k2wd"} // the demo's orphan: its key deleted, policy and group left

	key := cli.ok(append([]string{"iam", "create-access-key"}, user...)...)["AccessKey"].(map[string]any)
	wantKeys(t, "access key", key, "UserName", "AccessKeyId", "Status", "SecretAccessKey", "CreateDate")
	id, _ := key["AccessKeyId"].(string)
	if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(id) || len(key["SecretAccessKey"].(string)) != 40 || key["Status"] != "Active" {
		t.Fatalf("create-access-key: %v", key)
	}
	cliTime(t, key["CreateDate"])
	if out := cli.ok(append([]string{"iam", "update-access-key", "--access-key-id", id, "--status", "Inactive"}, user...)...); out != nil {
		t.Fatalf("update-access-key printed %v", out)
	}
	keys := cli.ok(append([]string{"iam", "list-access-keys"}, user...)...)["AccessKeyMetadata"].([]any)
	if len(keys) != 1 || keys[0].(map[string]any)["Status"] != "Inactive" {
		t.Fatalf("list-access-keys: %v", keys)
	}
	wantKeys(t, "access key metadata", keys[0].(map[string]any), "UserName", "AccessKeyId", "Status", "CreateDate")

	profile := cli.ok(append([]string{"iam", "create-login-profile", "--password", "a long enough password", "--password-reset-required"}, user...)...)["LoginProfile"].(map[string]any)
	wantKeys(t, "login profile", profile, "UserName", "CreateDate", "PasswordResetRequired")
	if got := cli.ok(append([]string{"iam", "get-login-profile"}, user...)...)["LoginProfile"].(map[string]any); got["PasswordResetRequired"] != true {
		t.Fatalf("get-login-profile: %v", got)
	}

	cli.ok(append([]string{"iam", "attach-user-policy", "--policy-arn", admin}, user...)...)
	attached := cli.ok(append([]string{"iam", "list-attached-user-policies", "--max-items", "1"}, user...)...)
	if ps := attached["AttachedPolicies"].([]any); len(ps) != 1 || ps[0].(map[string]any)["PolicyName"] != "AdministratorAccess" || attached["NextToken"] == nil {
		t.Fatalf("list-attached-user-policies --max-items 1: %v", attached)
	}
	cli.ok(append([]string{"iam", "put-user-policy", "--policy-name", "extra", "--policy-document", `{"Version":"2012-10-17","Statement":[]}`}, user...)...)
	if names := cli.ok(append([]string{"iam", "list-user-policies"}, user...)...)["PolicyNames"].([]any); len(names) != 1 || names[0] != "extra" {
		t.Fatalf("list-user-policies: %v", names)
	}
	cli.ok(append([]string{"iam", "add-user-to-group", "--group-name", "developers"}, user...)...)
	groups := cli.ok(append([]string{"iam", "list-groups-for-user"}, user...)...)["Groups"].([]any)
	if len(groups) != 2 {
		t.Fatalf("list-groups-for-user: %v", groups)
	}
	wantKeys(t, "group", groups[0].(map[string]any), "Path", "GroupName", "GroupId", "Arn", "CreateDate")

	// delete-user, step by step, in the order IAM requires.
	for _, step := range []struct {
		conflict string
		remove   []string
	}{
		{"must delete login profile first.", []string{"iam", "delete-login-profile"}},
		{"must delete access keys first.", []string{"iam", "delete-access-key", "--access-key-id", id}},
		{"must delete policies first.", []string{"iam", "delete-user-policy", "--policy-name", "extra"}},
		{"must detach all policies first.", []string{"iam", "detach-user-policy", "--policy-arn", admin}},
		{"must detach all policies first.", []string{"iam", "detach-user-policy", "--policy-arn", "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess"}},
		{"must remove users from group first.", []string{"iam", "remove-user-from-group", "--group-name", "developers"}},
		{"must remove users from group first.", []string{"iam", "remove-user-from-group", "--group-name", "api-key-users"}},
	} {
		cli.fails("DeleteConflict", "Cannot delete entity, "+step.conflict, append([]string{"iam", "delete-user"}, user...)...)
		if out := cli.ok(append(step.remove, user...)...); out != nil {
			t.Fatalf("%v printed %v", step.remove, out)
		}
	}
	if out := cli.ok(append([]string{"iam", "delete-user"}, user...)...); out != nil {
		t.Fatalf("delete-user printed %v", out)
	}

	// AWS's errors for each kind of thing, on a user that holds none of them.
	other := []string{"--user-name", "mateo"}
	for _, e := range []struct {
		code, message string
		args          []string
	}{
		{"NoSuchEntity", "The user with name BedrockAPIKey-k2wd cannot be found.", append([]string{"iam", "list-access-keys"}, user...)},
		{"NoSuchEntity", "Login Profile for User mateo cannot be found.", append([]string{"iam", "get-login-profile"}, other...)},
		{"NoSuchEntity", "The Access Key with id AKIAZZZZZZZZZZZZZZZZ cannot be found.", append([]string{"iam", "delete-access-key", "--access-key-id", "AKIAZZZZZZZZZZZZZZZZ"}, other...)},
		{"NoSuchEntity", "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.",
			append([]string{"iam", "attach-user-policy", "--policy-arn", "arn:aws:iam::aws:policy/Nope"}, other...)},
		{"NoSuchEntity", "The group with name nogroup cannot be found.", append([]string{"iam", "add-user-to-group", "--group-name", "nogroup"}, other...)},
		{"MalformedPolicyDocument", "Syntax errors in policy.", append([]string{"iam", "put-user-policy", "--policy-name", "x", "--policy-document", "{"}, other...)},
		{"PasswordPolicyViolation", "minimum length", append([]string{"iam", "create-login-profile", "--password", "short"}, other...)},
		{"ValidationError", "enum value set", append([]string{"iam", "update-access-key", "--access-key-id", "AKIAZZZZZZZZZZZZZZZZ", "--status", "Expired"}, other...)},
	} {
		cli.fails(e.code, e.message, e.args...)
	}
	// A second access key is the limit for the at-risk demo user, who has one.
	risky := []string{"--user-name", "BedrockAPIKey-r8tn"}
	cli.ok(append([]string{"iam", "create-access-key"}, risky...)...)
	cli.fails("LimitExceeded", "AccessKeysPerUser: 2", append([]string{"iam", "create-access-key"}, risky...)...)
	cli.ok(append([]string{"iam", "create-login-profile", "--password", "a long enough password"}, other...)...)
	cli.fails("EntityAlreadyExists", "already exists", append([]string{"iam", "create-login-profile", "--password", "a long enough password"}, other...)...)
}
