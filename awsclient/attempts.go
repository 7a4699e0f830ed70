package awsclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// policy says which failed attempts of a call the SDK may make again.
type policy int

const (
	// retryAll: reads, and writes whose repetition cannot hurt (Update sets a
	// status, Delete removes an id): every failure the SDK retries.
	retryAll policy = iota
	// retrySafe: Create and Reset, whose repetition makes a second credential or
	// invalidates the secret of the first: only attempts IAM certainly did not act on.
	retrySafe
	// retryNone: one attempt (the listing that judges a write that timed out).
	retryNone
)

// fate is what a failed attempt may have done at IAM.
type fate int

const (
	fateRefused fate = iota // IAM answered with a refusal (4xx): it did not act
	fateNotSent             // the request never left: no connection, or it failed before sending
	fateUnknown             // IAM may have acted: the reply was lost or late, a 5xx, or unreadable
)

// fateOf classifies the error of one attempt.
func fateOf(err error) fate {
	var resp *awshttp.ResponseError
	if errors.As(err, &resp) && resp.HTTPStatusCode() != 0 {
		if s := resp.HTTPStatusCode(); s >= 400 && s < 500 {
			return fateRefused
		}
		return fateUnknown // a 5xx, or a 2xx we could not read: IAM may have acted
	}
	var send *smithyhttp.RequestSendError
	if errors.As(err, &send) {
		if neverSent(send.Err) {
			return fateNotSent
		}
		return fateUnknown // sent, then the connection broke or went silent
	}
	var canceled *smithy.CanceledError
	if errors.As(err, &canceled) {
		return fateUnknown // canceled while in flight: it may have been sent
	}
	return fateNotSent // failed before sending: signing, credentials
}

// neverSent reports whether a transport error happened before any byte of the
// request could reach the server: no connection, no name, no TLS session.
func neverSent(err error) bool {
	var (
		op       *net.OpError
		dns      *net.DNSError
		record   tls.RecordHeaderError
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
	)
	return errors.As(err, &op) && op.Op == "dial" || errors.As(err, &dns) ||
		errors.As(err, &record) || errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &hostname) ||
		strings.Contains(err.Error(), "TLS handshake timeout")
}

// isTimeout reports whether an attempt ran out of time (connecting or waiting).
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// isRefused reports a connection the host refused: nothing listens there. On
// Windows the error is WSAECONNREFUSED, which is no syscall.ECONNREFUSED.
func isRefused(err error) bool {
	var op *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) ||
		errors.As(err, &op) && op.Op == "dial" && op.Err != nil && strings.Contains(op.Err.Error(), "refused")
}

// Refused connections get refusedRetries quick tries more, refusedDelay apart
// and doubling: an endpoint restarting is back within that; one that is down
// is reported at once, not after the SDK's backoff (six attempts were 21-26 s).
const (
	refusedRetries = 2
	refusedDelay   = 100 * time.Millisecond
)

// call is one SDK operation: it is the operation's retryer, deciding attempt by
// attempt under its policy, and it remembers whether any attempt may have acted.
type call struct {
	aws.Retryer
	policy   policy
	timedOut bool // an attempt ran out of time
	refused  int  // attempts whose connection was refused
	// unknown: some attempt failed in a way that leaves IAM's action in doubt.
	unknown bool
}

// IsErrorRetryable sees every failed attempt, in order.
func (c *call) IsErrorRetryable(err error) bool {
	f := fateOf(err)
	if f == fateUnknown {
		c.unknown = true
	}
	if isRefused(err) {
		c.refused++
		if c.refused > refusedRetries {
			return false
		}
	}
	// One more try after a timeout, whatever it ends in: a black hole is
	// reported in two time limits, not six (nor three, when it then resets the
	// connection instead of staying silent).
	if c.timedOut || c.policy == retryNone {
		return false
	}
	c.timedOut = isTimeout(err)
	if c.policy == retrySafe && f == fateUnknown {
		return false
	}
	var large *replyTooLarge
	if errors.As(err, &large) {
		return false // the same endpoint would send the same again: not transient
	}
	return c.Retryer.IsErrorRetryable(err)
}

// RetryDelay waits briefly after a refused connection, and as the SDK's
// backoff says after anything else.
func (c *call) RetryDelay(attempt int, err error) (time.Duration, error) {
	if isRefused(err) {
		return refusedDelay << max(c.refused-1, 0), nil
	}
	return c.Retryer.RetryDelay(attempt, err)
}

// GetAttemptToken implements aws.RetryerV2 over either kind of retryer.
func (c *call) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := c.Retryer.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return c.GetInitialToken(), nil
}

// install puts the call in front of a service's retryer and adds the reply
// check: what the per-operation options of every service below do.
func (c *call) install(r *aws.Retryer, apis *[]func(*middleware.Stack) error) {
	c.Retryer = *r
	*r = c
	*apis = append(*apis, addReplyCheck)
}

// iam is the per-operation option that installs the call and the reply check.
func (c *call) iam(o *iam.Options) { c.install(&o.Retryer, &o.APIOptions) }

func (c *call) sts(o *sts.Options) { c.install(&o.Retryer, &o.APIOptions) }

func (c *call) orgs(o *organizations.Options) { c.install(&o.Retryer, &o.APIOptions) }

