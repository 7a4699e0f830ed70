package awsclient

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"

	"iamcreds/model"
)

// The SDK's own logger writes to stderr by default, over the TUI ("WARN falling
// back to IMDSv1", "failed to discard remaining HTTP response body"). It goes to
// the debug log when there is one, and nowhere otherwise.

// debugLog serialises whole entries onto one writer: requests run
// concurrently, and the SDK's messages come in between. A nil *debugLog is
// "no debug log".
type debugLog struct {
	mu sync.Mutex
	w  io.Writer
}

// newDebugLog returns nil for a nil w.
func newDebugLog(w io.Writer) *debugLog {
	if w == nil {
		return nil
	}
	return &debugLog{w: w}
}

// loadOptions silences the SDK, or points its logger at the debug log.
func (d *debugLog) loadOptions() []func(*config.LoadOptions) error {
	var logger logging.Logger = logging.Nop{}
	if d != nil {
		logger = logging.LoggerFunc(func(cls logging.Classification, format string, v ...any) {
			d.write(fmt.Sprintf("SDK %s %s\n", cls, fmt.Sprintf(format, v...)))
		})
	}
	return []func(*config.LoadOptions) error{
		config.WithLogger(logger),
		config.WithClientLogMode(0), // the SDK's own dumps would carry the Authorization header
	}
}

// wrap returns an HTTP client that writes every request and response to the
// log with its secrets removed; without a log it returns next. It wraps the
// client after the configuration is loaded, so that the SDK's set-up of its own
// client (a custom CA bundle, say) is kept.
func (d *debugLog) wrap(next aws.HTTPClient) aws.HTTPClient {
	if d == nil {
		return next
	}
	if next == nil {
		next = awshttp.NewBuildableClient()
	}
	return &debugClient{next: next, log: d}
}

func (d *debugLog) write(entry string) {
	stamp := time.Now().UTC().Format("2006-01-02T15:04:05.000Z ")
	d.mu.Lock()
	defer d.mu.Unlock()
	io.WriteString(d.w, stamp+entry) // a failing debug log must not fail the call
}

type debugClient struct {
	next aws.HTTPClient
	log  *debugLog
	seq  atomic.Int64
}

// maxLoggedBody bounds what one entry shows of a body (a ListUsers page of 1000
// users is about 400 KB); redaction runs on the whole body first.
const maxLoggedBody = 16 << 10

func (c *debugClient) Do(req *http.Request) (*http.Response, error) {
	n := c.seq.Add(1)
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody { // IAM's form bodies are small: read, then replay
		var err error
		if reqBody, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	}
	c.log.write(fmt.Sprintf("request #%d %s %s\n%s%s", n, req.Method, redactURL(req.URL.String()),
		formatHeaders(req.Header), formatBody(redactRequest(req.Header.Get("Content-Type"), string(reqBody)))))

	start := time.Now()
	resp, err := c.next.Do(req)
	took := time.Since(start).Round(time.Millisecond)
	if err != nil {
		c.log.write(fmt.Sprintf("response #%d failed after %s: %s\n", n, took, model.SafeText(err.Error())))
		return resp, err
	}
	var respBody []byte
	if resp.Body != nil {
		respBody, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(respBody))
		if err != nil { // hand the SDK the same failure it would have met reading
			resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(respBody), errReader{err}))
		}
	}
	var large *replyTooLarge
	if errors.As(err, &large) { // 16 MiB to redact, for a reply that only fails
		c.log.write(fmt.Sprintf("response #%d %s in %s\n%s  | (%s)\n", n, resp.Status, took, formatHeaders(resp.Header), large))
		return resp, nil
	}
	c.log.write(fmt.Sprintf("response #%d %s in %s\n%s%s", n, resp.Status, took,
		formatHeaders(resp.Header), formatBody(redactBody(string(respBody)))))
	return resp, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

const redacted = "[redacted]"

// sensitiveName matches a header, parameter, XML element or JSON key that holds a
// secret: ServicePassword, ServiceCredentialSecret, SecretAccessKey, SessionToken,
// Authorization, X-Amz-Security-Token, X-Amz-Signature, x-amz-sso_bearer_token,
// and Secrets Manager's SecretString and SecretBinary…
var sensitiveName = regexp.MustCompile(`(?i)password|secret|token|authorization|signature|cookie`)

