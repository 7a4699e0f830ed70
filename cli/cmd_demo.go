package cli

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
)

// demoConfig points the client at the in-process demo endpoint with dummy keys,
// so that no AWS profile or environment can leak into the demo.
func demoConfig(cfg awsclient.Config, url string) awsclient.Config {
	cfg.Profile = ""
	cfg.NoSharedFiles = true
	cfg.EndpointURL = url
	cfg.Region = "us-east-1"
	cfg.StaticCredentials = &aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "demo", Source: "iamcreds demo"}
	return cfg
}

// The demo's seeds: one account (--demo), or an organization of the demo
// account and its members (--demo --org).
const (
	demoSeed    = "demo"
	demoOrgSeed = "org:demo"
)

// clientConfig is the client's configuration from the flags, with the --debug
// log open and, when demoSeed is not "", the demo endpoint of that seed
// started and pointed at. done closes and stops them. One place for the
// commands that take --demo (audit, whois, scan).
func (a *awsFlags) clientConfig(demoSeed string) (cfg awsclient.Config, done func(), err error) {
	debugLog, err := a.openDebugLog()
	if err != nil {
		return cfg, nil, err
	}
	cfg = a.config()
	if demoSeed == "" {
		return cfg, func() { debugLog.Close() }, nil
	}
	stop, url, err := startDemoEndpoint(demoSeed)
	if err != nil {
		debugLog.Close()
		return cfg, nil, err
	}
	return demoConfig(cfg, url), func() { stop(); debugLog.Close() }, nil
}

// startDemoEndpoint serves seed (demoSeed or demoOrgSeed) on a free loopback port.
func startDemoEndpoint(seed string) (stop func(), url string, err error) {
	srv, err := localiam.New(localiam.Config{Seed: seed})
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "iamcreds: demo endpoint:", err)
		}
	}()
	return func() { hs.Close(); srv.Close() }, "http://" + ln.Addr().String(), nil
}

// demoSeed is the seed --demo serves: the organization's with --org, the one
// account's otherwise; "" without --demo.
func (a accountsFlags) demoSeed(demo bool) string {
	switch {
	case !demo:
		return ""
	case a.org:
		return demoOrgSeed
	}
	return demoSeed
}
