package cli

import (
	"context"
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

// cleanupFlags are cleanup-users' command line.
type cleanupFlags struct {
	awsFlags
	orphaned    bool
	atRisk      bool
	deactivate  bool // --deactivate-access-keys
	apply       bool
	readOnly    bool
	demo        bool
	onlyService string
}

// newCleanupUsersCmd is `iamcreds cleanup-users`: the users the console made
// and left behind, removed in the order IAM requires.
func newCleanupUsersCmd(env cliEnv) *cobra.Command {
	var f cleanupFlags
	cmd := &cobra.Command{
		Use:   "cleanup-users",
		Short: "remove the users the console made and left behind (prints the plan; acts with --apply)",
		Long: `iamcreds cleanup-users — the IAM users the console's API-key flow made
(BedrockAPIKey-…, AeaApiKey-…), judged as audit judges them.

--orphaned: the users with no live credential left (an expired key counts as
none). For each it prints what the user still holds — console password, access
keys, service-specific credentials, inline and attached policies, groups — and
the steps that remove it in the order IAM requires (DeleteUser is refused with
DeleteConflict while anything remains), DeleteUser last. Nothing changes
without --apply. With --apply each user is read again first (a user that now
holds a live credential, or anything the plan did not show, is left alone),
each step is reported (unknown when its reply was lost), and the first
failure stops everything, naming what is left.

--at-risk --deactivate-access-keys: the users holding an IAM access key, a
console password or a policy beyond their service's; their Active access keys
are made Inactive (undoable: nothing is deleted). Without --apply, the plan.

--read-only (or read-only = true in the settings file) refuses --apply.

Exit status:
` + exitStatusHelp(),
		Example: `  iamcreds cleanup-users --orphaned
  iamcreds cleanup-users --orphaned --apply
  iamcreds cleanup-users --at-risk --deactivate-access-keys --apply
  iamcreds cleanup-users --orphaned --demo`,
		Args:    noArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error { return f.check(cmd) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCleanupUsers(cmd.Context(), f, cmd.OutOrStdout(), cmd.ErrOrStderr(), env)
		},
	}
	fs := cmd.Flags()
	f.bind(fs)
	fs.BoolVar(&f.orphaned, "orphaned", false, "the console-made users with no live credential left: remove them")
	fs.BoolVar(&f.atRisk, "at-risk", false, "the console-made users with an access key, a console password or a broader policy")
	fs.BoolVar(&f.deactivate, "deactivate-access-keys", false, "with --at-risk: make their Active access keys Inactive (nothing is deleted)")
	fs.BoolVar(&f.apply, "apply", false, "act: without it, only the plan is printed")
	fs.BoolVar(&f.readOnly, "read-only", false, "refuse --apply (for scripts that pass it to every command)")
	fs.BoolVar(&f.demo, "demo", false, "against the built-in demo account (no AWS needed; changes are lost at exit)")
	checkedVar(fs, &f.onlyService, "service", "", "string", parseService, func(s string) string { return s },
		"only the users of this service: bedrock or claude (or an IAM name)")
	return cmd
}

func (f *cleanupFlags) check(cmd *cobra.Command) error {
	switch {
	case f.orphaned == f.atRisk:
		return usageErrorf(cmd, "choose --orphaned or --at-risk (one of them)")
	case f.atRisk && !f.deactivate:
		return usageErrorf(cmd, "--at-risk needs --deactivate-access-keys: it is the only change offered for a user at risk")
	case f.orphaned && f.deactivate:
		return usageErrorf(cmd, "--deactivate-access-keys goes with --at-risk; --orphaned removes the user")
	case f.apply && f.readOnly:
		return usageErrorf(cmd, "%s refuses every change, and --apply would change IAM: nothing was done", settingSource(cmd, "read-only"))
	}
	return nil
}

// cleanupTarget is one user to clean up, and its steps.
type cleanupTarget struct {
	user  model.JudgedUser
	steps []model.CleanupStep
}

func runCleanupUsers(ctx context.Context, f cleanupFlags, stdout, stderr io.Writer, env cliEnv) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	debugLog, err := f.openDebugLog()
	if err != nil {
		return failed(err)
	}
	defer debugLog.Close()
	cfg := f.config()
	cfg.ProcessStderr = stderr
	cfg.ReadOnly = !f.apply // the plan writes nothing, whatever happens
	if f.demo {
		stopDemo, url, err := startDemoEndpoint(demoSeed)
		if err != nil {
			return failed(err)
		}
		defer stopDemo()
		cfg = demoConfig(cfg, url)
	}
	client, err := awsclient.New(ctx, cfg)
	if err != nil {
		return failed(err)
	}
	users, err := client.ListUsers(ctx)
	if err != nil {
		return failed(err)
	}
	judged, err := judgeUsersNow(ctx, client, model.SelectConsoleMade(users, f.onlyService), env.now)
	if err != nil {
		return failed(err)
	}
	var targets []cleanupTarget
	for _, j := range judged {
		if t, ok := f.target(j); ok {
			targets = append(targets, t)
		}
	}
	w := &lineWriter{w: stdout}
	what := "orphaned"
	if f.atRisk {
		what = "at risk"
	}
	if len(targets) == 0 {
		w.printf("No console-made user is %s (%d console-made users read).\n", what, len(judged))
		return w.err
	}
	steps := 0
	for _, t := range targets {
		printPlan(w, t)
		steps += len(t.steps)
	}
	if !f.apply {
		w.printf("\nNothing was changed: %s, %s. Run again with --apply to act.\n", plural(int64(len(targets)), "user"), plural(int64(steps), "step"))
		return w.err
	}
	w.printf("\nApplying:\n")
	var leftAlone []string
	for i, t := range targets {
		left, err := f.applyOne(ctx, client, w, t, env.now)
		if err != nil {
			if rest := targets[i+1:]; len(rest) > 0 {
				names := make([]string, len(rest))
				for k, r := range rest {
					names[k] = model.SafeText(r.user.User.Name)
				}
				w.printf("Not reached: %s.\n", strings.Join(names, ", "))
			}
			return failed(err)
		}
		if left {
			leftAlone = append(leftAlone, model.SafeText(t.user.User.Name))
		}
	}
	if len(leftAlone) > 0 {
		w.printf("Done: %d of %d users; left alone: %s.\n", len(targets)-len(leftAlone), len(targets), strings.Join(leftAlone, ", "))
		return w.err
	}
	w.printf("Done: %s.\n", plural(int64(len(targets)), "user"))
	return w.err
}

