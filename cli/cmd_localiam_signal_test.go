//go:build unix

package cli

import (
	"context"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestLocalIAMSignal(t *testing.T) {
	endpoint, exit, stderr := startLocalIAM(t, localIAM(context.Background()), "--addr", "127.0.0.1:0", "--deny", "ListUsers", "--fail-rate", "0")
	if status, body := post(t, endpoint, url.Values{"Action": {"ListUsers"}}); status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Fatalf("--deny: %d %s", status, body)
	}
	// local-iam has registered for the signal, so it goes to it, not to the test process.
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, exit); code != 0 {
		t.Fatalf("exit %d after SIGTERM; stderr:\n%s", code, stderr.String())
	}
}
