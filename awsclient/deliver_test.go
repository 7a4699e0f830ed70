package awsclient

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// deliveryTarget parses s or fails the test.
func deliveryTarget(t *testing.T, s string) model.Target {
	t.Helper()
	tg, err := model.ParseTarget(s)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// newSecret creates a CodeCommit credential for user through IAM.
func newSecret(t *testing.T, c *Client, user string) model.Secret {
	t.Helper()
	_, s, err := c.CreateCredential(context.Background(), user, model.CodeCommit, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// stages is the secret's versions by stage, as DescribeSecret lists them.
func stages(t *testing.T, c *Client, tg model.Target) map[string]string {
	t.Helper()
	out, err := c.secretsManager(tg).DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: aws.String(tg.Ref)})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]string{}
	for id, ss := range out.VersionIdsToStages {
		for _, s := range ss {
			by[s] = id
		}
	}
	return by
}

func TestDeliverSecretsManagerTwoRotations(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, localiam.Config{})
	createUsers(t, c, "ci-bot")
	missing := deliveryTarget(t, "secretsmanager:ci/git")
	if err := c.CheckTarget(ctx, missing); model.KindOf(err) != model.KindNotFound || !strings.Contains(err.Error(), "?create") {
		t.Fatalf("check of a missing secret without create: %v", err)
	}
	tg := deliveryTarget(t, "secretsmanager:ci/git?create")
	if err := c.CheckTarget(ctx, tg); err != nil {
		t.Fatalf("check with create: %v", err)
	}
	first, second := newSecret(t, c, "ci-bot"), newSecret(t, c, "ci-bot")
	r1, err := c.Deliver(ctx, tg, first)
	if err != nil || r1.Outcome != model.OutcomeDone || !r1.Verified || r1.Version == "" {
		t.Fatalf("first delivery (CreateSecret): %+v %v", r1, err)
	}
	if err := c.CheckTarget(ctx, missing); err != nil {
		t.Fatalf("check of the secret now there: %v", err)
	}
	r2, err := c.Deliver(ctx, tg, second)
	if err != nil || !r2.Verified || r2.Version == r1.Version {
		t.Fatalf("second delivery: %+v %v", r2, err)
	}
	if st := stages(t, c, tg); st["AWSCURRENT"] != r2.Version || st["AWSPREVIOUS"] != r1.Version {
		t.Fatalf("stages %v; want AWSCURRENT %s, AWSPREVIOUS %s", st, r2.Version, r1.Version)
	}
	got, err := c.secretsManager(tg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("ci/git")})
	if err != nil || aws.ToString(got.SecretString) != string(model.DeliveryDocument(second)) {
		t.Fatalf("AWSCURRENT holds %v", err)
	}
	for _, s := range []string{r1.Detail, r2.Detail} {
		if strings.Contains(s, first.Reveal()) || strings.Contains(s, second.Reveal()) {
			t.Fatal("a detail holds the secret")
		}
	}
	// The second credential deleted again: AWSCURRENT back on the first.
	said, err := c.WithdrawSecret(ctx, tg, r2.Version)
	if err != nil || !strings.Contains(said, r1.Version) {
		t.Fatalf("withdraw: %q %v", said, err)
	}
	if st := stages(t, c, tg); st["AWSCURRENT"] != r1.Version {
		t.Fatalf("after withdraw, stages %v", st)
	}
}

func TestDeliverSecretsManagerDenied(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, localiam.Config{})
	createUsers(t, c, "ci-bot")
	tg := deliveryTarget(t, "secretsmanager:ci/git?create")
	if r, err := c.Deliver(ctx, tg, newSecret(t, c, "ci-bot")); err != nil || !r.Verified {
		t.Fatalf("setup: %+v %v", r, err)
	}
	before := stages(t, c, tg)
	srv.SetFaults(localiam.Faults{Deny: []string{"secretsmanager:PutSecretValue"}})
	s := newSecret(t, c, "ci-bot")
	r, err := c.Deliver(ctx, tg, s)
	if model.KindOf(err) != model.KindAccessDenied || r.Outcome != model.OutcomeNotDone || r.Verified {
		t.Fatalf("denied put: %+v %v", r, err)
	}
	if !strings.Contains(err.Error(), "secretsmanager:PutSecretValue") || strings.Contains(err.Error(), s.Reveal()) {
		t.Fatalf("error %q", err)
	}
	if after := stages(t, c, tg); after["AWSCURRENT"] != before["AWSCURRENT"] {
		t.Fatalf("stages moved: %v -> %v", before, after)
	}
	srv.SetFaults(localiam.Faults{Deny: []string{"secretsmanager:GetSecretValue"}})
	r, err = c.Deliver(ctx, tg, s)
	if err == nil || r.Outcome != model.OutcomeDone || r.Verified {
		t.Fatalf("unreadable read-back: %+v %v; want done, not verified, an error", r, err)
	}
}

