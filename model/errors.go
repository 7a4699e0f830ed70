package model

import (
	"errors"
	"fmt"
)

// ErrorKind classifies failures by what a person can do about them.
type ErrorKind int

const (
	KindOther        ErrorKind = iota
	KindNotFound               // the user, credential or service does not exist
	KindLimit                  // the per-service credential limit is reached
	KindAccessDenied           // IAM policy forbids the action
	KindThrottled              // IAM kept throttling after retries
	KindInvalid                // bad input, refused by iamcreds or IAM
	KindUnreachable            // the endpoint could not be reached
	KindAuth                   // AWS credentials missing, expired or invalid
	KindReadOnly               // a write was attempted in read-only mode
	KindCanceled               // the caller gave up

	// The outcomes of a write whose reply was lost (connection dropped or timed
	// out after sending, a 5xx, a reply without ID or secret). The client does not
	// repeat such a Create or Reset; it lists the user again and says what it
	// found. Listed holds that listing.

	// KindSecretLost: IAM created credential ID, as its reply said, but the
	// reply carried no secret, which can never be shown. Reset it to get a
	// secret, or delete it. (A credential that only a listing shows is never
	// this: see KindUnconfirmed and Appeared.)
	KindSecretLost
	// KindResetUnconfirmed: the reset of credential ID may have happened, so the
	// old secret may no longer work. Reset again to get one that does.
	KindResetUnconfirmed
	// KindUnconfirmed: whether the write happened is unknown (the listing that
	// would tell failed too, or the caller canceled; or a credential appeared that
	// no reply ties to the request, Appeared): the person must check.
	KindUnconfirmed

	// KindChanged: a delete or a deactivation was refused because the
	// credential, listed again just before, is no longer what the confirmation
	// or the plan showed (activated, gone, replaced): someone changed it meanwhile.
	KindChanged
)

var kindNames = map[ErrorKind]string{
	KindOther: "error", KindNotFound: "not found", KindLimit: "limit reached",
	KindAccessDenied: "access denied", KindThrottled: "throttled", KindInvalid: "invalid input",
	KindUnreachable: "unreachable", KindAuth: "credentials", KindReadOnly: "read-only",
	KindCanceled: "canceled", KindSecretLost: "secret lost", KindResetUnconfirmed: "reset unconfirmed",
	KindUnconfirmed: "outcome unknown", KindChanged: "changed meanwhile",
}

func (k ErrorKind) String() string { return kindNames[k] }

// Sentinels for errors.Is: errors.Is(err, model.ErrNotFound) matches any *Error of that kind.
var (
	ErrNotFound     = &Error{Kind: KindNotFound}
	ErrLimit        = &Error{Kind: KindLimit}
	ErrAccessDenied = &Error{Kind: KindAccessDenied}
	ErrThrottled    = &Error{Kind: KindThrottled}
	ErrInvalid      = &Error{Kind: KindInvalid}
	ErrUnreachable  = &Error{Kind: KindUnreachable}
	ErrAuth         = &Error{Kind: KindAuth}
	ErrReadOnly     = &Error{Kind: KindReadOnly}
	ErrCanceled     = &Error{Kind: KindCanceled}

	ErrSecretLost       = &Error{Kind: KindSecretLost}
	ErrResetUnconfirmed = &Error{Kind: KindResetUnconfirmed}
	ErrUnconfirmed      = &Error{Kind: KindUnconfirmed}
	ErrChanged          = &Error{Kind: KindChanged}
)

// Error is an error a person can act on. Message is complete on its own; the
// other fields keep the details (the AWS code and request id) for a details view.
// No field ever holds a secret. Fields may hold text from IAM as it came; Error
// and Details pass it through SafeText, so their strings are safe to print.
type Error struct {
	Kind      ErrorKind
	Message   string
	Op        string // the IAM action, e.g. CreateServiceSpecificCredential
	Code      string // the AWS error code, e.g. LimitExceeded
	RequestID string
	User      string
	Service   string
	ID        string // the credential id, when one applies
	Err       error  // the underlying error
	// Listed is User's credentials as IAM listed them just after a write whose
	// reply was lost, the listing the outcome was judged by; nil when there was
	// none. Metadata only: a listing never holds a secret.
	Listed []Credential
	// Appeared names the credentials of Service that Listed holds and the
	// listing before a create did not: IAM's listing does not say who created
	// them, so they may be the create's or another client's (KindUnconfirmed).
	Appeared []string
}

func (e *Error) Error() string {
	if e.Message != "" {
		return SafeText(e.Message)
	}
	return e.Kind.String()
}

// Unwrap exposes the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is matches sentinels of the same kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Kind == e.Kind
}

// Details is a one-line technical summary: action, AWS code and request id.
func (e *Error) Details() string {
	s := ""
	add := func(k, v string) {
		if v == "" {
			return
		}
		if s != "" {
			s += " · "
		}
		s += k + " " + v
	}
	add("action", e.Op)
	add("code", e.Code)
	add("request", e.RequestID)
	return SafeText(s)
}

// Errorf builds an *Error of a kind with a formatted message.
func Errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of err, KindOther when it is not an *Error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}
