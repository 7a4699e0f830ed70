package awsclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"iamcreds/model"
)

// endless answers with status and a body without end (chunked), until the
// client goes away — or, so that a client without a limit fails the test
// rather than the machine, 256 MiB later, 16 times the limit; n counts the
// requests.
func endless(n *atomic.Int32, status int, contentType, head, unit string) http.HandlerFunc {
	chunk := []byte(strings.Repeat(unit, 64<<10/len(unit)))
	return func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("x-amzn-RequestId", "req-endless")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, head)
		for sent := 0; sent < 256<<20 && r.Context().Err() == nil; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

// A reply without end is an error naming the limit, found at the limit: the
// call neither waits for its time limit nor holds more than a few times 16 MiB,
// and is not tried again. The same for an error reply, a JSON reply of
// Organizations, and with the --debug log reading every body.
func TestEndlessReplyIsCutAtTheLimit(t *testing.T) {
	const users = `<Users><member><UserName>ana</UserName><UserId>AIDAANA</UserId></member></Users>`
	var n atomic.Int32
	cases := []struct {
		name  string
		fake  fakeIAM
		debug bool
		call  func(*Client) error
	}{
		{"200 to ListUsers", fakeIAM{"ListUsers": endless(&n, 200, "text/xml", "<ListUsersResponse><ListUsersResult>", users)}, false,
			func(c *Client) error { _, err := c.ListUsers(context.Background()); return err }},
		{"500 to ListUsers", fakeIAM{"ListUsers": endless(&n, 500, "text/xml", "<ErrorResponse><Error><Code>", "x")}, false,
			func(c *Client) error { _, err := c.ListUsers(context.Background()); return err }},
		{"200 to ListUsers, with the debug log", fakeIAM{"ListUsers": endless(&n, 200, "text/xml", "<ListUsersResponse><ListUsersResult>", users)}, true,
			func(c *Client) error { _, err := c.ListUsers(context.Background()); return err }},
		{"200 to a create", fakeIAM{"CreateServiceSpecificCredential": endless(&n, 200, "text/xml", "<CreateServiceSpecificCredentialResponse>", "<a>b</a>")}, false,
			func(c *Client) error {
				_, _, err := c.CreateCredential(context.Background(), "ana", model.CodeCommit, 0)
				return err
			}},
		{"200 to ListAccounts", fakeIAM{"ListAccounts": endless(&n, 200, "application/x-amz-json-1.1", `{"Accounts":[`, `{"Id":"123456789012","Name":"one"},`)}, false,
			func(c *Client) error { _, err := c.Org(OrgOptions{}).Accounts(context.Background()); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n.Store(0)
			var debugLog bytes.Buffer
			c := clientFor(t, tc.fake, func(cfg *Config) {
				cfg.ConnectTimeout, cfg.ReplyTimeout = time.Second, 2*time.Second
				if tc.debug {
					cfg.DebugLog = &debugLog
				}
			})
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := finishes(t, func() error { return tc.call(c) })
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "larger than 16 MiB") {
				t.Fatalf("got %v, want an error naming the limit", err)
			}
			var me *model.Error
			if !errors.As(err, &me) || !model.IsSafeText(me.Message) || !strings.Contains(me.Message, c.Endpoint()) {
				t.Fatalf("error %#v: want a model.Error naming the endpoint", err)
			}
			if tc.debug && !strings.Contains(debugLog.String(), "larger than 16 MiB") {
				t.Errorf("the debug log does not say why the reply was not read:\n%.2000s", debugLog.String())
			}
			if got := n.Load(); got != 1 {
				t.Errorf("%d requests: such a reply is not worth another attempt", got)
			}
			// Allocated during the call, all of it: a few copies of 16 MiB at most.
			// (Unbounded, the time limit alone ends it, gigabytes later.)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
				t.Errorf("the call allocated %d MiB", alloc>>20)
			}
		})
	}
}

// A reply of exactly the limit is read; one byte more is not.
func TestBoundedBodyAtTheLimit(t *testing.T) {
	for _, size := range []int{MaxReplySize, MaxReplySize + 1} {
		b := &boundedBody{body: io.NopCloser(bytes.NewReader(make([]byte, size))), left: MaxReplySize}
		got, err := io.ReadAll(b)
		var large *replyTooLarge
		switch {
		case size == MaxReplySize && (err != nil || len(got) != size):
			t.Errorf("%d bytes: read %d, %v", size, len(got), err)
		case size > MaxReplySize && (!errors.As(err, &large) || len(got) != MaxReplySize):
			t.Errorf("%d bytes: read %d, %v; want %d and the limit's error", size, len(got), err, MaxReplySize)
		}
	}
}
