package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// auditPageSize is IAM's largest page: at 5,000 users it turns 50 sequential
// ListUsers round trips into 5.
const auditPageSize = 1000

// auditFlags are audit's command line.
type auditFlags struct {
	awsFlags
	accounts      accountsFlags
	sortChanged   bool // --sort given: across accounts the default is account
	demo          bool
	format        model.ExportFormat
	maxAge        time.Duration
	service       string // raw IAM name, "" for all
	sort          model.SortKey
	flaggedOnly   bool
	failOnFlagged bool
}

// newAuditCmd is `iamcreds audit`: every credential with its risk flags.
func newAuditCmd(env cliEnv) *cobra.Command {
	var a auditFlags
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "print every credential with its risk flags, for scripts",
		Long: `iamcreds audit — every service-specific credential in the account with its risk
flags, for scripts and scheduled checks. Metadata only: never a password or API key.

It lists every service with AllUsers; where IAM refuses that, it lists users one
by one — at most --concurrency at a time, fewer while IAM throttles — showing
progress on stderr when it is a terminal.

With --org it reads every ACTIVE account of the organization instead: it lists
them with organizations:ListAccounts from the caller's account (the management
account or a delegated administrator), assumes --org-role in each member account
(--account-concurrency at a time) and reads each like one account. --profiles
a,b,c (or --all-profiles) does the same with one named profile per account. The
report gains the account; an account that could not be read is a row with the
reason, and the exit status is 5. Suspended accounts are skipped.

Users the console made (named BedrockAPIKey-…, AeaApiKey-…) follow the
credentials in every format, judged orphaned (no live credential left) or
at-risk (an access key, a console password or a policy beyond the service's,
named); only they cost the extra reads (ListAccessKeys, GetLoginProfile,
ListAttachedUserPolicies, ListUserPolicies, ListGroupsForUser).

Risk flags:
` + auditIndent(model.Legend(0)) + `
Exit status:
` + exitStatusHelp(),
		Example: `  iamcreds audit --profile prod
  iamcreds audit --format csv --max-age 180d > audit.csv
  iamcreds audit --service bedrock --flagged --format json
  iamcreds audit --fail-on-flagged --format csv > /dev/null || alert
  iamcreds audit --org --format csv > org-audit.csv
  iamcreds audit --org --accounts 111122223333,444455556666 --org-role AuditRole
  iamcreds audit --profiles prod,staging,dev --flagged`,
		Args:    noArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error { return a.accounts.check(cmd, a.profile, a.demo) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			a.sortChanged = cmd.Flags().Changed("sort")
			return runAudit(cmd.Context(), a, cmd.OutOrStdout(), cmd.ErrOrStderr(), env)
		},
	}
	fs := cmd.Flags()
	a.bind(fs)
	fs.BoolVar(&a.demo, "demo", false, "audit the built-in demo account (no AWS needed)")
	checkedVar(fs, &a.format, "format", model.FormatTable, "string", model.ParseExportFormat,
		func(f model.ExportFormat) string { return string(f) }, "output format: table, csv, json, jsonl (a credential a line) or markdown (a table for tickets)")
	maxAgeVar(fs, &a.maxAge, "flag Active credentials older than this as stale: days (90d) or a duration (720h)")
	checkedVar(fs, &a.service, "service", "", "string", parseService, func(s string) string { return s },
		"only this service: an IAM name (bedrock.amazonaws.com) or git, keyspaces, bedrock, logs, metrics, claude, xray")
	checkedVar(fs, &a.sort, "sort", model.SortUser, "string", model.ParseSortKey, model.SortKey.String,
		"sort by age (oldest first), user, service, status, expiry (soonest first) or account (the default across accounts)")
	fs.BoolVar(&a.flaggedOnly, "flagged", false, "only credentials with a risk flag")
	fs.BoolVar(&a.failOnFlagged, "fail-on-flagged", false, "exit 1 when any credential or console-made user in the report is flagged")
	a.accounts.bind(fs)
	return cmd
}

func parseService(s string) (string, error) {
	name, ok := model.ResolveService(s)
	if !ok {
		return "", errors.New("unknown service (an IAM service name, or git, keyspaces, bedrock, logs, metrics, claude, xray)")
	}
	return name, nil
}

// runAudit writes the report; with --fail-on-flagged a flagged row exits 1.
func runAudit(ctx context.Context, a auditFlags, stdout, stderr io.Writer, env cliEnv) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if a.accounts.on() {
		return runAuditAccounts(ctx, a, stdout, stderr, env)
	}
	rows, meta, err := loadAudit(ctx, a, stderr, env)
	if err != nil {
		return failed(err)
	}
	meta.Width = env.tableWidth(stdout)
	if err := model.WriteAuditReport(stdout, rows, a.format, meta); err != nil {
		return failed(fmt.Errorf("writing the report: %w", err))
	}
	if a.failOnFlagged && model.CountFlagged(rows)+model.CountFlaggedUsers(meta.Users) > 0 {
		return exitSilently(exitFlagged)
	}
	return nil
}

