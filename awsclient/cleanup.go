package awsclient

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"iamcreds/model"
)

// CleanupStep runs one step of a user's cleanup (model.RemovalPlan,
// model.DeactivationPlan). Each of these calls may be repeated without harm,
// so the SDK retries them; a NoSuchEntity answer means the thing is gone
// already — removed by someone else, or by an attempt whose reply was lost —
// which is what the step wanted: gone is then true and err nil. DeleteUser
// refused with DeleteConflict (the user still holds something the plan did
// not know of) is returned as IAM said it.
func (c *Client) CleanupStep(ctx context.Context, s model.CleanupStep) (gone bool, err error) {
	t := target{op: string(s.Op), user: s.User}
	if s.Op == model.OpDeleteAccessKey || s.Op == model.OpDeactivateAccessKey || s.Op == model.OpDeleteCredential {
		t.id = s.Target
	}
	if err := c.refuseWrite(t.op, t); err != nil {
		return false, err
	}
	user := aws.String(s.User)
	opt := (&call{policy: retryAll}).iam
	switch s.Op {
	case model.OpDeleteLoginProfile:
		_, err = c.iam.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: user}, opt)
	case model.OpDeleteAccessKey:
		_, err = c.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: user, AccessKeyId: aws.String(s.Target)}, opt)
	case model.OpDeactivateAccessKey:
		_, err = c.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: user, AccessKeyId: aws.String(s.Target),
			Status: types.StatusTypeInactive}, opt)
	case model.OpDeleteCredential:
		_, err = c.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: user,
			ServiceSpecificCredentialId: aws.String(s.Target)}, opt)
	case model.OpDeleteUserPolicy:
		_, err = c.iam.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: user, PolicyName: aws.String(s.Target)}, opt)
	case model.OpDetachUserPolicy:
		_, err = c.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: user, PolicyArn: aws.String(s.Target)}, opt)
	case model.OpRemoveUserFromGroup:
		_, err = c.iam.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: user, GroupName: aws.String(s.Target)}, opt)
	case model.OpDeleteUser:
		_, err = c.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user}, opt)
	default:
		return false, fmt.Errorf("unknown cleanup step %q", s.Op)
	}
	if err == nil {
		return false, nil
	}
	err = c.mapError(err, t)
	if model.KindOf(err) == model.KindNotFound && s.Op != model.OpDeactivateAccessKey {
		return true, nil
	}
	return false, err
}
