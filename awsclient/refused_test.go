package awsclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// closedURL is a loopback URL nothing listens on: connections are refused.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}

// countingClient counts the requests it sends.
type countingClient struct {
	next aws.HTTPClient
	n    atomic.Int32
}

func (c *countingClient) Do(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.Do(r)
}

// A refused connection is tried twice more, quickly, whatever the retryer's
// attempts and backoff: not six attempts over 20 s.
func TestRefusedConnectionIsTriedTwiceMoreQuickly(t *testing.T) {
	isolateAWSEnv(t, "")
	t.Setenv("AWS_CA_BUNDLE", "") // a custom HTTPClient cannot take it
	hc := &countingClient{next: httpClient(time.Second, time.Second)}
	c, err := New(context.Background(), Config{EndpointURL: closedURL(t), StaticCredentials: testCreds, HTTPClient: hc,
		MaxAttempts: DefaultMaxAttempts, MaxBackoff: DefaultMaxBackoff})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.ListUsers(context.Background())
	took := time.Since(start)
	if !errors.Is(err, model.ErrUnreachable) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("got %v", err)
	}
	if n := hc.n.Load(); n != 1+refusedRetries {
		t.Errorf("%d attempts, want %d", n, 1+refusedRetries)
	}
	if took > 2*time.Second {
		t.Errorf("a refused endpoint took %s to report", took)
	}
}

// An endpoint that refuses once, as one restarting would, is still reached.
func TestRefusedOnceIsRetried(t *testing.T) {
	t.Setenv("AWS_CA_BUNDLE", "")
	srv, err := localiam.New(localiam.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cnt := &counter{next: srv, n: map[string]int{}}
	refuse := &refuseFirst{next: httpClient(time.Second, time.Second), action: "ListUsers"}
	c := clientFor(t, cnt, func(cfg *Config) { cfg.HTTPClient = refuse })
	if _, err := c.ListUsers(context.Background()); err != nil || !refuse.done.Load() {
		t.Fatalf("a listing whose first connection was refused: %v (refused: %v)", err, refuse.done.Load())
	}
}

// A failed STS call names STS's host, not IAM's.
func TestSTSErrorNamesTheHostCalled(t *testing.T) {
	isolateAWSEnv(t, "")
	_, iamURL := serveLocalIAM(t, localiam.Config{}, nil)
	stsURL := closedURL(t)
	t.Setenv("AWS_ENDPOINT_URL_IAM", iamURL)
	t.Setenv("AWS_ENDPOINT_URL_STS", stsURL)
	c, err := New(context.Background(), Config{StaticCredentials: testCreds, Region: "us-east-1", MaxBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint() != iamURL {
		t.Fatalf("IAM resolved to %q, want %q", c.Endpoint(), iamURL)
	}
	if _, err := c.ListUsers(context.Background()); err != nil {
		t.Fatalf("IAM: %v", err)
	}
	_, err = c.Identity(context.Background())
	if err == nil || !strings.Contains(err.Error(), "cannot reach "+stsURL) || strings.Contains(err.Error(), iamURL) {
		t.Fatalf("STS refused: %v; want it to name %s, not %s", err, stsURL, iamURL)
	}
}