// loadAudit lists the credentials, computes their flags, and filters and sorts
// them. The account comes from STS, asked alongside the listing: a report that
// cannot say which account it covers is no report, so an STS failure fails the
// audit (exit 3) and stops the listing.
func loadAudit(ctx context.Context, a auditFlags, stderr io.Writer, env cliEnv) ([]model.AuditRow, model.AuditMeta, error) {
	var meta model.AuditMeta
	cfg, done, err := a.auditConfig(demoSeed)
	if err != nil {
		return nil, meta, err
	}
	defer done()
	cfg.ProcessStderr = stderr // a credential_process's prompt, as the AWS CLI shows it
	client, err := awsclient.New(ctx, cfg)
	if err != nil {
		return nil, meta, err
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	identity := make(chan error, 1)
	go func() {
		id, err := client.Identity(ctx)
		if err != nil {
			cancel()
		}
		meta.Account = id.Account
		identity <- err
	}()

	var progress model.ProgressFunc
	var p *progressLine
	if env.isTerminal(stderr) {
		p = &progressLine{w: stderr, what: "listing users one by one"}
		progress = p.update
	}
	// The user list, for the console-made users, comes alongside the
	// credentials; the per-user fallback, if IAM refuses AllUsers, uses it too.
	// What the console-made users hold is read as each page of the list comes
	// in, beside the rest: only their judgement waits for both.
	users, console := startConsoleRead(ctx, client, a.service)
	var inv model.Inventory
	if a.service != "" {
		inv.Credentials, err = client.ListAllCredentials(ctx, a.service, progress)
	} else {
		inv, err = client.InventoryWith(ctx, model.InventoryOptions{Progress: progress, CredentialsOnly: true, Users: users.get})
	}
	if p != nil {
		p.clear()
		if inv.PerUser {
			fmt.Fprintf(stderr, "iamcreds audit: IAM refused AllUsers listings; listed %d users one by one\n", len(inv.Users))
		}
	}
	switch idErr := <-identity; {
	case idErr == nil:
	case parent.Err() != nil: // interrupted: say that, not what it broke
		return nil, meta, parent.Err()
	default:
		return nil, meta, fmt.Errorf("cannot name the account the report covers (STS GetCallerIdentity): %w", idErr)
	}
	if err != nil {
		return nil, meta, err
	}
	if len(inv.Unscanned) > 0 {
		meta.UnscannedServices = inv.Unscanned
		warnUnscanned(stderr, inv.Unscanned)
	}
	meta.GeneratedAt, meta.MaxAge = env.now(), a.maxAge
	meta.Filter = model.AuditFilter{Service: a.service, FlaggedOnly: a.flaggedOnly}
	judged, warning, err := console().judge(inv.Credentials, meta.GeneratedAt)
	if err != nil {
		return nil, meta, err
	}
	usersWarning(stderr, warning)
	meta.Users = keepFlaggedUsers(judged, a.flaggedOnly)
	rows := model.BuildAudit(inv, meta.GeneratedAt, a.maxAge)
	rows = meta.Filter.AppendMatches(rows[:0], rows) // in place: the rows are ours
	model.SortAudit(rows, a.sort, false)
	return rows, meta, nil
}

// warnUnscanned says on stderr which services a user's own listing showed
// that the AllUsers scan lacks, and how to add them: their credentials are in
// this report, but a scan IAM does not refuse would have missed them.
func warnUnscanned(stderr io.Writer, names []string) {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	fmt.Fprintf(stderr, "iamcreds audit: warning: IAM listed credentials of %s, which the scan does not list: "+
		"this report has them from per-user listings, an AllUsers scan would miss them; "+
		"add --extra-services %s or services = [%s] in config.toml\n",
		model.SafeText(strings.Join(names, ", ")), model.SafeText(strings.Join(names, ",")), model.SafeText(strings.Join(quoted, ", ")))
}

// auditConfig is the client's configuration for an audit: read-only, IAM's
// largest pages, the --debug log open, and with --demo the demo endpoint of
// seed started. done closes and stops them.
func (a *auditFlags) auditConfig(seed string) (cfg awsclient.Config, done func(), err error) {
	if !a.demo {
		seed = ""
	}
	cfg, done, err = a.clientConfig(seed)
	cfg.ReadOnly = true // an audit never changes anything
	cfg.PageSize = auditPageSize
	return cfg, done, err
}

// progressLine shows the per-user scan (or the accounts read) on one terminal
// line, at most ten times a second; the AllUsers path reports only its end and
// so prints nothing.
type progressLine struct {
	w       io.Writer
	what    string // "listing users one by one"
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
	fmt.Fprintf(p.w, "\r\x1b[Kiamcreds audit: %s: %d of %d", p.what, done, total)
}

func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
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
