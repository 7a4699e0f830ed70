package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// Exit codes of iamcreds audit.
const (
	auditOK      = 0
	auditFlagged = 1 // --fail-on-flagged and something is flagged
	auditUsage   = 2
	auditFailed  = 3 // IAM, AWS credentials, the endpoint, or writing the report
)

// auditPageSize is IAM's largest page: at 5,000 users it turns 50 sequential
// ListUsers round trips into 5.
const auditPageSize = 1000

// auditEnv is what the command takes from its surroundings, so tests can fix it.
type auditEnv struct {
	now        func() time.Time
	isTerminal func(w io.Writer) bool
}

func runAudit(args []string, stdout, stderr io.Writer) int {
	return auditMain(args, stdout, stderr, auditEnv{now: time.Now, isTerminal: writerIsTerminal})
}

func writerIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// auditFlags are the parsed command line.
type auditFlags struct {
	options
	format        model.ExportFormat
	maxAge        time.Duration
	service       string // raw IAM name, "" for all
	sort          model.SortKey
	flaggedOnly   bool
	failOnFlagged bool
}

func parseAuditFlags(args []string, stdout, stderr io.Writer) (auditFlags, int, bool) {
	var (
		a                       auditFlags
		format, maxAge, service string
		sortBy                  string
	)
	fs := flag.NewFlagSet("iamcreds audit", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a.bindAWS(fs)
	fs.BoolVar(&a.demo, "demo", false, "audit the built-in demo account (no AWS needed)")
	fs.StringVar(&format, "format", "table", "output format: table, csv or json")
	fs.StringVar(&maxAge, "max-age", "90d", "flag Active credentials older than this as stale: days (90d) or a duration (720h)")
	fs.StringVar(&service, "service", "", "only this service: an IAM name (bedrock.amazonaws.com) or git, codecommit, keyspaces, bedrock, logs")
	fs.StringVar(&sortBy, "sort", "user", "sort by age (oldest first), user, service, status or expiry (soonest first)")
	fs.BoolVar(&a.flaggedOnly, "flagged", false, "only credentials with a risk flag")
	fs.BoolVar(&a.failOnFlagged, "fail-on-flagged", false, "exit 1 when any credential in the report is flagged")
	fs.BoolVar(&a.help, "help", false, "show this help")
	fs.BoolVar(&a.help, "h", false, "show this help")
	usageErr := func(format string, args ...any) (auditFlags, int, bool) {
		fmt.Fprintf(stderr, "iamcreds audit: "+format+"\nRun iamcreds audit --help for the flags.\n", args...)
		return a, auditUsage, false
	}
	if err := fs.Parse(args); err != nil {
		return usageErr("%v", err)
	}
	if a.help {
		auditUsageText(stdout, fs)
		return a, auditOK, false
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if a.format, err = model.ParseExportFormat(format); err != nil {
		return usageErr("--format: %v", err)
	}
	if a.maxAge, err = parseMaxAge(maxAge); err != nil {
		return usageErr("--max-age: %v", err)
	}
	if a.sort, err = model.ParseSortKey(sortBy); err != nil {
		return usageErr("--sort: %v", err)
	}
	if service != "" {
		var ok bool
		if a.service, ok = model.ResolveService(service); !ok {
			return usageErr("--service: unknown service %q (an IAM service name, or git, codecommit, keyspaces, bedrock, logs)", service)
		}
	}
	if a.concurrency < 1 {
		return usageErr("--concurrency must be at least 1")
	}
	return a, auditOK, true
}

// parseMaxAge reads whole days ("90d") or a Go duration ("720h").
func parseMaxAge(s string) (time.Duration, error) {
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n > 100_000 {
			return 0, fmt.Errorf("%q is not a number of days like 90d", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is neither days (90d) nor a duration (720h)", s)
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be more than zero", s)
	}
	return d, nil
}

func auditMain(args []string, stdout, stderr io.Writer, env auditEnv) int {
	a, code, ok := parseAuditFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rows, err := loadAudit(ctx, a, stderr, env)
	if err != nil {
		fmt.Fprintf(stderr, "iamcreds audit: %v\n", err)
		return auditFailed
	}
	out := bufio.NewWriter(stdout)
	err = model.WriteAudit(out, rows, env.now(), a.format)
	if err == nil && a.format == model.FormatTable {
		err = writeAuditFooter(out, rows, a.maxAge)
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamcreds audit: writing the report: %v\n", err)
		return auditFailed
	}
	if a.failOnFlagged && model.CountFlagged(rows) > 0 {
		return auditFlagged
	}
	return auditOK
}

// loadAudit lists the credentials, computes their flags, and filters and sorts them.
func loadAudit(ctx context.Context, a auditFlags, stderr io.Writer, env auditEnv) ([]model.AuditRow, error) {
	cfg := a.awsConfig()
	cfg.ReadOnly = true // an audit never changes anything
	cfg.PageSize = auditPageSize
	if a.demo {
		stop, url, err := startDemoEndpoint()
		if err != nil {
			return nil, err
		}
		defer stop()
		cfg = demoConfig(cfg, url)
	}
	client, err := awsclient.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var progress model.ProgressFunc
	var p *progressLine
	if env.isTerminal(stderr) {
		p = &progressLine{w: stderr}
		progress = p.update
	}
	var inv model.Inventory
	if a.service != "" {
		inv.Credentials, err = client.ListAllCredentials(ctx, a.service, progress)
	} else {
		inv, err = client.Inventory(ctx, progress)
	}
	if p != nil {
		p.clear()
		if inv.PerUser {
			fmt.Fprintf(stderr, "iamcreds audit: IAM refused AllUsers listings; listed %d users one by one\n", len(inv.Users))
		}
	}
	if err != nil {
		return nil, err
	}
	rows := model.BuildAudit(inv, env.now(), a.maxAge)
	rows = model.AuditFilter{Service: a.service, FlaggedOnly: a.flaggedOnly}.Apply(rows)
	model.SortAudit(rows, a.sort, false)
	return rows, nil
}

// writeAuditFooter ends the table with counts and the legend, for a person reading it.
func writeAuditFooter(w io.Writer, rows []model.AuditRow, maxAge time.Duration) error {
	users := map[string]bool{}
	for _, r := range rows {
		users[r.UserName] = true
	}
	_, err := fmt.Fprintf(w, "\n%d credentials of %d users, %d flagged.\n\n%s",
		len(rows), len(users), model.CountFlagged(rows), model.Legend(maxAge))
	return err
}

// progressLine shows the per-user scan on one terminal line, at most ten times a
// second; the AllUsers path reports only its end and so prints nothing.
type progressLine struct {
	w       io.Writer
	mu      sync.Mutex
	last    time.Time
	printed bool
}

func (p *progressLine) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if done >= total || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.printed = true
	fmt.Fprintf(p.w, "\r\x1b[Kiamcreds audit: listing users one by one: %d of %d", done, total)
}

func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func auditUsageText(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `iamcreds audit — every service-specific credential in the account with its risk
flags, for scripts and scheduled checks. Metadata only: never a password or API key.

Usage:
  iamcreds audit [flags]

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprint(w, `
Risk flags:
`+auditIndent(model.Legend(0))+`
Exit status:
  0  the report was written (and, with --fail-on-flagged, nothing is flagged)
  1  --fail-on-flagged and at least one credential in the report is flagged
  2  bad flags or arguments
  3  the report could not be made: IAM or STS refused or failed, AWS credentials
     are missing, the endpoint is unreachable, or stdout could not be written

It lists every service with AllUsers; where IAM refuses that, it lists users one
by one (--concurrency at a time), showing progress on stderr when it is a terminal.

Examples:
  iamcreds audit --profile prod
  iamcreds audit --format csv --max-age 180d > audit.csv
  iamcreds audit --service bedrock --flagged --format json
  iamcreds audit --fail-on-flagged --format csv > /dev/null || alert
`)
}

func auditIndent(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "")
}
