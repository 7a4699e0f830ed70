package localiam_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// The organization seed through clients nobody here wrote: what a script that
// audits every account does with the AWS CLI and with boto3. Each aws command
// costs a Python start, so the CLI test keeps to the steps of such a script;
// the boto3 script checks the rest (identities, denials, forged tokens).

func TestConformanceOrgAWSCLI(t *testing.T) {
	t.Parallel() // each is a chain of Python starts: together they take the longest one\'s time
	cli := awsCLI{t: t, cli: startCLI(t), endpoint: startLocalIAM(t, buildIamcreds(t), "--seed", "org:5x3")}

	// The CLI follows NextToken itself: --page-size 2 takes three calls.
	out := cli.ok("organizations", "list-accounts", "--page-size", "2")
	wantKeys(t, "list-accounts", out, "Accounts")
	accounts := out["Accounts"].([]any)
	if len(accounts) != 5 {
		t.Fatalf("%d accounts", len(accounts))
	}
	var members, suspended []string
	for i, v := range accounts {
		a := v.(map[string]any)
		wantKeys(t, "account", a, "Id", "Arn", "Email", "Name", "Status", "State", "JoinedMethod", "JoinedTimestamp")
		id, _ := a["Id"].(string)
		if !regexp.MustCompile(`^arn:aws:organizations::123456789012:account/o-[a-z0-9]{10,32}/` + id + `$`).MatchString(a["Arn"].(string)) {
			t.Fatalf("account %v", a)
		}
		// CLI v1 prints a JSON-protocol timestamp as received: epoch seconds.
		if joined, ok := a["JoinedTimestamp"].(float64); !ok || joined < 1e9 || joined > float64(time.Now().Unix()) {
			t.Fatalf("JoinedTimestamp %v", a["JoinedTimestamp"])
		}
		switch {
		case i == 0 && (id != "123456789012" || a["Name"] != "Management"):
			t.Fatalf("first account %v", a)
		case i > 0 && a["Status"] == "SUSPENDED":
			suspended = append(suspended, id)
		case i > 0:
			members = append(members, id)
		}
	}
	if len(members) != 3 || len(suspended) != 1 {
		t.Fatalf("members %v, suspended %v", members, suspended)
	}
	// assume-role, then the member account's IAM with the returned keys.
	role := "arn:aws:iam::" + members[0] + ":role/OrganizationAccountAccessRole"
	assumed := cli.ok("sts", "assume-role", "--role-arn", role, "--role-session-name", "cli-conformance", "--duration-seconds", "900")
	wantKeys(t, "assume-role", assumed, "AssumedRoleUser", "Credentials")
	creds := assumed["Credentials"].(map[string]any)
	wantKeys(t, "credentials", creds, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")
	if exp := cliTime(t, creds["Expiration"]); exp.Sub(time.Now()) < 14*time.Minute || exp.Sub(time.Now()) > 15*time.Minute+time.Second {
		t.Fatalf("Expiration %v", exp)
	}
	member := awsCLI{t: t, cli: cli.cli, endpoint: cli.endpoint, env: []string{
		"AWS_ACCESS_KEY_ID=" + creds["AccessKeyId"].(string), "AWS_SECRET_ACCESS_KEY=" + creds["SecretAccessKey"].(string),
		"AWS_SESSION_TOKEN=" + creds["SessionToken"].(string),
	}}
	users := member.ok("iam", "list-users", "--page-size", "2")["Users"].([]any)
	if len(users) != 3 {
		t.Fatalf("%d users in %s", len(users), members[0])
	}
	for _, v := range users {
		if u := v.(map[string]any); !strings.HasPrefix(u["Arn"].(string), "arn:aws:iam::"+members[0]+":user/") {
			t.Fatalf("user %v", u)
		}
	}
	for _, v := range member.ok("iam", "list-service-specific-credentials", "--all-users")["ServiceSpecificCredentials"].([]any) {
		c := v.(map[string]any)
		login, _ := c["ServiceUserName"].(string)
		if login == "" {
			login, _ = c["ServiceCredentialAlias"].(string)
		}
		if !strings.HasSuffix(login, "-at-"+members[0]) {
			t.Fatalf("credential %v", c)
		}
	}

	// A suspended account cannot be entered (boto3's test also tries a missing role).
	arn := "arn:aws:iam::" + suspended[0] + ":role/OrganizationAccountAccessRole"
	cli.fails("AccessDenied", "User: arn:aws:iam::123456789012:user/iamcreds-demo is not authorized to perform: sts:AssumeRole on resource: "+arn,
		"sts", "assume-role", "--role-arn", arn, "--role-session-name", "cli-conformance")
}

func TestConformanceOrgBoto3(t *testing.T) {
	t.Parallel() // each is a chain of Python starts: together they take the longest one\'s time
	runBoto3(t, "conformance_boto3_org.py", "org:5x3", "boto3 org conformance: OK")
}
