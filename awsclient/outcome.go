package awsclient

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"iamcreds/model"
)

// The outcome of a write whose reply was lost is judged by listing the user's
// credentials again. Each function gets the mapped error of the call (cause)
// and returns what the person must be told: nil when the listing shows that the
// write took effect, otherwise an error that says plainly what happened.

// createOutcome judges a create whose reply did not say what IAM did. Only a
// reply ties a credential to a request: IAM's listing does not say who created
// what, another client may create one for the same user while the request is
// in flight, and a request that timed out may still reach IAM after the
// listing. So replied, the ID a reply named without its secret, is ours
// (KindSecretLost); a credential that appeared otherwise is of unknown origin
// (KindUnconfirmed, Appeared), named and left alone; and no new one in a
// listing is "not created" only when the request has ended at IAM (closed,
// answered), not when it ran out of time.
func (c *Client) createOutcome(ctx context.Context, t target, call *call, before []model.Credential, listed bool, cause error, replied string) error {
	what := fmt.Sprintf("a %s credential for %s", model.LookupService(t.service).Short, t.user)
	if replied != "" {
		var after []model.Credential
		if ctx.Err() == nil {
			after, _ = c.listAfter(ctx, t, call) // to show it; the reply already tells
		}
		e := outcome(model.KindSecretLost, t, cause, after)
		e.ID = replied
		e.Message = fmt.Sprintf("IAM created %s (%s) but its secret was never received: reset it to get a secret, or delete it", e.ID, what)
		return e
	}
	if ctx.Err() != nil {
		return unconfirmed(t, cause, nil, fmt.Sprintf(
			"A create of %s was canceled in flight: IAM may have created it; check %s's credentials.", what, t.user))
	}
	after, err := c.listAfter(ctx, t, call)
	switch {
	case err != nil:
		return unconfirmed(t, cause, nil, fmt.Sprintf(
			"IAM may have created %s: %s; listing %s's credentials to check failed too: %s. Check them before creating another.",
			what, cause, t.user, err))
	case !listed:
		return unconfirmed(t, cause, after, fmt.Sprintf(
			"IAM may have created %s: %s; check %s's credentials (what they were before is not known).", what, cause, t.user))
	}
	fresh := added(before, after, t.service)
	if len(fresh) == 0 && call.timedOut {
		return unconfirmed(t, cause, after, fmt.Sprintf(
			"IAM may have created %s: %s; IAM lists no new one yet, but a request that ran out of time may still reach IAM. "+
				"Check %s's credentials again before creating another.", what, cause, t.user))
	}
	if len(fresh) == 0 {
		return withListing(cause, after, "; IAM did not create it")
	}
	ids := make([]string, len(fresh))
	for i, f := range fresh {
		ids[i] = f.ID
	}
	appeared := fmt.Sprintf("a new credential %s appeared for %s; it may be this request's or someone else's", ids[0], t.user)
	if len(ids) > 1 {
		appeared = fmt.Sprintf("new credentials %s appeared for %s; each may be this request's or someone else's", strings.Join(ids, " and "), t.user)
	}
	e := outcome(model.KindUnconfirmed, t, cause, after)
	e.Appeared = ids
	e.Message = fmt.Sprintf("IAM may have created %s: %s; %s, so it was left alone. If nobody else created it, reset it to get a secret, or delete it.",
		what, cause, appeared)
	return e
}

// resetOutcome: a reset changes nothing a listing shows, so it stays unconfirmed
// unless the credential is gone.
func (c *Client) resetOutcome(ctx context.Context, t target, call *call, cause error) error {
	var after []model.Credential
	if ctx.Err() == nil {
		listing, err := c.listAfter(ctx, t, call)
		if _, found := find(listing, t.id); err == nil && !found {
			return withListing(&model.Error{Kind: model.KindNotFound, Op: t.op, User: t.user, ID: t.id, Err: cause,
				Message: t.credential() + " not found (deleted elsewhere?)"}, listing, "")
		}
		after = listing
	}
	e := outcome(model.KindResetUnconfirmed, t, cause, after)
	e.Message = fmt.Sprintf("The reset of %s may have happened: the old secret may no longer work. Reset again to get one you can use.", t.id)
	return e
}

