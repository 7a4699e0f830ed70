package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"iamcreds/model"
)

// runAuditAccounts is audit across accounts (--org, --profiles, --all-profiles):
// every account read, the rows of all in one report with their account, a row
// for each account that could not be read, and exit 5 if there was one.
func runAuditAccounts(ctx context.Context, a auditFlags, stdout, stderr io.Writer, env cliEnv) error {
	now := env.now()
	results, users, across, err := scanAuditAccounts(ctx, a, stderr, env, now)
	if err != nil {
		return failed(err)
	}
	meta := model.AuditMeta{GeneratedAt: now, MaxAge: a.maxAge, Across: across,
		Filter: model.AuditFilter{Service: a.service, FlaggedOnly: a.flaggedOnly}, Users: keepFlaggedUsers(users, a.flaggedOnly)}
	var unscanned []string
	for _, r := range results {
		for _, name := range r.Inventory.Unscanned {
			if !slices.Contains(unscanned, name) {
				unscanned = append(unscanned, name)
			}
		}
	}
	if len(unscanned) > 0 { // an account's per-user fallback saw them
		slices.Sort(unscanned)
		meta.UnscannedServices = unscanned
		warnUnscanned(stderr, unscanned)
	}
	rows := model.BuildAccountsAudit(results, meta.GeneratedAt, a.maxAge)
	rows = meta.Filter.AppendMatches(rows[:0], rows) // in place: the rows are ours (Apply would copy them all)
	sortKey := a.sort
	if !a.sortChanged {
		sortKey = model.SortAccount
	}
	model.SortAudit(rows, sortKey, false)
	meta.Width = env.tableWidth(stdout)
	if err := model.WriteAuditReport(stdout, rows, a.format, meta); err != nil {
		return failed(fmt.Errorf("writing the report: %w", err))
	}
	if _, failedN, _ := across.Counts(); failedN > 0 {
		return &exitError{code: exitAccounts, err: fmt.Errorf("%d of %d accounts could not be read: the report has a row for each, with the reason",
			failedN, len(across.Accounts))}
	}
	if a.failOnFlagged && model.CountFlagged(rows)+model.CountFlaggedUsers(meta.Users) > 0 {
		return exitSilently(exitFlagged)
	}
	return nil
}

// scanAuditAccounts reads every account: the organization's or the profiles'.
// The listing failing (ListAccounts refused, no profiles, STS unable to name
// the caller) is an error; an account failing is a result with the reason.
//
// Each account read then has its console-made users judged (at most
// --account-concurrency accounts at once); an account whose users cannot be
// read, for a reason other than a refusal, becomes a failed account.
func scanAuditAccounts(ctx context.Context, a auditFlags, stderr io.Writer, env cliEnv, now time.Time) (
	[]model.AccountInventory, []model.JudgedUser, *model.AcrossAccounts, error,
) {
	cfg, done, err := a.auditConfig(demoOrgSeed)
	if err != nil {
		return nil, nil, nil, err
	}
	defer done()
	src := &accountsSource{f: a.accounts, cfg: cfg}
	plan, err := src.plan(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	var progress model.ProgressFunc
	var p *progressLine
	if env.isTerminal(stderr) {
		p = &progressLine{w: stderr, what: "accounts read"}
		progress = p.update
	}
	scans := plan.scan(ctx, a.accounts.concurrency, progress, nil)
	if p != nil {
		p.clear()
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err // interrupted: no report of accounts marked canceled
	}
	results := make([]model.AccountInventory, len(scans))
	for i, s := range scans {
		results[i] = s.AccountInventory
	}
	judged := make([][]model.JudgedUser, len(scans))
	warnings := make([]string, len(scans))
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(1, a.accounts.concurrency))
	for i, s := range scans {
		if !s.Read() || s.Client == nil {
			continue
		}
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			r := &results[i]
			users, warning, err := judgeConsoleUsers(ctx, s.Client, r.Inventory.Users, r.Inventory.Credentials, a.service, now)
			switch {
			case err != nil:
				r.Err = fmt.Errorf("%s: reading its console-made users: %w", r.Account.Label(), err)
			case warning != "":
				warnings[i] = r.Account.Label() + ": " + warning
			}
			for k := range users {
				users[k].Account = &r.Account
			}
			judged[i] = users
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	users := []model.JudgedUser{}
	for i := range judged {
		usersWarning(stderr, warnings[i])
		if results[i].Err == nil {
			users = append(users, judged[i]...)
		}
	}
	across := plan.across
	across.Accounts = model.SummarizeAccounts(results)
	return results, users, &across, nil
}