// sensitiveJSONKey matches the JSON keys that hold a secret beyond those:
// Parameter Store's Value (a parameter's value, in PutParameter and in
// GetParameter's answer; a tag's value goes too). SecretId, a name or an
// ARN, is kept: it says which secret a call was for.
var (
	sensitiveJSONKey = regexp.MustCompile(`^"(?i:value)"`)
	keptJSONKey      = regexp.MustCompile(`^"(?i:secretid)"`)
)

// redactRequest removes secrets from a request body: a form (IAM, STS) or
// JSON (Secrets Manager, Parameter Store, Organizations).
func redactRequest(contentType, body string) string {
	if strings.Contains(contentType, "json") {
		return redactJSON(body)
	}
	return redactForm(body)
}

func formatHeaders(h http.Header) string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		v := strings.Join(h[k], ", ")
		if sensitiveName.MatchString(k) {
			v = redacted
		}
		fmt.Fprintf(&b, "  %s: %s\n", model.SafeText(k), model.SafeText(v))
	}
	return b.String()
}

// formatBody indents a body and makes each line safe to print: the log is text
// a person reads in a terminal, and the endpoint's text is untrusted.
func formatBody(body string) string {
	if body == "" {
		return ""
	}
	if len(body) > maxLoggedBody {
		body = body[:maxLoggedBody] + fmt.Sprintf(" … (%d bytes in all)", len(body))
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(body, "\r\n"), "\n") {
		b.WriteString("  | " + model.SafeText(strings.TrimSuffix(line, "\r")) + "\n")
	}
	return b.String()
}

// formParam is one name=value of a query string or form body.
var formParam = regexp.MustCompile(`(^|[&?])([^=&?]+)=([^&]*)`)

// redactForm blanks the values of sensitive parameters in a form body or query.
func redactForm(s string) string {
	return formParam.ReplaceAllStringFunc(s, func(p string) string {
		m := formParam.FindStringSubmatch(p)
		if sensitiveName.MatchString(m[2]) {
			return m[1] + m[2] + "=" + redacted
		}
		return p
	})
}

func redactURL(u string) string {
	base, query, ok := strings.Cut(u, "?")
	if !ok {
		return u
	}
	return base + "?" + redactForm(query)
}

// redactBody removes secrets from a response: XML elements (IAM, STS) and JSON
// string values (SSO, IMDS, Secrets Manager, Parameter Store) whose names are
// sensitive.
func redactBody(s string) string {
	return redactJSON(redactXML(s))
}

// xmlOpen matches an opening tag; the matching close is found by name below,
// since RE2 has no back-references.
var xmlOpen = regexp.MustCompile(`<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>`)

// redactXML replaces everything between a sensitive element's opening tag and
// its closing tag, CDATA and comments included, or to the end of the body when
// the closing tag is missing.
func redactXML(s string) string {
	var b strings.Builder
	for {
		loc := xmlOpen.FindStringSubmatchIndex(s)
		if loc == nil {
			b.WriteString(s)
			return b.String()
		}
		name, selfClosing := s[loc[2]:loc[3]], strings.HasSuffix(s[loc[0]:loc[1]], "/>")
		b.WriteString(s[:loc[1]])
		s = s[loc[1]:]
		if selfClosing || !sensitiveName.MatchString(name) {
			continue
		}
		end := strings.Index(s, "</"+name)
		if end < 0 {
			end = len(s)
		}
		b.WriteString(redacted)
		s = s[end:]
	}
}

// jsonSecret matches "name": "value" for a sensitive name.
var jsonSecret = regexp.MustCompile(`("[^"]*"\s*:\s*)"((?:[^"\\]|\\.)*)"`)

func redactJSON(s string) string {
	return jsonSecret.ReplaceAllStringFunc(s, func(p string) string {
		m := jsonSecret.FindStringSubmatch(p)
		if (sensitiveName.MatchString(m[1]) && !keptJSONKey.MatchString(m[1])) || sensitiveJSONKey.MatchString(m[1]) {
			return m[1] + `"` + redacted + `"`
		}
		return p
	})
}
