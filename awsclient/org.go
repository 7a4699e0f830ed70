package awsclient

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"iamcreds/model"
)

// Defaults for reaching an organization's accounts.
const (
	// DefaultOrgRole is the role Organizations creates in every account it creates.
	DefaultOrgRole = "OrganizationAccountAccessRole"
	// DefaultRoleSession is STS's shortest session: a leaked key is worth little,
	// and the credentials cache renews it before it ends.
	DefaultRoleSession = 15 * time.Minute
	// DefaultAccountConcurrency bounds the accounts read at once. Each account's
	// own quota is separate, so this bounds local work and STS calls, not IAM's.
	DefaultAccountConcurrency = 8
	// sessionRenewal is how long before its end a session is renewed, so that a
	// request is never signed with credentials about to expire.
	sessionRenewal = time.Minute
)

// OrgOptions says how to reach the accounts of an organization.
type OrgOptions struct {
	// Role is the role assumed in each account, arn:aws:iam::ACCOUNT:role/Role
	// (default OrganizationAccountAccessRole).
	Role string
	// SessionName is the role session's name, which CloudTrail records in every
	// account (default "iamcreds-" and the Unix time).
	SessionName string
	// SessionDuration is each role session's length (default 15 minutes,
	// STS's minimum); sessions are renewed as they end.
	SessionDuration time.Duration
}

// Org reaches the accounts of an organization from the caller's client: the
// account list through Organizations, and one client per account through
// sts:AssumeRole with the caller's credentials. The caller's own account is
// read with the caller's credentials (a management account has no
// OrganizationAccountAccessRole). Safe for concurrent use.
type Org struct {
	base *Client
	opts OrgOptions
	orgs *organizations.Client

	callerMu sync.Mutex // guards caller
	caller   model.Identity

	mu       sync.Mutex
	accounts map[string]*assumed // by account ID
}

// assumed is an account's client and the credentials it assumes the role with.
type assumed struct {
	client *Client
	creds  *aws.CredentialsCache
}

