package awsclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"

	"iamcreds/model"
)

// target is what a call was about, so that an error can name it.
type target struct {
	op       string
	user     string
	service  string
	id       string
	allUsers bool
	once     bool // one attempt per request (a listing that judges a timed-out write)
}

func (t target) credential() string {
	s := "credential " + t.id
	if t.user != "" {
		s += " of " + t.user
	}
	return s
}

func (t target) serviceLabel() string { return model.LookupService(t.service).Display }

// Codes IAM and STS use for a caller whose credentials are bad or stale.
var authCodes = map[string]bool{
	"ExpiredToken": true, "ExpiredTokenException": true, "InvalidClientTokenId": true,
	"SignatureDoesNotMatch": true, "UnrecognizedClientException": true, "InvalidAccessKeyId": true,
	"IncompleteSignature": true, "MissingAuthenticationToken": true, "AuthFailure": true,
}

// mapError turns an SDK error into a *model.Error that names what failed and what
// to do; the AWS code and request id are kept for the details view. SDK errors
// never carry request parameters, so no secret can reach the message.
func (c *Client) mapError(err error, t target) error {
	if err == nil {
		return nil
	}
	e := &model.Error{Op: t.op, User: t.user, Service: t.service, ID: t.id, Err: err}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		e.RequestID = respErr.ServiceRequestID()
	}
	var (
		api    smithy.APIError
		bad    *badReply
		decode *smithy.DeserializationError
		large  *replyTooLarge
	)
	switch {
	case errors.Is(err, context.Canceled):
		e.Kind, e.Message = model.KindCanceled, t.op+" canceled"
	case errors.As(err, &large):
		e.Kind, e.Message = model.KindOther, fmt.Sprintf("the reply to %s from %s is larger than %d MiB, more than any IAM, STS "+
			"or Organizations reply can be: not read further", t.op, c.endpointLabel(), MaxReplySize>>20)
	case errors.As(err, &bad):
		e.Kind, e.Message = model.KindOther, c.replyError(t, bad.what).Error()
	case isForeignError(err, respErr):
		e.Kind, e.Message = model.KindOther, fmt.Sprintf("HTTP %d from %s: not an IAM response", respErr.HTTPStatusCode(), c.calledLabel(err))
	case errors.As(err, &api):
		e.Code = api.ErrorCode()
		c.fromAPIError(e, api, t, afterAttempts(err))
	case errors.As(err, &decode):
		e.Kind, e.Message = model.KindOther, fmt.Sprintf("the reply to %s from %s is not valid IAM XML (%s)", t.op, c.endpointLabel(), rootCause(err))
	case c.isCredentialsError(err):
		e.Kind, e.Message = model.KindAuth, c.authHint("no usable AWS credentials", err)
	case isUnreachable(err):
		e.Kind, e.Message = model.KindUnreachable, c.transportMessage(err)
	default:
		e.Kind, e.Message = model.KindOther, fmt.Sprintf("%s failed: %s", t.op, rootCause(err))
	}
	return e
}

// replyError is a reply that parsed but cannot be from IAM (what says why).
func (c *Client) replyError(t target, what string) error {
	return &model.Error{Kind: model.KindOther, Op: t.op, User: t.user, Service: t.service, ID: t.id,
		Message: fmt.Sprintf("the reply to %s from %s %s: not an IAM response", t.op, c.endpointLabel(), what)}
}

// isForeignError reports an HTTP error whose body is not an IAM ErrorResponse
// (an HTML page from a proxy, an empty 502): the SDK can only call it
// "UnknownError".
func isForeignError(err error, resp *awshttp.ResponseError) bool {
	var generic *smithy.GenericAPIError
	return resp != nil && resp.HTTPStatusCode() >= 300 && errors.As(err, &generic) &&
		generic.Code == "UnknownError" && (generic.Message == "" || generic.Message == "UnknownError")
}

// transportMessage says how a call failed below HTTP: never connected, timed
// out, or lost the connection after sending.
func (c *Client) transportMessage(err error) string {
	where := c.calledLabel(err)
	var op *net.OpError
	connecting := errors.As(err, &op) && op.Op == "dial" || strings.Contains(err.Error(), "TLS handshake timeout")
	switch {
	case connecting && isTimeout(err):
		return fmt.Sprintf("cannot reach %s: no connection within %s", where, c.cfg.ConnectTimeout)
	case neverSent(err):
		return fmt.Sprintf("cannot reach %s: %s", where, rootCause(err))
	case isTimeout(err):
		return fmt.Sprintf("%s did not answer within %s", where, c.cfg.ReplyTimeout)
	}
	return fmt.Sprintf("the connection to %s was lost before IAM answered (%s)", where, rootCause(err))
}