func TestDeliverSecretsManagerDeniedDescribe(t *testing.T) {
	c, _ := newTestClient(t, localiam.Config{Faults: localiam.Faults{Deny: []string{"secretsmanager:DescribeSecret"}}})
	err := c.CheckTarget(context.Background(), deliveryTarget(t, "secretsmanager:arn:aws:secretsmanager:us-west-2:111122223333:secret:ci/git-AbCdEf"))
	if model.KindOf(err) != model.KindAccessDenied || !strings.Contains(err.Error(), "resource policy") || !strings.Contains(err.Error(), "us-west-2") {
		t.Fatalf("denied describe of another account's secret: %v", err)
	}
}

func TestDeliverParameterStore(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, localiam.Config{})
	createUsers(t, c, "ci-bot")
	for _, form := range []string{"", "?form=secret"} {
		tg := deliveryTarget(t, "ssm:/ci/git"+form)
		if err := c.CheckTarget(ctx, tg); err != nil {
			t.Fatalf("%s: check: %v", tg, err)
		}
		s := newSecret(t, c, "ci-bot")
		r, err := c.Deliver(ctx, tg, s)
		if err != nil || r.Outcome != model.OutcomeDone || !r.Verified || r.Version == "" {
			t.Fatalf("%s: %+v %v", tg, r, err)
		}
		out, err := c.parameterStore(tg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/ci/git"), WithDecryption: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		if out.Parameter.Type != types.ParameterTypeSecureString || !bytes.Equal([]byte(aws.ToString(out.Parameter.Value)), model.DeliveryPayload(tg, s)) {
			t.Fatalf("%s: parameter %s holds something else", tg, out.Parameter.Type)
		}
		if err := c.Delete(ctx, "ci-bot", s.Credential.ID); err != nil { // room for the next
			t.Fatal(err)
		}
	}
}

func TestDeliverParameterStoreRefusals(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, localiam.Config{AccountID: "210987654321"})
	createUsers(t, c, "ci-bot")
	other := deliveryTarget(t, "ssm:arn:aws:ssm:us-east-1:111122223333:parameter/ci/git")
	if err := c.CheckTarget(ctx, other); model.KindOf(err) != model.KindInvalid || !strings.Contains(err.Error(), "own account") {
		t.Fatalf("another account's parameter: %v", err)
	}
	plain := deliveryTarget(t, "ssm:/ci/plain")
	if _, err := c.parameterStore(plain).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/ci/plain"), Value: aws.String("x"), Type: types.ParameterTypeString}); err != nil {
		t.Fatal(err)
	}
	if err := c.CheckTarget(ctx, plain); model.KindOf(err) != model.KindInvalid {
		t.Fatalf("a String parameter: %v", err)
	}
	srv.SetFaults(localiam.Faults{Deny: []string{"ssm:PutParameter"}})
	r, err := c.Deliver(ctx, deliveryTarget(t, "ssm:/ci/git"), newSecret(t, c, "ci-bot"))
	if model.KindOf(err) != model.KindAccessDenied || r.Outcome != model.OutcomeNotDone || !strings.Contains(err.Error(), "ssm:PutParameter") {
		t.Fatalf("denied put: %+v %v", r, err)
	}
}

func TestDeliverReadOnly(t *testing.T) {
	c, _ := newTestClient(t, localiam.Config{}, func(cfg *Config) { cfg.ReadOnly = true })
	s := model.NewSecret(model.Credential{ID: "ACCAEXAMPLE123EXAMPLE", UserName: "u", Service: model.CodeCommit}, "pw")
	for _, tg := range []string{"secretsmanager:x?create", "ssm:/x"} {
		r, err := c.Deliver(context.Background(), deliveryTarget(t, tg), s)
		if model.KindOf(err) != model.KindReadOnly || r.Outcome != model.OutcomeNotDone {
			t.Errorf("%s in read-only mode: %+v %v", tg, r, err)
		}
	}
}

