package awsclient

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"

	"iamcreds/model"
)

// Delivery to AWS stores: a Secrets Manager secret or a Parameter Store
// parameter, in the profile's account and region or in those of the target's
// ARN. The stores are reached with the client's credentials and endpoint (the
// local endpoint serves both beside IAM).
//
// Neither store has a dry run. CheckTarget asks what can be asked without
// writing — the secret exists (DescribeSecret), or may be created; the
// parameter exists or not (GetParameter) — and so proves the target is
// reachable and readable, not that PutSecretValue, CreateSecret, PutParameter
// or the KMS key will be allowed: only the write itself tells that. So Deliver
// reads back what it wrote and compares it by hash, and the caller touches no
// old credential before that has succeeded.

// CheckTarget checks an AWS target before a credential is created or reset
// for it: it exists and can be described, or it may be created. It writes
// nothing.
func (c *Client) CheckTarget(ctx context.Context, t model.Target) error {
	if err := c.checkAccount(ctx, t); err != nil {
		return err
	}
	switch t.Kind {
	case model.TargetSecretsManager:
		return c.checkSecret(ctx, t)
	case model.TargetSSM:
		return c.checkParameter(ctx, t)
	}
	return model.Errorf(model.KindInvalid, "%s is not an AWS store", t)
}

// Deliver writes s to an AWS target and reads it back. The result's Outcome
// says whether the store holds it (unknown when a write's reply was lost and
// the read could not tell), Verified whether the read-back matched by hash.
// An error with Outcome done means the write landed but was not verified.
func (c *Client) Deliver(ctx context.Context, t model.Target, s model.Secret) (model.DeliveryResult, error) {
	res := model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}
	op := "PutSecretValue"
	if t.Kind == model.TargetSSM {
		op = "PutParameter"
	}
	if err := c.refuseWrite(op, target{}); err != nil {
		return res, err
	}
	if s.Empty() {
		return res, model.Errorf(model.KindInvalid, "nothing to deliver to %s: no secret", t)
	}
	switch t.Kind {
	case model.TargetSecretsManager:
		return c.deliverSecret(ctx, t, model.DeliveryPayload(t, s))
	case model.TargetSSM:
		return c.deliverParameter(ctx, t, model.DeliveryPayload(t, s))
	}
	return res, model.Errorf(model.KindInvalid, "%s is not an AWS store", t)
}

// checkAccount refuses a target in another account that cannot be reached
// there: a parameter (Parameter Store writes only in the caller's account).
// A secret may be, through its resource policy; its check says so if denied.
func (c *Client) checkAccount(ctx context.Context, t model.Target) error {
	if t.Kind != model.TargetSSM || t.Account() == "" {
		return nil
	}
	id, err := c.Identity(ctx)
	if err != nil {
		return err
	}
	if id.Account != t.Account() {
		return model.Errorf(model.KindInvalid, "%s is in account %s, not %s: Parameter Store writes only in the caller's own account",
			t, t.Account(), id.Account)
	}
	return nil
}

// storeRegion is the region of t: its ARN's, else the client's.
func (c *Client) storeRegion(t model.Target) string {
	if r := t.Region(); r != "" {
		return r
	}
	return c.region
}

// storeEndpoint is where the stores are called: --endpoint-url; else, when
// the SDK resolves none for the service (AWS_ENDPOINT_URL_<SERVICE>, the
// profile's services section), IAM's when it is not AWS's, as for STS.
func (c *Client) storeEndpoint(resolved *string) *string {
	switch {
	case c.cfg.EndpointURL != "":
		return aws.String(c.cfg.EndpointURL)
	case resolved == nil && c.endpoint != "":
		return aws.String(c.endpoint)
	}
	return resolved
}

func (c *Client) secretsManager(t model.Target) *secretsmanager.Client {
	return secretsmanager.NewFromConfig(c.awsCfg, func(o *secretsmanager.Options) {
		o.Region = c.storeRegion(t)
		o.BaseEndpoint = c.storeEndpoint(o.BaseEndpoint)
	})
}

func (c *Client) parameterStore(t model.Target) *ssm.Client {
	return ssm.NewFromConfig(c.awsCfg, func(o *ssm.Options) {
		o.Region = c.storeRegion(t)
		o.BaseEndpoint = c.storeEndpoint(o.BaseEndpoint)
	})
}

