package awsclient

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"iamcreds/model"
)

// checkParameter: the parameter can be read (GetParameter without
// decryption: its value stays encrypted and unread), or does not exist yet,
// which PutParameter creates. Whether PutParameter and the KMS key are allowed
// only the write tells.
func (c *Client) checkParameter(ctx context.Context, t model.Target) error {
	out, err := c.parameterStore(t).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(t.Name())}, retried().params)
	switch {
	case err != nil && apiCode(err) == codeParameterNotFound:
		return nil
	case err != nil:
		return c.storeError(err, "GetParameter", t)
	case out.Parameter != nil && out.Parameter.Type != types.ParameterTypeSecureString:
		return model.Errorf(model.KindInvalid, "parameter %s is a %s, not a SecureString: iamcreds writes a secret only as a SecureString (delete it, or pick another name)",
			model.SafeText(t.Name()), model.SafeText(string(out.Parameter.Type)))
	}
	return nil
}

// deliverParameter puts payload as the parameter's new version (SecureString,
// overwritten), then reads it back with decryption.
func (c *Client) deliverParameter(ctx context.Context, t model.Target, payload []byte) (model.DeliveryResult, error) {
	res := model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}
	ps := c.parameterStore(t)
	in := &ssm.PutParameterInput{
		Name: aws.String(t.Name()), Value: aws.String(string(payload)),
		Type: types.ParameterTypeSecureString, Overwrite: aws.Bool(true),
	}
	if t.KMSKey != "" {
		in.KeyId = aws.String(t.KMSKey)
	}
	out, err := ps.PutParameter(ctx, in, retried().params)
	if err != nil {
		mapped := c.storeError(err, "PutParameter", t)
		if isStoreRefusal(err) {
			return res, mapped
		}
		// The reply was lost: only our value at the top tells it landed.
		if rerr := c.readParameter(ctx, ps, t, 0, payload, &res); rerr != nil || !res.Verified {
			res.Outcome = model.OutcomeUnknown
			res.Detail = fmt.Sprintf("%s: the write's reply was lost and the parameter does not show it: check its history (aws ssm get-parameter-history)", t)
			return res, mapped
		}
		return res, nil
	}
	res.Outcome = model.OutcomeDone
	res.Version = strconv.FormatInt(out.Version, 10)
	if err := c.readParameter(ctx, ps, t, out.Version, payload, &res); err != nil {
		res.Detail = fmt.Sprintf("%s: version %d written but not read back", t, out.Version)
		return res, err
	}
	if !res.Verified {
		return res, model.Errorf(model.KindOther, "%s: %s", t, res.Detail)
	}
	return res, nil
}

// readParameter reads the parameter with decryption and records in res whether
// it holds payload (Verified) as version (0: any).
func (c *Client) readParameter(ctx context.Context, ps *ssm.Client, t model.Target, version int64, payload []byte, res *model.DeliveryResult) error {
	out, err := ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(t.Name()), WithDecryption: aws.Bool(true)}, retried().params)
	if err != nil {
		return c.storeError(err, "GetParameter", t)
	}
	if out.Parameter == nil {
		return model.Errorf(model.KindOther, "GetParameter on %s returned no parameter", t)
	}
	got := out.Parameter.Version
	res.Verified = model.SameDelivered(payload, []byte(aws.ToString(out.Parameter.Value)))
	switch {
	case res.Verified:
		res.Outcome, res.Version = model.OutcomeDone, strconv.FormatInt(got, 10)
		res.Detail = fmt.Sprintf("%s (%s): version %d, SecureString, read back and verified", t, c.storeRegion(t), got)
	case version != 0 && got != version:
		res.Detail = fmt.Sprintf("version %d was written, but version %d is there now: another writer meanwhile", version, got)
	default:
		res.Detail = fmt.Sprintf("version %d does not hold what was written", got)
	}
	return nil
}