// target is j's steps when the command selects it.
func (f *cleanupFlags) target(j model.JudgedUser) (cleanupTarget, bool) {
	switch {
	case f.orphaned && j.Orphaned:
		return cleanupTarget{user: j, steps: model.RemovalPlan(j)}, true
	case f.atRisk && len(j.Risks) > 0:
		return cleanupTarget{user: j, steps: model.DeactivationPlan(j)}, true
	}
	return cleanupTarget{}, false
}

// applyOne reads the user again, judges it again, and runs the steps of that
// fresh reading when they are the plan's or fewer (what is gone meanwhile is
// not asked for). A user that no longer earns the action, or that gained
// anything the plan did not show (another admin's access key, policy,
// credential), is left alone: left is then true. A step IAM refused stops
// the run; one whose reply was lost is said as unknown.
func (f *cleanupFlags) applyOne(ctx context.Context, c *awsclient.Client, w *lineWriter, planned cleanupTarget, now func() time.Time) (left bool, err error) {
	name := model.SafeText(planned.user.User.Name)
	again, err := judgeUsersNow(ctx, c, []model.User{planned.user.User}, now)
	if err != nil {
		w.printf("%s: could not read it again: nothing was done: %s\n", name, model.SafeText(err.Error()))
		return false, err
	}
	if len(again) == 0 {
		w.printf("%s: gone already\n", name)
		return false, nil
	}
	t, ok := f.target(again[0])
	if !ok {
		w.printf("%s: left alone: no longer %s (%s)\n", name, map[bool]string{true: "orphaned", false: "at risk"}[f.orphaned],
			strings.Join(again[0].Verdicts(), ", "))
		return true, nil
	}
	if added := model.NewSteps(planned.steps, t.steps); len(added) > 0 {
		whats := make([]string, len(added))
		for i, s := range added {
			whats[i] = s.What
		}
		w.printf("%s: left alone: changed since the plan (now also: %s); nothing was done to it: run again to see its new plan\n",
			name, model.SafeText(strings.Join(whats, "; ")))
		return true, nil
	}
	w.printf("%s:\n", name)
	for i, s := range t.steps {
		gone, err := c.CleanupStep(ctx, s)
		what := model.SafeText(s.What)
		switch {
		case err != nil && model.CleanupOutcome(err) == model.OutcomeUnknown:
			w.printf("  unknown: %s: %s (IAM may have done it: read the user again to see)\n", what, model.SafeText(err.Error()))
			if rest := t.steps[i+1:]; len(rest) > 0 {
				w.printf("  not reached: %s\n", stepList(rest))
			}
			return false, fmt.Errorf("%s: %s: outcome unknown: %w", planned.user.User.Name, s.What, err)
		case err != nil:
			w.printf("  failed: %s: %s\n", what, model.SafeText(err.Error()))
			w.printf("  left: %s\n", stepList(t.steps[i:]))
			return false, fmt.Errorf("%s: %s: %w", planned.user.User.Name, s.What, err)
		case gone:
			w.printf("  done (gone already): %s\n", what)
		default:
			w.printf("  done: %s\n", what)
		}
		if s.Op == model.OpDeactivateAccessKey {
			w.printf("    undo: aws iam update-access-key --user-name %s --access-key-id %s --status Active\n",
				model.SafeText(s.User), model.SafeText(s.Target))
		}
	}
	return false, nil
}