func (c *call) secrets(o *secretsmanager.Options) { c.install(&o.Retryer, &o.APIOptions) }

func (c *call) params(o *ssm.Options) { c.install(&o.Retryer, &o.APIOptions) }

// retried is a fresh call whose every failure the SDK may repeat: the stores'
// reads, and their writes, which repeat harmlessly (PutSecretValue and
// CreateSecret carry a request token; PutParameter overwrites the same value).
func retried() *call { return &call{policy: retryAll} }

// requestToken is a ClientRequestToken, 32-64 characters: a put repeated with
// it adds no second version.
func requestToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand never fails on supported systems
	return "iamcreds-" + hex.EncodeToString(b)
}

// Codes of the stores' errors.
const (
	codeResourceNotFound  = "ResourceNotFoundException"
	codeResourceExists    = "ResourceExistsException"
	codeParameterNotFound = "ParameterNotFound"
)

// apiCode is err's AWS error code, "" when it is not an API error.
func apiCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// storeError maps a store's error: mapError's transport and credential
// messages, and the store's own codes named for the store and the action.
func (c *Client) storeError(err error, op string, t model.Target) error {
	mapped := c.mapError(err, target{op: op})
	var me *model.Error
	var api smithy.APIError
	service, store := "secretsmanager", "Secrets Manager"
	if t.Kind == model.TargetSSM {
		service, store = "ssm", "Parameter Store"
	}
	if !errors.As(mapped, &me) {
		return mapped
	}
	if !errors.As(err, &api) { // mapError's words are IAM's: name the store
		me.Message = storeWording(me.Message, store)
		return me
	}
	code, msg := api.ErrorCode(), model.SafeText(api.ErrorMessage())
	where := fmt.Sprintf("%s (%s)", t, c.storeRegion(t))
	switch {
	case code == codeResourceNotFound || code == codeParameterNotFound:
		me.Kind, me.Message = model.KindNotFound, fmt.Sprintf("%s: not found in %s", op, where)
	case code == "AccessDeniedException" || code == "AccessDenied":
		me.Kind, me.Message = model.KindAccessDenied, fmt.Sprintf("access denied: your policy does not allow %s:%s on %s", service, op, where)
		if strings.Contains(strings.ToLower(msg), "kms") {
			me.Message += " (the KMS key's policy or kms: permissions: " + msg + ")"
		} else if t.Account() != "" {
			me.Message += "; a secret in another account is reachable only through its resource policy and a customer-managed KMS key"
		}
	case code == "EncryptionFailure" || code == "DecryptionFailure" || strings.HasPrefix(code, "KMS") || code == "InvalidKeyId":
		me.Kind, me.Message = model.KindAccessDenied, fmt.Sprintf("%s on %s: KMS refused (%s): %s", op, where, code, msg)
	case isThrottle(code):
		me.Kind, me.Message = model.KindThrottled, fmt.Sprintf("%s is throttling requests (%s); wait a moment and try again", service, code)
	case me.Kind == model.KindAuth:
	default:
		me.Kind, me.Message = model.KindOther, fmt.Sprintf("%s on %s failed: %s: %s", op, where, code, msg)
		if code == "InvalidRequestException" || code == "InvalidParameterException" || code == "ValidationException" {
			me.Kind = model.KindInvalid
		}
	}
	return me
}

// storeWording turns mapError's IAM wording of a failure below the API (a
// lost connection, a reply that does not parse) into the store's.
func storeWording(msg, store string) string {
	return strings.NewReplacer(
		"before IAM answered", "before "+store+" answered",
		"not valid IAM XML", "not valid "+store+" JSON",
		"not an IAM response", "not a "+store+" response",
		"any IAM, STS or Organizations reply", "any "+store+" reply",
	).Replace(msg)
}

// isStoreRefusal reports an error the store answered with a 4xx status: the
// write certainly did not happen. A lost reply or a 5xx may have.
func isStoreRefusal(err error) bool {
	var resp *awshttp.ResponseError
	return errors.As(err, &resp) && resp.HTTPStatusCode() >= 400 && resp.HTTPStatusCode() < 500 && apiCode(err) != ""
}
