package awsclient

import (
	"context"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// DeleteUser before the user is empty is IAM's DeleteConflict; a step on
// something already gone is done (gone); read-only refuses before sending.
func TestCleanupStep(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, localiam.Config{Seed: "demo"})
	const u = "BedrockAPIKey-k2wd"
	_, err := c.CleanupStep(ctx, model.CleanupStep{User: u, Op: model.OpDeleteUser, Target: u})
	if err == nil || !strings.Contains(err.Error(), "DeleteConflict") {
		t.Fatalf("DeleteUser of a user with a policy: %v", err)
	}
	h, err := c.UserHoldings(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range model.RemovalPlan(model.JudgeUser(model.User{Name: u}, h, nil, time.Now())) {
		if gone, err := c.CleanupStep(ctx, s); err != nil || gone {
			t.Fatalf("%s: gone %v, %v", s.What, gone, err)
		}
	}
	gone, err := c.CleanupStep(ctx, model.CleanupStep{User: u, Op: model.OpRemoveUserFromGroup, Target: "api-key-users"})
	if err != nil || !gone {
		t.Fatalf("a step on a user already deleted: gone %v, %v", gone, err)
	}

	ro, _ := newTestClient(t, localiam.Config{Seed: "demo"}, func(cfg *Config) { cfg.ReadOnly = true })
	if _, err := ro.CleanupStep(ctx, model.CleanupStep{User: u, Op: model.OpDeleteUser, Target: u}); model.KindOf(err) != model.KindReadOnly {
		t.Fatalf("read-only: %v", err)
	}
}