// afterAttempts is " after N attempts" when the SDK gave up after retrying.
func afterAttempts(err error) string {
	var max *retry.MaxAttemptsError
	if errors.As(err, &max) && max.Attempt > 1 {
		return fmt.Sprintf(" after %d attempts", max.Attempt)
	}
	return ""
}

func (c *Client) fromAPIError(e *model.Error, api smithy.APIError, t target, attempts string) {
	code, msg := api.ErrorCode(), api.ErrorMessage()
	switch {
	case code == "NoSuchEntity":
		e.Kind = model.KindNotFound
		switch {
		case strings.HasPrefix(msg, "No such service"):
			e.Message = fmt.Sprintf("service %s does not support service-specific credentials", t.service)
		case strings.HasPrefix(msg, "No such credential"):
			e.Message = t.credential() + " not found (deleted elsewhere?)"
		case t.user != "":
			e.Message = fmt.Sprintf("IAM user %s not found", t.user)
		default:
			e.Message = "not found: " + msg
		}
	case code == "NotSupportedService":
		e.Kind, e.Message = model.KindNotFound, fmt.Sprintf("service %s does not support service-specific credentials", t.service)
	case code == "LimitExceeded" && t.op == "CreateServiceSpecificCredential":
		le := model.LimitError(t.user, t.service)
		e.Kind, e.Message = le.Kind, le.Message
	case code == "AccessDenied" || code == "AccessDeniedException" || code == "UnauthorizedOperation":
		e.Kind = model.KindAccessDenied
		e.Message = "access denied: your policy does not allow iam:" + t.op
		if t.user != "" {
			e.Message += " on user " + t.user
		}
		if t.allUsers {
			e.Message += " with AllUsers"
		}
	case isThrottle(code):
		e.Kind = model.KindThrottled
		e.Message = fmt.Sprintf("IAM is throttling requests (%s)%s; wait a moment and try again", code, attempts)
	case authCodes[code]:
		e.Kind, e.Message = model.KindAuth, c.authHint("AWS rejected your credentials ("+code+")", nil)
	case code == "ValidationError" || code == "InvalidInput" || code == "InvalidParameterValue" || code == "MalformedInput":
		e.Kind, e.Message = model.KindInvalid, "IAM refused the request: "+msg
	case code == "ServiceFailure" || code == "InternalFailure" || code == "ServiceUnavailable":
		e.Kind, e.Message = model.KindOther, fmt.Sprintf("IAM failed (%s)%s; try again", code, attempts)
	default:
		e.Kind, e.Message = model.KindOther, fmt.Sprintf("%s failed: %s: %s", t.op, code, msg)
	}
}

// authHint names the fix for missing or stale credentials, with what is known
// of the cause: what the profile's credential_process said, when its SSO
// session expired.
func (c *Client) authHint(what string, cause error) string {
	if said, ok := processFailure(cause); ok {
		return fmt.Sprintf("%s for profile %s: %s", what, c.profile, said)
	}
	switch {
	case c.sso:
		return fmt.Sprintf("%s: %s; run: aws sso login --profile %s", what, c.ssoState(cause), c.profile)
	case c.profile != "":
		return fmt.Sprintf("%s for profile %s: check ~/.aws/credentials or the profile's role and MFA settings", what, c.profile)
	}
	return what + ": set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run aws configure"
}

// ssoState says what the SSO token cache holds for the profile's session.
func (c *Client) ssoState(cause error) string {
	expires, ok := ssoExpiry(c.ssoKey)
	switch {
	case !ok:
		return "no SSO login is cached for profile " + c.profile
	case !expires.After(time.Now()):
		return "the SSO session of profile " + c.profile + " expired at " + expires.UTC().Format("2006-01-02 15:04 UTC")
	case cause != nil:
		return fmt.Sprintf("the SSO session of profile %s (valid until %s) gave no credentials (%s)",
			c.profile, expires.UTC().Format("2006-01-02 15:04 UTC"), rootCause(cause))
	}
	return "the SSO session of profile " + c.profile + " may have been revoked"
}

