package awsclient

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"iamcreds/model"
)

// Every write is accounted for. Create and Reset are tried again only when IAM
// certainly did not act (it refused, e.g. Throttling; or the request never
// left); Update and Delete, which repeat harmlessly, as the SDK retries. When an
// attempt may have acted and no reply says how (lost, late, 5xx, incomplete),
// the user's credentials are listed again and the error says what happened:
// see outcome.go and model.KindSecretLost, KindResetUnconfirmed, KindUnconfirmed.

// CreateCredential creates a credential for user and service. ageDays > 0 sets an
// API key's lifetime; 0 leaves it without expiry (and is required for password
// services). The secret in the result is IAM's one and only copy.
//
// It lists the user's credentials first, so that a credential that appears
// while a reply is lost can be named: the error is then KindUnconfirmed with
// Appeared (no listing tells whose it is), KindSecretLost only when a reply
// named the credential but carried no secret, or says that IAM did not create it.
func (c *Client) CreateCredential(ctx context.Context, user, service string, ageDays int) (model.Credential, model.Secret, error) {
	t := target{op: "CreateServiceSpecificCredential", user: user, service: service}
	if err := c.refuseWrite(t.op, t); err != nil {
		return model.Credential{}, model.Secret{}, err
	}
	before, err := c.ListCredentials(ctx, user)
	listed := err == nil
	// Not allowed to list: create anyway, and judge a lost reply without it.
	if err != nil && !isRefusal(err) {
		return model.Credential{}, model.Secret{}, err // nothing was asked of IAM yet
	}
	in := &iam.CreateServiceSpecificCredentialInput{UserName: aws.String(user), ServiceName: aws.String(service)}
	if ageDays != 0 {
		in.CredentialAgeDays = aws.Int32(int32(ageDays))
	}
	call := &call{policy: retrySafe}
	out, err := c.iam.CreateServiceSpecificCredential(ctx, in, call.iam)
	var sc *types.ServiceSpecificCredential
	if out != nil {
		sc = out.ServiceSpecificCredential
	}
	return c.issued(call, sc, err, t, func(cause error, replied string) error {
		return c.createOutcome(ctx, t, call, before, listed, cause, replied)
	})
}

// SetStatus switches a credential to Active or Inactive.
func (c *Client) SetStatus(ctx context.Context, user, id string, status model.Status) error {
	t := target{op: "UpdateServiceSpecificCredential", user: user, id: id}
	if err := c.refuseWrite(t.op, t); err != nil {
		return err
	}
	call := &call{policy: retryAll}
	_, err := c.iam.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{
		UserName:                    aws.String(user),
		ServiceSpecificCredentialId: aws.String(id),
		Status:                      types.StatusType(status),
	}, call.iam)
	if err == nil {
		return nil
	}
	if !call.unknown {
		return c.mapError(err, t)
	}
	return c.updateOutcome(ctx, t, call, status, c.mapError(err, t))
}

// Reset replaces a credential's password or API-key secret. The id, the user name
// or alias and the status stay; the old secret stops working at once.
//
// A reset whose reply was lost is not repeated: the error is then
// KindResetUnconfirmed (the old secret may be dead; reset again).
func (c *Client) Reset(ctx context.Context, user, id string) (model.Credential, model.Secret, error) {
	t := target{op: "ResetServiceSpecificCredential", user: user, id: id}
	if err := c.refuseWrite(t.op, t); err != nil {
		return model.Credential{}, model.Secret{}, err
	}
	call := &call{policy: retrySafe}
	out, err := c.iam.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{
		UserName:                    aws.String(user),
		ServiceSpecificCredentialId: aws.String(id),
	}, call.iam)
	var sc *types.ServiceSpecificCredential
	if out != nil {
		sc = out.ServiceSpecificCredential
	}
	return c.issued(call, sc, err, t, func(cause error, _ string) error { return c.resetOutcome(ctx, t, call, cause) })
}

// Delete removes a credential for good.
func (c *Client) Delete(ctx context.Context, user, id string) error {
	t := target{op: "DeleteServiceSpecificCredential", user: user, id: id}
	if err := c.refuseWrite(t.op, t); err != nil {
		return err
	}
	call := &call{policy: retryAll}
	_, err := c.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{
		UserName:                    aws.String(user),
		ServiceSpecificCredentialId: aws.String(id),
	}, call.iam)
	if err == nil {
		return nil
	}
	if !call.unknown {
		return c.mapError(err, t)
	}
	// A retry after a lost reply finds the credential gone: "not found" is then
	// our own success, which the listing confirms.
	return c.deleteOutcome(ctx, t, call, c.mapError(err, t))
}

// issued turns the result of a Create or Reset into the credential and its
// secret, or the error: the call's own; or, when IAM may have acted without
// the reply saying so (lost, late, or without the credential ID, t.id for a
// Reset, or the secret), what judge makes of it. replied is the ID of a reply
// that named the credential but carried no secret: IAM says it acted on it.
func (c *Client) issued(call *call, sc *types.ServiceSpecificCredential, err error, t target, judge func(cause error, replied string) error) (model.Credential, model.Secret, error) {
	if err != nil {
		if !call.unknown {
			return model.Credential{}, model.Secret{}, c.mapError(err, t)
		}
		return model.Credential{}, model.Secret{}, judge(c.mapError(err, t), "")
	}
	cred, secret := fromCredential(sc)
	missing := ""
	switch {
	case cred.ID == "":
		missing = "has no credential ID"
	case t.id != "" && cred.ID != t.id:
		missing = "is about another credential"
	case secret.Empty():
		return model.Credential{}, model.Secret{}, judge(c.replyError(t, "has no secret"), cred.ID)
	default:
		return cred, secret, nil
	}
	return model.Credential{}, model.Secret{}, judge(c.replyError(t, missing), "")
}

func fromCredential(sc *types.ServiceSpecificCredential) (model.Credential, model.Secret) {
	if sc == nil {
		return model.Credential{}, model.Secret{}
	}
	cred := model.Credential{
		ID:              aws.ToString(sc.ServiceSpecificCredentialId),
		UserName:        aws.ToString(sc.UserName),
		Service:         aws.ToString(sc.ServiceName),
		Status:          model.Status(sc.Status),
		Created:         aws.ToTime(sc.CreateDate),
		Expires:         aws.ToTime(sc.ExpirationDate),
		ServiceUserName: aws.ToString(sc.ServiceUserName),
		Alias:           aws.ToString(sc.ServiceCredentialAlias),
	}
	value := aws.ToString(sc.ServicePassword)
	if value == "" {
		value = aws.ToString(sc.ServiceCredentialSecret)
	}
	return cred, model.NewSecret(cred, value)
}