// stepList is steps in words, made safe for the terminal.
func stepList(steps []model.CleanupStep) string {
	whats := make([]string, len(steps))
	for i, s := range steps {
		whats[i] = s.What
	}
	return model.SafeText(strings.Join(whats, "; "))
}

// judgeUsersNow reads what each user holds and its credentials, and judges it.
func judgeUsersNow(ctx context.Context, c *awsclient.Client, users []model.User, now func() time.Time) ([]model.JudgedUser, error) {
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.Name
	}
	holdings, err := c.Holdings(ctx, names)
	if err != nil {
		return nil, err
	}
	creds := make([][]model.Credential, len(users))
	errs := make([]error, len(users))
	var wg sync.WaitGroup
	slots := make(chan struct{}, 8)
	for i, u := range users {
		if holdings[i].Gone {
			continue
		}
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			creds[i], errs[i] = c.ListCredentials(ctx, u.Name)
		})
	}
	wg.Wait()
	var all []model.Credential
	for i, err := range errs {
		switch {
		case model.KindOf(err) == model.KindNotFound:
			holdings[i].Gone = true // deleted meanwhile
		case err != nil:
			return nil, err
		}
		all = append(all, creds[i]...)
	}
	return model.JudgeUsers(users, holdings, all, now()), nil
}

// printPlan writes one user's plan.
func printPlan(w *lineWriter, t cleanupTarget) {
	j := t.user
	w.printf("%s (%s, %s): holds %s\n", model.SafeText(j.User.Name), model.LookupService(j.Console.Service).Short,
		strings.Join(j.Verdicts(), ", "), j.HoldsText())
	if len(j.Risks) > 0 {
		w.printf("  risks: %s\n", model.SafeText(strings.Join(j.Risks, ", ")))
	}
	if len(t.steps) == 0 {
		w.printf("  nothing to do: no Active access key\n")
	}
	for i, s := range t.steps {
		w.printf("  %d. %s\n", i+1, model.SafeText(s.What))
	}
}

// lineWriter keeps the first write error.
type lineWriter struct {
	w   io.Writer
	err error
}

func (l *lineWriter) printf(format string, args ...any) {
	if l.err == nil {
		_, l.err = fmt.Fprintf(l.w, format, args...)
	}
}
