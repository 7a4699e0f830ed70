package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
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
	dropRequest string // Action[:N],…, into cfg.Faults.DropRequest
	denyAssume  []string
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
line on stdout is "listening on http://HOST:PORT".

It plays an organization too, answering Organizations ListAccounts and STS
AssumeRole on the same address:
  --seed org:demo             the demo account as management account, three
                              readable members, one without the member role,
                              one SUSPENDED
  --seed org:ACCOUNTSxUSERS   ACCOUNTS accounts (the management account first,
                              members 210000000001, …) of USERS users each,
                              e.g. org:20x500; every 20th member and the last
                              are SUSPENDED
IAM and STS calls act for the account whose access key ID signed them; any key
it does not know signs as the management account. On startup it prints, after
the "listening on" line, each account's access key ID (any secret key goes with
it), so that a named profile can sign in to one account:
  [profile prod]
  aws_access_key_id = AKIA…   (Production's, from the list)
  aws_secret_access_key = x

It plays Secrets Manager (CreateSecret, DescribeSecret, GetSecretValue,
PutSecretValue, UpdateSecretVersionStage, ListSecretVersionIds, DeleteSecret,
RestoreSecret) and Parameter Store (PutParameter, GetParameter,
DeleteParameter) too, per account and region, for delivery targets; --deny,
--drop-reply and --drop-request take their actions (secretsmanager:PutSecretValue,
ssm:PutParameter, …). Their values live in memory only, never in --state. The
demo seeds have a secret demo/ci-git and a parameter /demo/ci/git-password in
us-east-1.`,
		Example: `  iamcreds local-iam --seed demo
  iamcreds local-iam --seed scale:5000 --addr 127.0.0.1:0
  iamcreds local-iam --state iam-state.json --throttle-rate 0.2 --latency 50ms
  iamcreds local-iam --deny ListServiceSpecificCredentials:AllUsers
  iamcreds local-iam --seed scale:5000 --latency 20ms --rate 400/s --burst 50
  iamcreds local-iam --seed demo --drop-reply CreateServiceSpecificCredential:1
  iamcreds local-iam --seed org:20x500 --latency 20ms
  iamcreds local-iam --seed org:demo --deny-assume 111122223333
  iamcreds local-iam --seed demo --deny secretsmanager:PutSecretValue`,
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
	fs.StringVar(&o.cfg.Seed, "seed", "empty", "initial state: empty, demo, scale:N, org:demo, org:ACCOUNTSxUSERS, or a JSON seed `file`")
	fs.StringVar(&o.cfg.AccountID, "account-id", "", "12-digit account `ID` (default 123456789012, or the seed's/state's)")
	durationVar(fs, &o.cfg.Faults.Latency, "latency", 0, "added to every request")
	durationVar(fs, &o.cfg.Faults.Jitter, "jitter", 0, "random extra latency, up to this")
	fs.Float64Var(&o.cfg.Faults.ThrottleRate, "throttle-rate", 0, "fraction (0-1) of requests answered 400 Throttling, at random")
	checkedVar(fs, &o.cfg.Faults.Rate, "rate", 0, "N/s", parseRate, formatRate,
		"limit each account's IAM requests to N a second, as IAM does (a token bucket): beyond it, 400 Throttling")
	fs.IntVar(&o.cfg.Faults.Burst, "burst", 0, "requests --rate lets through at once after a pause (default: one second's worth)")
	fs.Float64Var(&o.cfg.Faults.FailRate, "fail-rate", 0, "fraction (0-1) of requests answered 500 ServiceFailure")
	fs.StringVar(&o.dropReply, "drop-reply", "", "comma-separated `Action[:N]`: run the first N calls to Action (every call without :N), then close the connection without a reply")
	fs.StringVar(&o.dropRequest, "drop-request", "", "comma-separated `Action[:N]`: close the connection of the first N calls to Action (every call without :N) before they are handled: nothing changes")
	fs.Float64Var(&o.cfg.Faults.DropRate, "drop-rate", 0, "fraction (0-1) of requests run, then left without a reply (the connection closed)")
	fs.StringVar(&o.deny, "deny", "", "comma-separated `actions` answered AccessDenied (Action, secretsmanager:Action, ssm:Action, or ListServiceSpecificCredentials:AllUsers)")
	checkedVar(fs, &o.denyAssume, "deny-assume", nil, "ids", parseAccountIDs, joinComma,
		"with an org: seed, answer sts:AssumeRole into these comma-separated accounts 403 AccessDenied (as a trust policy or an SCP would)")
	fs.StringVar(&o.cfg.MemberRole, "member-role", localiam.DefaultMemberRole, "with an org: seed, the `role` every member account has for sts:AssumeRole")
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
	if drops, err = localiam.ParseDropRequest(o.dropRequest); err != nil {
		return usageErrorf(cmd, "--%w", err)
	}
	if len(drops) > 0 {
		o.cfg.Faults.DropRequest = drops
	}
	o.cfg.Faults.DenyAssume = o.denyAssume
	if err := o.cfg.Faults.Validate(); err != nil {
		return usageError(cmd, err)
	}
	isOrg := strings.HasPrefix(o.cfg.Seed, "org:")
	for _, name := range []string{"deny-assume", "member-role"} {
		if cmd.Flags().Changed(name) && !isOrg {
			return usageErrorf(cmd, "--%s needs an organization: --seed org:demo or org:ACCOUNTSxUSERS", name)
		}
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

// parseRate reads a request rate: "400/s", "400" (a second) or "6000/m".
func parseRate(s string) (float64, error) {
	num, per := s, 1.0
	if n, ok := strings.CutSuffix(s, "/s"); ok {
		num = n
	} else if n, ok := strings.CutSuffix(s, "/m"); ok {
		num, per = n, 60
	}
	r, err := strconv.ParseFloat(num, 64)
	if err != nil || !(r >= 0) {
		return 0, errors.New("not a rate such as 400/s or 6000/m")
	}
	return r / per, nil
}

func formatRate(r float64) string {
	if r == 0 {
		return "0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64) + "/s"
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
	if err := checkDenyAssume(srv.Accounts(), o.denyAssume); err != nil {
		_ = srv.Close()
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
	printAccounts(stdout, srv.Accounts())

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

// checkDenyAssume refuses a --deny-assume ID that is no account of the organization.
func checkDenyAssume(accounts []localiam.AccountInfo, ids []string) error {
	for _, id := range ids {
		known := false
		for _, a := range accounts {
			known = known || a.ID == id
		}
		if !known {
			return fmt.Errorf("--deny-assume %s: no account of the organization has this ID", id)
		}
	}
	return nil
}

// printAccounts lists an organization's accounts after the "listening on" line:
// each one's access key ID, which signs as that account with any secret key,
// so that people can make a named profile per account. One account prints nothing.
func printAccounts(w io.Writer, accounts []localiam.AccountInfo) {
	if len(accounts) < 2 {
		return
	}
	fmt.Fprintf(w, "organization of %d accounts; each access key ID signs as its account, with any secret key:\n", len(accounts))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ACCOUNT\tACCESS KEY ID\tSTATUS\tASSUMABLE ROLE\tNAME")
	for _, a := range accounts {
		role, name := "-", a.Name
		if len(a.Roles) > 0 {
			role = strings.Join(a.Roles, ",")
		}
		if a.Management {
			name += " (management account)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", a.ID, a.AccessKeyID, a.Status, role, name)
	}
	tw.Flush()
}
