package uitest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
)

// Endpoint is a local IAM endpoint served over HTTP on loopback, with the real
// client talking to it.
type Endpoint struct {
	Server *localiam.Server
	URL    string
	Client *awsclient.Client
	close  func()
}

// EndpointConfig says what the endpoint holds and how the client behaves.
type EndpointConfig struct {
	Seed     string           // a localiam seed: demo, empty, scale:N…
	Now      func() time.Time // the endpoint's clock, which the seed's dates follow
	Faults   localiam.Faults
	ReadOnly bool // the client refuses every write
	// Hostile serves the endpoint through HostileHandler: control and bidi
	// characters in every name, id, message, request id and secret it returns.
	Hostile bool
	// Wrap, when set, wraps the endpoint's handler (the hostile one too): a
	// test's own replies to some requests.
	Wrap func(http.Handler) http.Handler
	// ExtraServices are services the endpoint accepts that the client's
	// catalog lacks (localiam.Config.ExtraServices).
	ExtraServices []string
}

// NewEndpoint starts an endpoint. The client retries once, with a short backoff,
// so that an injected fault shows at once.
func NewEndpoint(c EndpointConfig) (*Endpoint, error) {
	srv, err := localiam.New(localiam.Config{Seed: c.Seed, Now: c.Now, Faults: c.Faults, ExtraServices: c.ExtraServices})
	if err != nil {
		return nil, err
	}
	var h http.Handler = srv
	if c.Hostile {
		h = HostileHandler(srv)
	}
	if c.Wrap != nil {
		h = c.Wrap(h)
	}
	hs := httptest.NewServer(h)
	e := &Endpoint{Server: srv, URL: hs.URL, close: func() { hs.Close(); srv.Close() }}
	e.Client, err = awsclient.New(context.Background(), awsclient.Config{
		EndpointURL:       hs.URL,
		Region:            "us-east-1",
		StaticCredentials: &aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "test"},
		ReadOnly:          c.ReadOnly,
		NoSharedFiles:     true, // nothing of the shell's AWS profile (go run ./screenshots)
		MaxAttempts:       2,
		MaxBackoff:        5 * time.Millisecond,
	})
	if err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// Close stops the server.
func (e *Endpoint) Close() { e.close() }

// Clipboard is a system clipboard in memory (a clipboard.Backend), so that a
// test can read what was copied and nothing reaches the machine's clipboard.
type Clipboard struct {
	mu   sync.Mutex
	text string
}

func (c *Clipboard) WriteAll(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.text = s
	return nil
}

func (c *Clipboard) ReadAll() (string, error) { return c.Text(), nil }

// Text is what the clipboard holds.
func (c *Clipboard) Text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text
}