// read is the option for a read: a fresh call, retried as the SDK would.
func read(o *iam.Options) { (&call{policy: retryAll}).iam(o) }

// badReply is a 2xx reply that no IAM endpoint sends.
type badReply struct{ what string }

func (e *badReply) Error() string { return e.what }

var (
	errEmptyReply     = &badReply{"is empty"}
	errNoRequestID    = &badReply{"has no RequestId"}
	replyCheckID      = "iamcreds.ReplyCheck"
	requestIDElement  = []byte("<RequestId>")
	requestIDHeaders  = []string{"X-Amzn-Requestid", "X-Amz-Request-Id"}
	replyCheckHandler = middleware.DeserializeMiddlewareFunc(replyCheckID, checkReply)
)

// addReplyCheck puts checkReply between the transport and the SDK's
// deserializer, which would read an empty body as an empty result.
func addReplyCheck(stack *middleware.Stack) error {
	return stack.Deserialize.Insert(replyCheckHandler, "OperationDeserializer", middleware.After)
}

// checkReply refuses a 2xx reply that is empty or carries no request id in its
// header or body: IAM always sends both, so it comes from something else.
func checkReply(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, md, err := next.HandleDeserialize(ctx, in)
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if err != nil || !ok || resp.StatusCode < 200 || resp.StatusCode > 299 {
		return out, md, err
	}
	body, readErr := readBody(resp)
	_ = resp.Body.Close()
	var large *replyTooLarge
	if errors.As(readErr, &large) {
		return out, md, readErr // not 16 MiB more for the decoder to go through
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if readErr != nil {
		// The failure stays in the body, after what could be read: the SDK may
		// have all it needs before it (a reply shorter than its stated length).
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{readErr}))
	}
	switch {
	case len(body) == 0 && readErr != nil:
		return out, md, readErr
	case len(bytes.TrimSpace(body)) == 0:
		return out, md, errEmptyReply
	case !hasRequestID(resp, body):
		return out, md, errNoRequestID
	}
	if seen, ok := ctx.Value(replySeenKey{}).(func([]byte)); ok && readErr == nil {
		seen(body)
	}
	return out, md, nil
}

// readBody reads a reply's body into a buffer of its stated length, when it
// states one: io.ReadAll would grow and copy a page of 1,000 credentials
// (about 350 KB) a dozen times over.
func readBody(resp *smithyhttp.Response) ([]byte, error) {
	if n := resp.ContentLength; n > 0 && n <= MaxReplySize { // a larger one fails past the limit (boundedBody)
		buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead)) // ReadFrom wants MinRead free to the end
		_, err := buf.ReadFrom(resp.Body)
		return buf.Bytes(), err
	}
	return io.ReadAll(resp.Body)
}

// replySeenKey carries a func that sees a 2xx reply's body before the SDK
// decodes it (withReplySeen).
type replySeenKey struct{}

// withReplySeen returns ctx whose calls hand seen each 2xx reply's raw body,
// once it has passed checkReply and before the SDK decodes it.
func withReplySeen(ctx context.Context, seen func([]byte)) context.Context {
	return context.WithValue(ctx, replySeenKey{}, seen)
}

// memoryBodies sends each request body from a copy in memory. smithy-go wraps
// the body in a reader that it closes once the reply has begun, and whose
// WriteTo then returns io.EOF; net/http, still checking the body for extra
// bytes after sending it, takes that for a failed write and closes the
// connection under the reply ("use of closed network connection" half-way
// through a large page, which the SDK then asked for again). IAM's form
// bodies are small.
type memoryBodies struct{ next aws.HTTPClient }

// It also bounds each reply's body (boundedBody): past MaxReplySize, reading it
// fails.
func (m memoryBodies) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := m.next.Do(req)
	if resp != nil && resp.Body != nil {
		resp.Body = &boundedBody{body: resp.Body, left: MaxReplySize}
	}
	return resp, err
}

// MaxReplySize is more than any IAM, STS or Organizations reply can be (a page
// of 1,000 users or credentials is well under 1 MiB). A reply past it is an
// error, not read further: an endpoint that sends without end, or states a
// length of gigabytes, cannot fill the memory. Every reader of a body (the
// reply check, the SDK's decoders, the --debug log) stops there.
const MaxReplySize = 16 << 20

// replyTooLarge is a reply's body past MaxReplySize.
type replyTooLarge struct{}

func (*replyTooLarge) Error() string {
	return fmt.Sprintf("the reply is larger than %d MiB, more than any IAM, STS or Organizations reply can be; it was not read further",
		MaxReplySize>>20)
}

// boundedBody reads a reply's body up to MaxReplySize, then fails with
// replyTooLarge. Closing it before the end closes the connection (net/http
// does not drain a body it was not read to the end of).
type boundedBody struct {
	body io.ReadCloser
	left int64 // bytes still allowed
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, &replyTooLarge{}
	}
	if int64(len(p)) > b.left+1 { // one byte past the limit tells a reply of exactly the limit from a longer one
		p = p[:b.left+1]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n - 1, &replyTooLarge{}
	}
	return n, err
}

func (b *boundedBody) Close() error { return b.body.Close() }

func hasRequestID(resp *smithyhttp.Response, body []byte) bool {
	for _, h := range requestIDHeaders {
		if resp.Header.Get(h) != "" {
			return true
		}
	}
	return bytes.Contains(body, requestIDElement)
}
