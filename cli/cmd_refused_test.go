package cli

import (
	"net"
	"strings"
	"testing"
	"time"
)

// audit and rotate against a port nothing listens on report it in about a
// second, not after the retryer's six attempts (21-26 s).
func TestRefusedEndpointIsReportedQuickly(t *testing.T) {
	auditAWSEnv(t)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	for _, args := range [][]string{
		{"audit", "--endpoint-url", url},
		{"rotate", "--endpoint-url", url, "--user", "solo", "--service", "git"},
	} {
		start := time.Now()
		r := runCLI(args...)
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s took %s", args[0], took)
		}
		if r.code != exitFailed || !strings.Contains(r.stderr, "cannot reach "+url+": connection refused") {
			t.Errorf("%s: exit %d, stderr %q", args[0], r.code, r.stderr)
		}
	}
}