// updateOutcome: success when the credential now has the status asked for.
func (c *Client) updateOutcome(ctx context.Context, t target, call *call, status model.Status, cause error) error {
	before := model.Active
	if status == model.Active {
		before = model.Inactive
	}
	after, _, err := c.relist(ctx, t, call, cause, fmt.Sprintf("The change of %s to %s", t.credential(), status), "may still be "+string(before))
	if err != nil {
		return err // a user gone is "not found", as it would be without the lost reply
	}
	cred, found := find(after, t.id)
	switch {
	case !found:
		return withListing(&model.Error{Kind: model.KindNotFound, Op: t.op, User: t.user, ID: t.id, Err: cause,
			Message: t.credential() + " not found (deleted elsewhere?)"}, after, "")
	case cred.Status == status:
		confirmed(ctx, t)
		return nil
	}
	return withListing(cause, after, "")
}

// deleteOutcome: success when the credential is no longer listed.
func (c *Client) deleteOutcome(ctx context.Context, t target, call *call, cause error) error {
	after, userGone, err := c.relist(ctx, t, call, cause, "The delete of "+t.credential(), "may still exist")
	switch {
	case userGone:
		confirmed(ctx, t) // the credential went with its user
		return nil
	case err != nil:
		return err
	}
	if _, found := find(after, t.id); !found {
		confirmed(ctx, t)
		return nil
	}
	return withListing(cause, after, "")
}

// confirmed reports a write the listing shows done though its reply was lost:
// the call succeeds, and only the caller's model.OnLostReply hears of it.
func confirmed(ctx context.Context, t target) {
	model.ReportLostReply(ctx, model.LostReply{Op: t.op, User: t.user, ID: t.id})
}

// relist lists t.user's credentials to judge a write in doubt (what, as the
// start of a sentence). It fails with KindUnconfirmed when that cannot be done,
// saying what to check (mayStill: how the credential may still stand), and
// reports a user that no longer exists with its NotFound error.
func (c *Client) relist(ctx context.Context, t target, call *call, cause error, what, mayStill string) (after []model.Credential, userGone bool, err error) {
	check := model.CheckUnknown(t.user, t.id, mayStill)
	if ctx.Err() != nil {
		return nil, false, unconfirmed(t, cause, nil, fmt.Sprintf("%s was canceled in flight: %s.", what, check))
	}
	after, err = c.listAfter(ctx, t, call)
	switch {
	case err == nil:
		return after, false, nil
	case model.KindOf(err) == model.KindNotFound:
		return nil, true, err
	}
	return nil, false, unconfirmed(t, cause, nil, fmt.Sprintf(
		"%s may not have happened: %s; listing %s's credentials to check failed too: %s. Its outcome is unknown: %s.", what, cause, t.user, err, check))
}

// listAfter lists t.user's credentials to judge a write. After a write that
// ran out of time, each page gets one attempt: an endpoint that went silent is
// not waited for twice over.
func (c *Client) listAfter(ctx context.Context, t target, call *call) ([]model.Credential, error) {
	pages, err := c.listCreds(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(t.user)},
		target{op: "ListServiceSpecificCredentials", user: t.user, once: call.timedOut})
	return joinPages(pages), err
}

// outcome is an error of kind about t, keeping the cause's details.
func outcome(kind model.ErrorKind, t target, cause error, listed []model.Credential) *model.Error {
	e := &model.Error{Kind: kind, Op: t.op, User: t.user, Service: t.service, ID: t.id, Err: cause, Listed: listed}
	var me *model.Error
	if errors.As(cause, &me) {
		e.Code, e.RequestID = me.Code, me.RequestID
	}
	return e
}

func unconfirmed(t target, cause error, listed []model.Credential, message string) error {
	e := outcome(model.KindUnconfirmed, t, cause, listed)
	e.Message = message
	return e
}

// withListing is a copy of err with the listing attached and suffix appended
// to its message.
func withListing(err error, listed []model.Credential, suffix string) error {
	var me *model.Error
	if !errors.As(err, &me) {
		return err
	}
	e := *me
	e.Listed, e.Message = listed, e.Message+suffix
	return &e
}

// added is the credentials of service in after that are not in before.
func added(before, after []model.Credential, service string) []model.Credential {
	had := make(map[string]bool, len(before))
	for _, b := range before {
		had[b.ID] = true
	}
	var fresh []model.Credential
	for _, a := range after {
		if a.Service == service && !had[a.ID] {
			fresh = append(fresh, a)
		}
	}
	return fresh
}

func find(cs []model.Credential, id string) (model.Credential, bool) {
	for _, c := range cs {
		if c.ID == id {
			return c, true
		}
	}
	return model.Credential{}, false
}
