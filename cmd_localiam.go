package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"iamcreds/awsclient/localiam"
)

// runLocalIAM is `iamcreds local-iam`: a local IAM endpoint for demos and tests.
// It returns the exit code: 0 after SIGINT/SIGTERM, 2 for bad usage, 1 otherwise.
func runLocalIAM(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveLocalIAM(ctx, args, stdout, stderr)
}

type localIAMOptions struct {
	addr        string
	allowRemote bool
	cfg         localiam.Config
}

func parseLocalIAMFlags(args []string, stderr io.Writer) (localIAMOptions, int) {
	var o localIAMOptions
	fs := flag.NewFlagSet("iamcreds local-iam", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: iamcreds local-iam [flags]

Serves a local, in-memory endpoint compatible with the parts of IAM (and STS
GetCallerIdentity) that iamcreds uses. Point a client at it with
  AWS_ENDPOINT_URL=http://127.0.0.1:4599 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x
It has no authentication; it listens on loopback unless --allow-remote.

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(stderr, `
Examples:
  iamcreds local-iam --seed demo
  iamcreds local-iam --seed scale:5000 --addr 127.0.0.1:0
  iamcreds local-iam --state iam-state.json --throttle-rate 0.2 --latency 50ms
  iamcreds local-iam --deny ListServiceSpecificCredentials:AllUsers
`)
	}
	var deny string
	fs.StringVar(&o.addr, "addr", "127.0.0.1:4599", "`host:port` to listen on (port 0 picks a free port)")
	fs.StringVar(&o.cfg.Seed, "seed", "empty", "initial state: empty, demo, scale:N, or a JSON seed `file`")
	fs.StringVar(&o.cfg.AccountID, "account-id", "", "12-digit account `ID` (default 123456789012, or the seed's/state's)")
	fs.DurationVar(&o.cfg.Faults.Latency, "latency", 0, "added to every request")
	fs.DurationVar(&o.cfg.Faults.Jitter, "jitter", 0, "random extra latency, up to this")
	fs.Float64Var(&o.cfg.Faults.ThrottleRate, "throttle-rate", 0, "fraction (0-1) of requests answered 400 Throttling")
	fs.Float64Var(&o.cfg.Faults.FailRate, "fail-rate", 0, "fraction (0-1) of requests answered 500 ServiceFailure")
	fs.StringVar(&deny, "deny", "", "comma-separated `actions` answered 403 AccessDenied (Action or ListServiceSpecificCredentials:AllUsers)")
	fs.StringVar(&o.cfg.StatePath, "state", "", "JSON `file` to load at start (if it exists) and save after every change")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, 0
		}
		return o, 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "local-iam: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return o, 2
	}
	for _, d := range strings.Split(deny, ",") {
		if d = strings.TrimSpace(d); d != "" {
			o.cfg.Faults.Deny = append(o.cfg.Faults.Deny, d)
		}
	}
	if err := o.cfg.Faults.Validate(); err != nil {
		fmt.Fprintf(stderr, "local-iam: %v\n", err)
		return o, 2
	}
	return o, -1
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

func serveLocalIAM(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseLocalIAMFlags(args, stderr)
	if code >= 0 {
		return code
	}
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		fmt.Fprintf(stderr, "local-iam: --addr %q: %v\n", o.addr, err)
		return 2
	}
	if !isLoopback(host) {
		if !o.allowRemote {
			fmt.Fprintf(stderr, "local-iam: %s is not a loopback address; the endpoint has no authentication, so pass --allow-remote to expose it anyway\n", o.addr)
			return 2
		}
		fmt.Fprintf(stderr, "local-iam: WARNING: listening on %s without authentication: anyone who can reach it can read and change its users and credentials\n", o.addr)
	}
	o.cfg.Logf = func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	srv, err := localiam.New(o.cfg)
	if err != nil {
		fmt.Fprintf(stderr, "local-iam: %v\n", err)
		return 1
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintf(stderr, "local-iam: %v\n", err)
		_ = srv.Close()
		return 1
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	// Scripts and tests read this line to find the port; keep its format.
	fmt.Fprintf(stdout, "listening on http://%s\n", listenAddr(host, ln.Addr()))

	code = 0
	select {
	case <-ctx.Done():
	case err := <-served:
		fmt.Fprintf(stderr, "local-iam: %v\n", err)
		code = 1
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "local-iam: shutdown: %v\n", err)
	}
	if err := srv.Close(); err != nil { // flushes the state file
		fmt.Fprintf(stderr, "local-iam: %v\n", err)
		code = 1
	}
	return code
}
