package localiam_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"iamcreds/awsclient/localiam"
)

// sdkIAM is the unmodified Go SDK's IAM client against a fresh endpoint of seed.
func sdkIAM(t *testing.T, seed string) *iam.Client {
	t.Helper()
	srv, err := localiam.New(localiam.Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); _ = srv.Close() })
	return iam.New(iam.Options{
		BaseEndpoint:     aws.String(hs.URL),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "dummy", ""),
		HTTPClient:       hs.Client(),
		RetryMaxAttempts: 1,
	})
}

// wantAPIError checks the code, the HTTP status and the message (a regexp).
func wantAPIError(t *testing.T, err error, code string, status int, message string) {
	t.Helper()
	var api smithy.APIError
	var resp interface{ HTTPStatusCode() int }
	if !errors.As(err, &api) || !errors.As(err, &resp) {
		t.Fatalf("got %v, want %s", err, code)
	}
	if api.ErrorCode() != code || resp.HTTPStatusCode() != status || !regexp.MustCompile(message).MatchString(api.ErrorMessage()) {
		t.Fatalf("got %d %s %q, want %d %s %q", resp.HTTPStatusCode(), api.ErrorCode(), api.ErrorMessage(), status, code, message)
	}
}

func TestSDKUserItems(t *testing.T) {
	ctx := context.Background()
	c := sdkIAM(t, "demo")
	user := aws.String("sofia")

	// Access keys: created Active with a one-time secret, listed without it, two at most.
	var ids []string
	for range 2 {
		out, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: user})
		if err != nil {
			t.Fatal(err)
		}
		k := out.AccessKey
		if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(aws.ToString(k.AccessKeyId)) || len(aws.ToString(k.SecretAccessKey)) != 40 ||
			k.Status != types.StatusTypeActive || aws.ToString(k.UserName) != "sofia" || k.CreateDate == nil {
			t.Fatalf("access key %+v", k)
		}
		ids = append(ids, aws.ToString(k.AccessKeyId))
	}
	_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: user})
	wantAPIError(t, err, "LimitExceeded", 409, `^Cannot exceed quota for AccessKeysPerUser: 2$`)
	if _, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: user, AccessKeyId: &ids[0], Status: types.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	keys, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: user, MaxItems: aws.Int32(1)})
	if err != nil || len(keys.AccessKeyMetadata) != 1 || !keys.IsTruncated || keys.Marker == nil {
		t.Fatalf("first page %+v, %v", keys, err)
	}
	var listed []types.AccessKeyMetadata
	for p := iam.NewListAccessKeysPaginator(c, &iam.ListAccessKeysInput{UserName: user, MaxItems: aws.Int32(1)}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, page.AccessKeyMetadata...)
	}
	status := map[string]types.StatusType{}
	for _, k := range listed {
		status[aws.ToString(k.AccessKeyId)] = k.Status
	}
	if len(listed) != 2 || status[ids[0]] != types.StatusTypeInactive || status[ids[1]] != types.StatusTypeActive {
		t.Fatalf("listed %+v", listed)
	}
	_, err = c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("mateo"), AccessKeyId: &ids[0], Status: types.StatusTypeActive})
	wantAPIError(t, err, "NoSuchEntity", 404, `^The Access Key with id `+ids[0]+` cannot be found\.$`)
	_, err = c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("nobody")})
	wantAPIError(t, err, "NoSuchEntity", 404, `^The user with name nobody cannot be found\.$`)

	// Login profile.
	_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: user})
	wantAPIError(t, err, "NoSuchEntity", 404, `^Login Profile for User sofia cannot be found\.$`)
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: user, Password: aws.String("short")})
	wantAPIError(t, err, "PasswordPolicyViolation", 400, `minimum length of 8`)
	lp, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: user, Password: aws.String("correct horse battery"), PasswordResetRequired: true})
	if err != nil || aws.ToString(lp.LoginProfile.UserName) != "sofia" || !lp.LoginProfile.PasswordResetRequired || lp.LoginProfile.CreateDate == nil {
		t.Fatalf("CreateLoginProfile %+v, %v", lp, err)
	}
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: user, Password: aws.String("correct horse battery")})
	wantAPIError(t, err, "EntityAlreadyExists", 409, `sofia`)
	got, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: user})
	if err != nil || !got.LoginProfile.CreateDate.Equal(*lp.LoginProfile.CreateDate) {
		t.Fatalf("GetLoginProfile %+v, %v", got, err)
	}

	// Managed policies.
	admin := aws.String("arn:aws:iam::aws:policy/AdministratorAccess")
	for _, arn := range []string{"arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess", *admin, *admin} { // the second attach of one changes nothing
		if _, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: user, PolicyArn: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: user, PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
	wantAPIError(t, err, "NoSuchEntity", 404, `^Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable\.$`)
	attached, err := c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: user})
	if err != nil || len(attached.AttachedPolicies) != 2 || aws.ToString(attached.AttachedPolicies[0].PolicyName) != "AdministratorAccess" ||
		aws.ToString(attached.AttachedPolicies[1].PolicyArn) != "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess" {
		t.Fatalf("attached %+v, %v", attached, err)
	}

	// Inline policies.
	doc := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: user, PolicyName: aws.String("read-s3"), PolicyDocument: doc}); err != nil {
		t.Fatal(err)
	}
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: user, PolicyName: aws.String("bad"), PolicyDocument: aws.String("{not json")})
	wantAPIError(t, err, "MalformedPolicyDocument", 400, `^Syntax errors in policy\.$`)
	inline, err := c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: user})
	if err != nil || !slices.Equal(inline.PolicyNames, []string{"read-s3"}) {
		t.Fatalf("inline %+v, %v", inline, err)
	}

	// Groups: the demo seeds api-key-users and developers.
	if _, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: user, GroupName: aws.String("Developers")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: user, GroupName: aws.String("nogroup")})
	wantAPIError(t, err, "NoSuchEntity", 404, `^The group with name nogroup cannot be found\.$`)
	groups, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: user})
	if err != nil || len(groups.Groups) != 1 || aws.ToString(groups.Groups[0].Arn) != "arn:aws:iam::123456789012:group/engineering/developers" ||
		!regexp.MustCompile(`^AGPA[A-Z2-7]{17}$`).MatchString(aws.ToString(groups.Groups[0].GroupId)) {
		t.Fatalf("groups %+v, %v", groups, err)
	}

	// DeleteUser refuses while anything remains, naming the first thing in the
	// order of the DeleteUser reference; each removal moves it on.
	creds, err := c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: user})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		conflict string
		remove   func() error
	}{
		{"must delete login profile first.", func() error {
			_, err := c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: user})
			return err
		}},
		{"must delete access keys first.", func() error {
			for _, id := range ids {
				if _, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: user, AccessKeyId: aws.String(id)}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"must remove referenced objects first.", func() error {
			for _, cr := range creds.ServiceSpecificCredentials {
				if _, err := c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: user, ServiceSpecificCredentialId: cr.ServiceSpecificCredentialId}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"must delete policies first.", func() error {
			_, err := c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: user, PolicyName: aws.String("read-s3")})
			return err
		}},
		{"must detach all policies first.", func() error {
			for _, p := range attached.AttachedPolicies {
				if _, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: user, PolicyArn: p.PolicyArn}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"must remove users from group first.", func() error {
			_, err := c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: user, GroupName: aws.String("developers")})
			return err
		}},
	}
	for _, s := range steps {
		_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user})
		wantAPIError(t, err, "DeleteConflict", 409, `^Cannot delete entity, `+regexp.QuoteMeta(s.conflict)+`$`)
		if err := s.remove(); err != nil {
			t.Fatalf("removing after %q: %v", s.conflict, err)
		}
	}
	if _, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user}); err != nil {
		t.Fatal(err)
	}
	// What is gone is NoSuchEntity.
	_, err = c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("mateo")})
	wantAPIError(t, err, "NoSuchEntity", 404, `^Login Profile for User mateo cannot be found\.$`)
	_, err = c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("mateo"), PolicyArn: admin})
	wantAPIError(t, err, "NoSuchEntity", 404, `^Policy arn:aws:iam::aws:policy/AdministratorAccess was not found\.$`)
	_, err = c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("mateo"), PolicyName: aws.String("read-s3")})
	wantAPIError(t, err, "NoSuchEntity", 404, `^The user policy with name read-s3 cannot be found\.$`)
	_, err = c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String("mateo"), GroupName: aws.String("developers")})
	wantAPIError(t, err, "NoSuchEntity", 404, `mateo`)
}

// TestSDKXRayKey: X-Ray API keys are created, expire and list like the other API keys.
func TestSDKXRayKey(t *testing.T) {
	ctx := context.Background()
	c := sdkIAM(t, "empty")
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("tracer")}); err != nil {
		t.Fatal(err)
	}
	out, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{
		UserName: aws.String("tracer"), ServiceName: aws.String("xray.amazonaws.com"), CredentialAgeDays: aws.Int32(7)})
	if err != nil {
		t.Fatal(err)
	}
	k := out.ServiceSpecificCredential
	if aws.ToString(k.ServiceCredentialAlias) != "tracer-at-123456789012" || aws.ToString(k.ServiceCredentialSecret) == "" ||
		k.ServicePassword != nil || k.ExpirationDate.Sub(*k.CreateDate) != 7*24*time.Hour {
		t.Fatalf("X-Ray key %+v", k)
	}
	all, err := c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true), ServiceName: aws.String("xray.amazonaws.com")})
	if err != nil || len(all.ServiceSpecificCredentials) != 1 {
		t.Fatalf("AllUsers xray: %+v, %v", all, err)
	}
}
