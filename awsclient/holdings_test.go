package awsclient

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// The demo seed's console-made users, read through the real SDK: what each
// holds comes back in the order asked, a user without a console password has
// none (GetLoginProfile's NoSuchEntity), and a user deleted meanwhile is Gone.
func TestHoldingsDemo(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, localiam.Config{Seed: "demo"}, func(cfg *Config) { cfg.Concurrency = 2 })
	if _, err := c.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
		UserName: aws.String("BedrockAPIKey-4f7q"), Password: aws.String("Very-long-password-1"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
		UserName: aws.String("BedrockAPIKey-4f7q"), PolicyName: aws.String("extra"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
	}); err != nil {
		t.Fatal(err)
	}
	users := []string{"BedrockAPIKey-r8tn", "BedrockAPIKey-k2wd", "no-such-user", "BedrockAPIKey-4f7q"}
	got, err := c.Holdings(ctx, users)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(users) {
		t.Fatalf("%d holdings for %d users", len(got), len(users))
	}
	for i, h := range got {
		if h.User != users[i] {
			t.Fatalf("holdings %d is of %q, want %q", i, h.User, users[i])
		}
	}
	policies := func(h model.Holdings) []string {
		var out []string
		for _, p := range h.Attached {
			out = append(out, p.Name)
		}
		slices.Sort(out)
		return out
	}
	risk := got[0]
	if len(risk.AccessKeys) != 1 || risk.AccessKeys[0].Status != model.Active || risk.AccessKeys[0].ID == "" || risk.LoginProfile ||
		!slices.Equal(policies(risk), []string{"AdministratorAccess", "AmazonBedrockLimitedAccess"}) || risk.Gone {
		t.Errorf("at-risk user: %+v", risk)
	}
	orphan := got[1]
	if len(orphan.AccessKeys) != 0 || orphan.LoginProfile || !slices.Equal(orphan.Groups, []string{"api-key-users"}) ||
		!slices.Equal(policies(orphan), []string{"AmazonBedrockLimitedAccess"}) {
		t.Errorf("orphaned user: %+v", orphan)
	}
	if !got[2].Gone {
		t.Errorf("a user that does not exist: %+v", got[2])
	}
	if h := got[3]; !h.LoginProfile || h.LoginCreated.IsZero() || !slices.Equal(h.Inline, []string{"extra"}) {
		t.Errorf("user with a console password and an inline policy: %+v", h)
	}
}

// A failure other than NoSuchEntity fails the read, with the operation named.
func TestHoldingsDenied(t *testing.T) {
	c, _ := newTestClient(t, localiam.Config{Seed: "demo", Faults: localiam.Faults{
		Deny: []string{"ListGroupsForUser"},
	}})
	_, err := c.Holdings(context.Background(), []string{"BedrockAPIKey-k2wd"})
	if model.KindOf(err) != model.KindAccessDenied {
		t.Fatalf("err = %v (%v), want access denied", err, model.KindOf(err))
	}
}
