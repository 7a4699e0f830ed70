package localiam_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"iamcreds/awsclient/localiam"
)

// A secret scheduled for deletion refuses its values and its name until it is
// restored or its time comes; forced, it is gone at once.
func TestSDKSecretsManagerDelete(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	var clock atomic.Pointer[time.Time] // the handler reads it in its own goroutine
	clock.Store(&now)
	_, hs := storeEndpoint(t, localiam.Config{Seed: "demo", Now: func() time.Time { return *clock.Load() }})
	sm, _ := storeClients(hs, "AKIAIOSFODNN7EXAMPLE", "us-east-1")
	id := aws.String(localiam.DemoSecretName)

	_, err := sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: id, RecoveryWindowInDays: aws.Int64(3)})
	wantAPIError(t, err, "InvalidParameterException", 400, `^The RecoveryWindowInDays value must be between 7 and 30 days \(inclusive\)\.$`)
	_, err = sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: id, RecoveryWindowInDays: aws.Int64(7), ForceDeleteWithoutRecovery: aws.Bool(true)})
	wantAPIError(t, err, "InvalidParameterException", 400, `in conjunction with RecoveryWindowInDays`)
	del, err := sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: id, RecoveryWindowInDays: aws.Int64(7)})
	if err != nil || !aws.ToTime(del.DeletionDate).Equal(now.AddDate(0, 0, 7)) || aws.ToString(del.Name) != localiam.DemoSecretName {
		t.Fatalf("delete %+v, %v", del, err)
	}
	desc, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: id})
	if err != nil || !aws.ToTime(desc.DeletedDate).Equal(now.AddDate(0, 0, 7)) {
		t.Fatalf("describe %+v, %v", desc, err)
	}
	marked := `^You can't perform this operation on the secret because it was marked for deletion\.$`
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: id})
	wantAPIError(t, err, "InvalidRequestException", 400, marked)
	_, err = sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: del.ARN, SecretString: aws.String("x")})
	wantAPIError(t, err, "InvalidRequestException", 400, marked)
	_, err = sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: id, SecretString: aws.String("x")})
	wantAPIError(t, err, "InvalidRequestException", 400, `^You can't create this secret because a secret with this name is already scheduled for deletion\.$`)

	if _, err := sm.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: id}); err != nil {
		t.Fatal(err)
	}

	// Once the window has passed, the secret is gone, and its name free.
	if _, err := sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: id, RecoveryWindowInDays: aws.Int64(7)}); err != nil {
		t.Fatal(err)
	}
	later := now.AddDate(0, 0, 7)
	clock.Store(&later)
	_, err = sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: id})
	wantAPIError(t, err, "ResourceNotFoundException", 400, `^Secrets Manager can't find the specified secret\.$`)
	if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: id}); err != nil {
		t.Fatal(err)
	}
	// Forced, at once.
	if _, err := sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: id, ForceDeleteWithoutRecovery: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	_, err = sm.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: id})
	wantAPIError(t, err, "ResourceNotFoundException", 400, `.`)
}
