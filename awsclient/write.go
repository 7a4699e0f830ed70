package awsclient

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"iamcreds/model"
)

// CreateCredential creates a credential for user and service. ageDays > 0 sets an
// API key's lifetime; 0 leaves it without expiry (and is required for password
// services). The secret in the result is IAM's one and only copy.
func (c *Client) CreateCredential(ctx context.Context, user, service string, ageDays int) (model.Credential, model.Secret, error) {
	t := target{op: "CreateServiceSpecificCredential", user: user, service: service}
	if err := c.refuseWrite(t.op, t); err != nil {
		return model.Credential{}, model.Secret{}, err
	}
	in := &iam.CreateServiceSpecificCredentialInput{UserName: aws.String(user), ServiceName: aws.String(service)}
	if ageDays != 0 {
		in.CredentialAgeDays = aws.Int32(int32(ageDays))
	}
	out, err := c.iam.CreateServiceSpecificCredential(ctx, in)
	if err != nil {
		return model.Credential{}, model.Secret{}, c.mapError(err, t)
	}
	cred, secret := fromCredential(out.ServiceSpecificCredential)
	return cred, secret, nil
}

// SetStatus switches a credential to Active or Inactive.
func (c *Client) SetStatus(ctx context.Context, user, id string, status model.Status) error {
	t := target{op: "UpdateServiceSpecificCredential", user: user, id: id}
	if err := c.refuseWrite(t.op, t); err != nil {
		return err
	}
	_, err := c.iam.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{
		UserName:                    aws.String(user),
		ServiceSpecificCredentialId: aws.String(id),
		Status:                      types.StatusType(status),
	})
	return c.mapError(err, t)
}

// Reset replaces a credential's password or API-key secret. The id, the user name
// or alias and the status stay; the old secret stops working at once.
func (c *Client) Reset(ctx context.Context, user, id string) (model.Credential, model.Secret, error) {
	t := target{op: "ResetServiceSpecificCredential", user: user, id: id}
	if err := c.refuseWrite(t.op, t); err != nil {
		return model.Credential{}, model.Secret{}, err
	}
	out, err := c.iam.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{
		UserName:                    aws.String(user),
		ServiceSpecificCredentialId: aws.String(id),
	})
	if err != nil {
		return model.Credential{}, model.Secret{}, c.mapError(err, t)
	}
	cred, secret := fromCredential(out.ServiceSpecificCredential)
	return cred, secret, nil
}

// Delete removes a credential for good.
func (c *Client) Delete(ctx context.Context, user, id string) error {
	t := target{op: "DeleteServiceSpecificCredential", user: user, id: id}
	if err := c.refuseWrite(t.op, t); err != nil {
		return err
	}
	_, err := c.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{
		UserName:                    aws.String(user),
		ServiceSpecificCredentialId: aws.String(id),
	})
	return c.mapError(err, t)
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
