package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"iamcreds/awsclient/localiam"
)

// localIAMFlags are local-iam's command line.
type localIAMFlags struct {
	addr        string
	allowRemote bool
	deny        string // comma-separated, into cfg.Faults.Deny
	dropReply   string // Action[:N],…, into cfg.Faults.DropReply
	cfg         localiam.Config
}

// newLocalIAMCmd is `iamcreds local-iam`: a local IAM endpoint for demos and
// tests. It serves until SIGINT or SIGTERM, then exits 0.
func newLocalIAMCmd() *cobra.Command {
	var o localIAMFlags
	cmd := &cobra.Command{
		Use:   "local-iam",
		Short: "run the local IAM-compatible endpoint on its own",
		Long: `iamcreds local-iam — a local, in-memory endpoint compatible with the parts of IAM
(and STS GetCallerIdentity) that iamcreds uses. Point a client at it with
  AWS_ENDPOINT_URL=http://127.0.0.1:4599 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x
It has no authentication; it listens on loopback unless --allow-remote. Its first
line on stdout is "listening on http://HOST:PORT".`,
		Example: `  iamcreds local-iam --seed demo
  iamcreds local-iam --seed scale:5000 --addr 127.0.0.1:0
  iamcreds local-iam --state iam-state.json --throttle-rate 0.2 --latency 50ms
  iamcreds local-iam --deny ListServiceSpecificCredentials:AllUsers
  iamcreds local-iam --seed demo --drop-reply CreateServiceSpecificCredential:1`,
		Args:    noArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error { return o.check(cmd) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serveLocalIAM(ctx, cmd, o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.addr, "addr", "127.0.0.1:4599", "`host:port` to listen on (port 0 picks a free port)")
	fs.StringVar(&o.cfg.Seed, "seed", "empty", "initial state: empty, demo, scale:N, or a JSON seed `file`")
	fs.StringVar(&o.cfg.AccountID, "account-id", "", "12-digit account `ID` (default 123456789012, or the seed's/state's)")
	durationVar(fs, &o.cfg.Faults.Latency, "latency", 0, "added to every request")
	durationVar(fs, &o.cfg.Faults.Jitter, "jitter", 0, "random extra latency, up to this")
	fs.Float64Var(&o.cfg.Faults.ThrottleRate, "throttle-rate", 0, "fraction (0-1) of requests answered 400 Throttling")
	fs.Float64Var(&o.cfg.Faults.FailRate, "fail-rate", 0, "fraction (0-1) of requests answered 500 ServiceFailure")
	fs.StringVar(&o.dropReply, "drop-reply", "", "comma-separated `Action[:N]`: run the first N calls to Action (every call without :N), then close the connection without a reply")
	fs.Float64Var(&o.cfg.Faults.DropRate, "drop-rate", 0, "fraction (0-1) of requests run, then left without a reply (the connection closed)")
	fs.StringVar(&o.deny, "deny", "", "comma-separated `actions` answered 403 AccessDenied (Action or ListServiceSpecificCredentials:AllUsers)")
	fs.StringVar(&o.cfg.StatePath, "state", "", "JSON `file` to load at start (if it exists) and save after every change")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	return cmd
}

// check refuses, before anything listens, what the flags cannot mean.
func (o *localIAMFlags) check(cmd *cobra.Command) error {
	for _, d := range strings.Split(o.deny, ",") {
		if d = strings.TrimSpace(d); d != "" {
			o.cfg.Faults.Deny = append(o.cfg.Faults.Deny, d)
		}
	}
	drops, err := localiam.ParseDropReply(o.dropReply)
	if err != nil {
		return usageErrorf(cmd, "--%w", err)
	}
	if len(drops) > 0 {
		o.cfg.Faults.DropReply = drops
	}
	if err := o.cfg.Faults.Validate(); err != nil {
		return usageError(cmd, err)
	}
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return usageErrorf(cmd, "--addr %q: %v", o.addr, err)
	}
	if !isLoopback(host) && !o.allowRemote {
		return usageErrorf(cmd, "%s is not a loopback address; the endpoint has no authentication, so pass --allow-remote to expose it anyway", o.addr)
	}
	return nil
}

// isLoopback reports whether host (of host:port) can only be reached locally.
// An empty host means every interface.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// listenAddr is the bound address to announce: the real port, and the host as
// requested when the socket is bound to every interface (rather than "[::]").
func listenAddr(requestedHost string, bound net.Addr) string {
	tcp, ok := bound.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return bound.String()
	}
	if requestedHost == "" {
		requestedHost = "0.0.0.0"
	}
	return net.JoinHostPort(strings.Trim(requestedHost, "[]"), strconv.Itoa(tcp.Port))
}

// serveLocalIAM serves until ctx ends. A seed, state or account ID the endpoint
// cannot start from is a usage error: they are all flag values.
func serveLocalIAM(ctx context.Context, cmd *cobra.Command, o localIAMFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	host, _, _ := net.SplitHostPort(o.addr) // checked by check
	if !isLoopback(host) {
		fmt.Fprintf(stderr, "%s: WARNING: listening on %s without authentication: anyone who can reach it can read and change its users and credentials\n", cmd.CommandPath(), o.addr)
	}
	o.cfg.Logf = func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	srv, err := localiam.New(o.cfg)
	if err != nil {
		return usageError(cmd, err)
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		_ = srv.Close()
		return failed(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	// Scripts and tests read this line to find the port; keep its format.
	fmt.Fprintf(stdout, "listening on http://%s\n", listenAddr(host, ln.Addr()))

	var errs []error
	select {
	case <-ctx.Done():
	case err := <-served:
		errs = append(errs, err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "%s: shutdown: %v\n", cmd.CommandPath(), err)
	}
	if err := srv.Close(); err != nil { // flushes the state file
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return failed(err)
	}
	return nil
}
