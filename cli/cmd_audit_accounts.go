package cli

import (
	"context"
	"fmt"
	"io"

	"iamcreds/model"
)

// runAuditAccounts is audit across accounts (--org, --profiles, --all-profiles):
// every account read, the rows of all in one report with their account, a row
// for each account that could not be read, and exit 5 if there was one.
func runAuditAccounts(ctx context.Context, a auditFlags, stdout, stderr io.Writer, env cliEnv) error {
	results, across, err := scanAuditAccounts(ctx, a, stderr, env)
	if err != nil {
		return failed(err)
	}
	meta := model.AuditMeta{GeneratedAt: env.now(), MaxAge: a.maxAge, Across: across,
		Filter: model.AuditFilter{Service: a.service, FlaggedOnly: a.flaggedOnly}}
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
	if a.failOnFlagged && model.CountFlagged(rows) > 0 {
		return exitSilently(exitFlagged)
	}
	return nil
}

// scanAuditAccounts reads every account: the organization's or the profiles'.
// The listing failing (ListAccounts refused, no profiles, STS unable to name
// the caller) is an error; an account failing is a result with the reason.
func scanAuditAccounts(ctx context.Context, a auditFlags, stderr io.Writer, env cliEnv) ([]model.AccountInventory, *model.AcrossAccounts, error) {
	cfg, done, err := a.auditConfig(demoOrgSeed)
	if err != nil {
		return nil, nil, err
	}
	defer done()
	src := &accountsSource{f: a.accounts, cfg: cfg}
	plan, err := src.plan(ctx)
	if err != nil {
		return nil, nil, err
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
		return nil, nil, err // interrupted: no report of accounts marked canceled
	}
	results := make([]model.AccountInventory, len(scans))
	for i, s := range scans {
		results[i] = s.AccountInventory
	}
	across := plan.across
	across.Accounts = model.SummarizeAccounts(results)
	return results, &across, nil
}
