package awsclient

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"iamcreds/model"
)

// Secrets Manager staging labels: PutSecretValue moves AWSCURRENT to the new
// version and AWSPREVIOUS to the one that held AWSCURRENT, so after a rotation
// the new credential is AWSCURRENT and the old one (Active until it is
// deactivated) AWSPREVIOUS.
const (
	stageCurrent  = "AWSCURRENT"
	stagePrevious = "AWSPREVIOUS"
)

// checkSecret: the secret exists and is not scheduled for deletion, or it is
// missing and the target allows CreateSecret.
func (c *Client) checkSecret(ctx context.Context, t model.Target) error {
	out, err := c.secretsManager(t).DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(t.Ref)}, retried().secrets)
	switch {
	case err != nil && apiCode(err) == codeResourceNotFound && t.CreateSecret:
		if t.Account() != "" {
			return model.Errorf(model.KindNotFound, "%s does not exist, and CreateSecret cannot create a secret by ARN: give its name", t)
		}
		return nil
	case err != nil && apiCode(err) == codeResourceNotFound:
		return model.Errorf(model.KindNotFound, "secret %s does not exist in %s: create it, or add ?create to the target (secretsmanager:%s?create)",
			model.SafeText(t.Ref), c.storeRegion(t), model.SafeText(t.Ref))
	case err != nil:
		return c.storeError(err, "DescribeSecret", t)
	case out.DeletedDate != nil:
		return model.Errorf(model.KindInvalid, "secret %s is scheduled for deletion: restore it first (aws secretsmanager restore-secret)", t)
	}
	return nil
}

// deliverSecret puts payload as a new version of the secret (CreateSecret when
// it is missing and allowed), then reads that version back.
func (c *Client) deliverSecret(ctx context.Context, t model.Target, payload []byte) (model.DeliveryResult, error) {
	res := model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}
	sm := c.secretsManager(t)
	token := requestToken()
	op := "PutSecretValue"
	_, err := sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(t.Ref), SecretString: aws.String(string(payload)), ClientRequestToken: aws.String(token),
	}, retried().secrets)
	if err != nil && apiCode(err) == codeResourceNotFound && t.CreateSecret && t.Account() == "" {
		op = "CreateSecret"
		in := &secretsmanager.CreateSecretInput{
			Name: aws.String(t.Ref), SecretString: aws.String(string(payload)), ClientRequestToken: aws.String(token),
			Description: aws.String("a service-specific credential, delivered by iamcreds"),
		}
		if t.KMSKey != "" {
			in.KmsKeyId = aws.String(t.KMSKey)
		}
		_, err = sm.CreateSecret(ctx, in, retried().secrets)
		if err != nil && apiCode(err) == codeResourceExists { // made meanwhile: put into it
			op = "PutSecretValue"
			_, err = sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
				SecretId: aws.String(t.Ref), SecretString: aws.String(string(payload)), ClientRequestToken: aws.String(token),
			}, retried().secrets)
		}
	}
	res.Version = token // a version's id is the token that made it
	if err != nil {
		mapped := c.storeError(err, op, t)
		if isStoreRefusal(err) {
			return res, mapped
		}
		// The reply was lost: the version the token names tells whether it landed.
		if verr := c.readSecretVersion(ctx, sm, t, token, payload, &res); verr != nil {
			res.Outcome = model.OutcomeUnknown
			res.Detail = fmt.Sprintf("%s: the write's reply was lost and its version %s could not be read: check the secret's versions", t, token)
			return res, mapped
		}
		if res.Outcome == model.OutcomeDone && res.Verified {
			return res, nil
		}
		return res, mapped
	}
	res.Outcome = model.OutcomeDone
	if err := c.readSecretVersion(ctx, sm, t, token, payload, &res); err != nil {
		res.Detail = fmt.Sprintf("%s: version %s written but not read back", t, token)
		return res, err
	}
	if !res.Verified {
		return res, model.Errorf(model.KindOther, "%s: version %s read back differs from what was written", t, token)
	}
	return res, nil
}

// readSecretVersion reads version id of the secret and records in res whether
// it is there (done), holds payload (Verified) and carries AWSCURRENT. A
// version that does not exist is not done; an error is a read that failed.
func (c *Client) readSecretVersion(ctx context.Context, sm *secretsmanager.Client, t model.Target, id string, payload []byte, res *model.DeliveryResult) error {
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(t.Ref), VersionId: aws.String(id)}, retried().secrets)
	if err != nil && apiCode(err) == codeResourceNotFound {
		res.Outcome = model.OutcomeNotDone
		return nil
	}
	if err != nil {
		return c.storeError(err, "GetSecretValue", t)
	}
	res.Outcome = model.OutcomeDone
	res.Verified = model.SameDelivered(payload, []byte(aws.ToString(out.SecretString)))
	current := slices.Contains(out.VersionStages, stageCurrent)
	switch {
	case res.Verified && current:
		res.Detail = fmt.Sprintf("%s (%s): version %s is %s, read back and verified", t, c.storeRegion(t), id, stageCurrent)
	case res.Verified:
		res.Verified = false
		res.Detail = fmt.Sprintf("%s (%s): version %s holds the secret but is not %s: another version was put meanwhile", t, c.storeRegion(t), id, stageCurrent)
	default:
		res.Detail = fmt.Sprintf("%s (%s): version %s does not hold what was written", t, c.storeRegion(t), id)
	}
	return nil
}

// WithdrawSecret undoes a delivery to Secrets Manager whose credential is
// being deleted again: AWSCURRENT goes back to the version that held it before
// (now AWSPREVIOUS), so readers get the old, still working credential. It
// needs secretsmanager:DescribeSecret and UpdateSecretVersionStage. The
// withdrawn version stays, as AWSPREVIOUS. A secret that had no version before
// (made by this delivery) is left as it is: said in the returned text.
func (c *Client) WithdrawSecret(ctx context.Context, t model.Target, version string) (string, error) {
	if err := c.refuseWrite("UpdateSecretVersionStage", target{}); err != nil {
		return "", err
	}
	sm := c.secretsManager(t)
	out, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(t.Ref)}, retried().secrets)
	if err != nil {
		return "", c.storeError(err, "DescribeSecret", t)
	}
	var previous string
	for id, stages := range out.VersionIdsToStages {
		if slices.Contains(stages, stagePrevious) && id != version {
			previous = id
		}
	}
	if !slices.Contains(out.VersionIdsToStages[version], stageCurrent) {
		return fmt.Sprintf("%s: version %s is not %s: nothing to withdraw", t, version, stageCurrent), nil
	}
	if previous == "" {
		return fmt.Sprintf("%s had no earlier version: it still holds the deleted credential's secret (version %s)", t, version), nil
	}
	_, err = sm.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: aws.String(t.Ref), VersionStage: aws.String(stageCurrent),
		MoveToVersionId: aws.String(previous), RemoveFromVersionId: aws.String(version),
	}, retried().secrets)
	if err != nil {
		return "", c.storeError(err, "UpdateSecretVersionStage", t)
	}
	return fmt.Sprintf("%s: %s moved back to version %s", t, stageCurrent, previous), nil
}