func TestDeliverDebugLogHoldsNoSecret(t *testing.T) {
	var log bytes.Buffer
	c, _ := newTestClient(t, localiam.Config{}, func(cfg *Config) { cfg.DebugLog = &log })
	createUsers(t, c, "ci-bot")
	s := newSecret(t, c, "ci-bot")
	for _, tg := range []string{"secretsmanager:ci/git?create", "ssm:/ci/git", "ssm:/ci/git2?form=secret"} {
		if r, err := c.Deliver(context.Background(), deliveryTarget(t, tg), s); err != nil || !r.Verified {
			t.Fatalf("%s: %+v %v", tg, r, err)
		}
	}
	if !strings.Contains(log.String(), "PutSecretValue") && !strings.Contains(log.String(), "CreateSecret") {
		t.Fatal("the debug log shows no delivery: the test proves nothing")
	}
	if strings.Contains(log.String(), s.Reveal()) {
		t.Fatal("the debug log holds the delivered secret")
	}
}

// A put whose reply is lost is sent again with the same ClientRequestToken:
// one version, verified. Every reply lost: the version the token names shows
// it landed, so the delivery is done, not unknown.
func TestDeliverLostReplies(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, localiam.Config{})
	createUsers(t, c, "ci-bot")
	tg := deliveryTarget(t, "secretsmanager:ci/git?create")
	if r, err := c.Deliver(ctx, tg, newSecret(t, c, "ci-bot")); err != nil || !r.Verified {
		t.Fatalf("setup: %+v %v", r, err)
	}
	srv.SetFaults(localiam.Faults{DropReply: map[string]int{"PutSecretValue": 1}})
	r, err := c.Deliver(ctx, tg, newSecret(t, c, "ci-bot"))
	if err != nil || !r.Verified {
		t.Fatalf("one lost reply: %+v %v", r, err)
	}
	out, err := c.secretsManager(tg).ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("ci/git")})
	if err != nil || len(out.Versions) != 2 {
		t.Fatalf("versions after a retried put: %d %v; want 2", len(out.Versions), err)
	}
	for _, tc := range []struct {
		target, action string
	}{{"secretsmanager:ci/git", "PutSecretValue"}, {"ssm:/ci/git", "PutParameter"}} {
		srv.SetFaults(localiam.Faults{DropReply: map[string]int{tc.action: 0}}) // every reply lost
		s := model.NewSecret(model.Credential{ID: "ACCAEXAMPLE123EXAMPLE", UserName: "ci-bot", Service: model.CodeCommit}, "pw-"+tc.action)
		r, err := c.Deliver(ctx, deliveryTarget(t, tc.target), s)
		if err != nil || r.Outcome != model.OutcomeDone || !r.Verified {
			t.Errorf("%s, every reply lost: %+v %v; want done and verified by the read", tc.target, r, err)
		}
	}
}

// A target by ARN is reached in the ARN's region, whatever the profile's.
func TestDeliverByARNUsesItsRegion(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, localiam.Config{})
	createUsers(t, c, "ci-bot")
	eu := connectTest(t, aws.ToString(c.iam.Options().BaseEndpoint), func(cfg *Config) { cfg.Region = "eu-west-1" })
	byName := deliveryTarget(t, "secretsmanager:ci/git?create")
	if r, err := eu.Deliver(ctx, byName, newSecret(t, c, "ci-bot")); err != nil || !r.Verified {
		t.Fatalf("setup in eu-west-1: %+v %v", r, err)
	}
	desc, err := eu.secretsManager(byName).DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("ci/git")})
	if err != nil || !strings.Contains(aws.ToString(desc.ARN), ":eu-west-1:") {
		t.Fatalf("describe: %v %v", desc, err)
	}
	if err := c.CheckTarget(ctx, deliveryTarget(t, "secretsmanager:ci/git")); model.KindOf(err) != model.KindNotFound {
		t.Fatalf("by name from us-east-1, the eu-west-1 secret was found: %v", err)
	}
	byARN := deliveryTarget(t, "secretsmanager:"+aws.ToString(desc.ARN))
	if err := c.CheckTarget(ctx, byARN); err != nil {
		t.Fatalf("check by ARN from us-east-1: %v", err)
	}
	r, err := c.Deliver(ctx, byARN, newSecret(t, c, "ci-bot"))
	if err != nil || !r.Verified || !strings.Contains(r.Detail, "(eu-west-1)") {
		t.Fatalf("delivery by ARN: %+v %v", r, err)
	}
	if st := stages(t, eu, byName); st["AWSCURRENT"] != r.Version {
		t.Fatalf("eu-west-1 stages %v, want AWSCURRENT %s", st, r.Version)
	}
}