func (c *Client) isCredentialsError(err error) bool {
	var tokenErr *ssocreds.InvalidTokenError
	if errors.As(err, &tokenErr) {
		return true
	}
	// The SDK wraps every provider failure in this phrase (smithy-go auth middleware).
	s := err.Error()
	return strings.Contains(s, "failed to retrieve credentials") || strings.Contains(s, "get credentials") ||
		strings.Contains(s, "failed to refresh cached credentials")
}

// calledLabel names the endpoint a failed call went to, from the request's
// URL in err: STS may be elsewhere than IAM (AWS_ENDPOINT_URL_STS, or AWS's
// own STS beside a local IAM), and an error naming IAM's host for an STS
// call sends the person to look at the wrong place.
func (c *Client) calledLabel(err error) string {
	var called *url.URL
	var ue *url.Error
	var resp *awshttp.ResponseError
	switch {
	case errors.As(err, &ue):
		called, _ = url.Parse(ue.URL)
	case errors.As(err, &resp) && resp.Response != nil && resp.Response.Request != nil:
		called = resp.Response.Request.URL
	}
	if called == nil || called.Host == "" {
		return c.endpointLabel()
	}
	iam, _ := url.Parse(c.endpoint)
	switch {
	case c.endpoint == "" && called.Host == "iam.amazonaws.com",
		iam != nil && iam.Host == called.Host && iam.Scheme == called.Scheme:
		return c.endpointLabel()
	}
	return called.Scheme + "://" + called.Host
}

func (c *Client) endpointLabel() string {
	if c.endpoint != "" {
		return c.endpoint
	}
	return "IAM (iam.amazonaws.com)"
}

func isUnreachable(err error) bool {
	var netErr net.Error
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return errors.As(err, &opErr) || errors.As(err, &dnsErr) || errors.As(err, &netErr) ||
		errors.Is(err, context.DeadlineExceeded)
}

// rootCause is the innermost message, without the SDK's operation prefixes.
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// configError explains a configuration that could not be loaded, naming the fix
// for the usual profile mistakes (MFA role, missing source_profile or sso-session).
func configError(err error, profile string) error {
	e := &model.Error{Kind: model.KindAuth, Err: err}
	var (
		missing   config.SharedConfigProfileNotExistError
		role      config.SharedConfigAssumeRoleError
		mfa       config.AssumeRoleTokenProviderNotSetError
		ssoPrefix = "failed to find SSO session section, "
	)
	switch {
	case errors.As(err, &mfa):
		e.Message = fmt.Sprintf("profile %q needs an MFA code (mfa_serial); iamcreds cannot prompt for it — "+
			"use aws sts get-session-token / a credential_process, or a profile without MFA", profile)
	case errors.As(err, &role) && errors.As(err, &missing):
		// Checked before the plain not-found case: the SDK wraps the source's absence the same way.
		e.Message = fmt.Sprintf("profile %q: its role's source_profile %q is not found in ~/.aws/config or ~/.aws/credentials", profile, role.Profile)
	case errors.As(err, &role) && role.Err == nil:
		e.Message = fmt.Sprintf("profile %q: its role's source_profile %q has no credentials "+
			"(keys, SSO or credential_process) to assume the role with", profile, role.Profile)
	case errors.As(err, &missing):
		// The profile may come from the environment (AWS_PROFILE), not the caller.
		e.Message = fmt.Sprintf("profile %q not found in ~/.aws/config or ~/.aws/credentials", firstNonEmpty(profile, missing.Profile))
	case strings.HasPrefix(rootCause(err), ssoPrefix):
		session := strings.TrimPrefix(rootCause(err), ssoPrefix)
		e.Message = fmt.Sprintf("profile %q uses sso_session %s, but ~/.aws/config has no [sso-session %s] section; "+
			"run: aws configure sso --profile %s", profile, session, session, profile)
	case profile != "":
		e.Message = fmt.Sprintf("cannot load AWS configuration for profile %q: %s", profile, rootCause(err))
	default:
		e.Message = "cannot load AWS configuration: " + rootCause(err)
	}
	return e
}

func isThrottle(code string) bool {
	_, ok := retry.DefaultThrottleErrorCodes[code]
	return ok
}