// Org returns the organization reached with c's credentials. It does not call AWS.
func (c *Client) Org(opts OrgOptions) *Org {
	if opts.Role == "" {
		opts.Role = DefaultOrgRole
	}
	if opts.SessionName == "" {
		opts.SessionName = "iamcreds-" + strconv.FormatInt(time.Now().Unix(), 10)
	}
	if opts.SessionDuration <= 0 {
		opts.SessionDuration = DefaultRoleSession
	}
	endpoint := c.cfg.EndpointURL
	if endpoint == "" && os.Getenv("AWS_ENDPOINT_URL_ORGANIZATIONS") == "" && os.Getenv("AWS_ENDPOINT_URL") == "" {
		// As for STS: the local endpoint serves Organizations too.
		endpoint = os.Getenv("AWS_ENDPOINT_URL_IAM")
	}
	orgs := organizations.NewFromConfig(c.awsCfg, func(o *organizations.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	return &Org{base: c, opts: opts, orgs: orgs, accounts: map[string]*assumed{}}
}

// Role is the role name assumed in each account.
func (o *Org) Role() string { return o.opts.Role }

// Caller is who the base client signs as: asked once, and again only if asking failed.
func (o *Org) Caller(ctx context.Context) (model.Identity, error) {
	o.callerMu.Lock()
	defer o.callerMu.Unlock()
	if o.caller.Account != "" {
		return o.caller, nil
	}
	id, err := o.base.Identity(ctx)
	if err != nil {
		return model.Identity{}, err
	}
	o.caller = id
	return id, nil
}

// Accounts lists every account of the organization, all pages, whatever its
// status; only the management account or a delegated administrator may. It
// learns who the caller is at the same time, for Client and Open.
func (o *Org) Accounts(ctx context.Context) ([]model.Account, error) {
	callerDone := make(chan struct{})
	go func() {
		defer close(callerDone)
		_, _ = o.Caller(ctx) // a failure is asked again, and reported, by Client
	}()
	defer func() { <-callerDone }()
	var out []model.Account
	tokens := newPages("NextToken")
	p := organizations.NewListAccountsPaginator(o.orgs, &organizations.ListAccountsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, (&call{policy: retryAll}).orgs)
		if err != nil {
			return nil, o.listError(err)
		}
		if err := tokens.next(false, page.NextToken); err != nil {
			return nil, o.base.replyError(target{op: "ListAccounts"}, err.Error())
		}
		for _, a := range page.Accounts {
			out = append(out, model.Account{
				ID:           aws.ToString(a.Id),
				Name:         aws.ToString(a.Name),
				Email:        aws.ToString(a.Email),
				ARN:          aws.ToString(a.Arn),
				Status:       model.AccountStatus(a.Status),
				JoinedMethod: string(a.JoinedMethod),
				Joined:       aws.ToTime(a.JoinedTimestamp),
			})
		}
	}
	return out, nil
}

// Client returns the client for an account: the base client for the caller's
// own account, else one that assumes the role there. It is made once per
// account and kept; its credentials are fetched at its first call and renewed
// before they end. Call Open instead to find out at once whether the role can
// be assumed.
func (o *Org) Client(ctx context.Context, accountID string) (*Client, error) {
	a, err := o.assumedFor(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return a.client, nil
}

func (o *Org) assumedFor(ctx context.Context, accountID string) (*assumed, error) {
	caller, err := o.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if accountID == caller.Account {
		return &assumed{client: o.base}, nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if a := o.accounts[accountID]; a != nil {
		return a, nil
	}
	provider := stscreds.NewAssumeRoleProvider(o.base.sts, o.roleARN(accountID), func(ao *stscreds.AssumeRoleOptions) {
		ao.RoleSessionName = o.opts.SessionName
		ao.Duration = o.opts.SessionDuration
	})
	creds := aws.NewCredentialsCache(provider, func(co *aws.CredentialsCacheOptions) { co.ExpiryWindow = sessionRenewal })
	a := &assumed{client: o.base.withCredentials(creds), creds: creds}
	o.accounts[accountID] = a
	return a, nil
}

// Open returns the account's client after making sure its credentials work:
// the role is assumed now (once; the session is cached), so that a role that
// is missing, does not trust the caller or is denied by an SCP is reported here,
// with the account and the role named.
func (o *Org) Open(ctx context.Context, account model.Account) (*Client, error) {
	a, err := o.assumedFor(ctx, account.ID)
	if err != nil {
		return nil, inAccount(account, err)
	}
	if a.creds != nil {
		if _, err := a.creds.Retrieve(ctx); err != nil {
			return nil, inAccount(account, o.assumeError(err, account))
		}
	}
	return a.client, nil
}

func (o *Org) roleARN(accountID string) string {
	return "arn:aws:iam::" + accountID + ":role/" + o.opts.Role
}

// withCredentials is c signing with other credentials: same endpoint, retries,
// transport and settings.
func (c *Client) withCredentials(p aws.CredentialsProvider) *Client {
	cp := *c
	cp.iam = iam.New(c.iam.Options(), func(o *iam.Options) { o.Credentials = p })
	cp.sts = sts.New(c.sts.Options(), func(o *sts.Options) { o.Credentials = p })
	cp.sso = false              // the role session's keys come from STS, not from an SSO login
	cp.limits = &perUserLimit{} // another account: IAM's quota is its own
	return &cp
}

// listError explains a failed ListAccounts.
func (o *Org) listError(err error) error {
	e := &model.Error{Op: "ListAccounts", Err: err}
	var api smithy.APIError
	if !errors.As(err, &api) {
		return o.base.mapError(err, target{op: "ListAccounts"})
	}
	e.Code = api.ErrorCode()
	switch e.Code {
	case "AWSOrganizationsNotInUseException":
		e.Kind = model.KindNotFound
		e.Message = "this account is not in an organization; to read several accounts without Organizations, use named profiles (--profiles)"
	case "AccessDeniedException":
		e.Kind = model.KindAccessDenied
		e.Message = "access denied: organizations:ListAccounts works only from the organization's management account " +
			"or a delegated administrator, with a policy that allows it"
	case "TooManyRequestsException":
		e.Kind = model.KindThrottled
		e.Message = fmt.Sprintf("Organizations is throttling requests after %d attempts; wait a moment and try again", o.base.cfg.MaxAttempts)
	case "ServiceException":
		e.Kind = model.KindOther
		e.Message = fmt.Sprintf("Organizations failed after %d attempts; try again", o.base.cfg.MaxAttempts)
	default:
		return o.base.mapError(err, target{op: "ListAccounts"})
	}
	return e
}

// assumeError explains why the role could not be assumed in account.
func (o *Org) assumeError(err error, account model.Account) error {
	var opErr *smithy.OperationError
	if errors.As(err, &opErr) {
		err = opErr // without the credentials cache's wrapping, which reads as "no credentials"
	}
	t := target{op: "AssumeRole"}
	var api smithy.APIError
	if !errors.As(err, &api) {
		return o.base.mapError(err, t)
	}
	role := o.roleARN(account.ID)
	e := &model.Error{Op: "AssumeRole", Code: api.ErrorCode(), Err: err}
	switch api.ErrorCode() {
	case "AccessDenied":
		e.Kind = model.KindAccessDenied
		e.Message = fmt.Sprintf("cannot assume %s: access denied — the role may not exist in that account, "+
			"may not trust %s, or an SCP or your policy may deny sts:AssumeRole", role, o.callerLabel())
	case "RegionDisabledException":
		e.Kind = model.KindAccessDenied
		e.Message = fmt.Sprintf("cannot assume %s: STS is not activated in this region for the account (%s)", role, api.ErrorMessage())
	case "ValidationError", "InvalidParameterValue":
		e.Kind = model.KindInvalid
		e.Message = fmt.Sprintf("cannot assume %s: STS refused the request: %s", role, api.ErrorMessage())
	default:
		return o.base.mapError(err, t) // the caller's own credentials, throttling, STS failing
	}
	return e
}

// callerLabel names the caller's account for messages, when it is known.
func (o *Org) callerLabel() string {
	o.callerMu.Lock()
	defer o.callerMu.Unlock()
	if o.caller.Account != "" {
		return "account " + o.caller.Account
	}
	return "your account"
}

// inAccount puts the account's name in front of an error's message, so that a
// row of a report or a line of a log says which account failed.
func inAccount(account model.Account, err error) error {
	if err == nil {
		return nil
	}
	var me *model.Error
	if !errors.As(err, &me) {
		return &model.Error{Kind: model.KindOther, Message: "account " + account.Label() + ": " + err.Error(), Err: err}
	}
	cp := *me
	cp.Message = "account " + account.Label() + ": " + me.Error()
	cp.Err = err
	return &cp
}
