package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"iamcreds/awsclient"
	"iamcreds/model"
	"iamcreds/ui"
)

// accountsFlags choose several accounts instead of one, for audit and the UI:
// an organization's (--org) or named profiles' (--profiles, --all-profiles).
type accountsFlags struct {
	org         bool
	orgRole     string
	accounts    []string // --accounts: 12-digit IDs
	concurrency int      // --account-concurrency
	profiles    []string
	allProfiles bool
}

func (f *accountsFlags) bind(fs *pflag.FlagSet) {
	fs.BoolVar(&f.org, "org", false, "every ACTIVE account of the organization: ListAccounts from the caller's account, then the --org-role role in each")
	fs.StringVar(&f.orgRole, "org-role", awsclient.DefaultOrgRole, "with --org, the `role` to assume in each member account")
	checkedVar(fs, &f.accounts, "accounts", nil, "ids", parseAccountIDs, joinComma,
		"with --org, only these comma-separated account IDs")
	positiveIntVar(fs, &f.concurrency, "account-concurrency", awsclient.DefaultAccountConcurrency,
		"with --org or --profiles, accounts read at once")
	checkedVar(fs, &f.profiles, "profiles", nil, "names", parseProfileNames, joinComma,
		"every account of these comma-separated named profiles, one client each")
	fs.BoolVar(&f.allProfiles, "all-profiles", false, "every account of every profile in the shared AWS config and credentials files")
}

func joinComma(s []string) string { return strings.Join(s, ",") }

// parseAccountIDs reads "111122223333,444455556666".
func parseAccountIDs(s string) ([]string, error) {
	var ids []string
	for _, id := range strings.Split(s, ",") {
		id = strings.TrimSpace(id)
		if len(id) != 12 || strings.Trim(id, "0123456789") != "" {
			return nil, fmt.Errorf("%q is not a 12-digit account ID", id)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// parseProfileNames reads "prod,staging"; a name may not be empty.
func parseProfileNames(s string) ([]string, error) {
	var names []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n == "" {
			return nil, errors.New("an empty profile name (write names separated by commas: prod,staging)")
		}
		names = append(names, n)
	}
	return names, nil
}

// on reports whether several accounts were asked for.
func (f accountsFlags) on() bool { return f.org || len(f.profiles) > 0 || f.allProfiles }

// check refuses the combinations that cannot mean anything, before anything starts.
func (f accountsFlags) check(cmd *cobra.Command, profile string, demo bool) error {
	changed := cmd.Flags().Changed
	var sources []string
	for name, on := range map[string]bool{"--org": f.org, "--profiles": len(f.profiles) > 0, "--all-profiles": f.allProfiles} {
		if on {
			sources = append(sources, name)
		}
	}
	slices.Sort(sources)
	switch {
	case len(sources) > 1:
		return usageErrorf(cmd, "%s choose the accounts in different ways: use one", strings.Join(sources, " and "))
	case !f.org && changed("org-role"):
		return usageErrorf(cmd, "--org-role needs --org")
	case !f.org && changed("accounts"):
		return usageErrorf(cmd, "--accounts needs --org (with --profiles, list the profiles you want)")
	case !f.on() && changed("account-concurrency"):
		return usageErrorf(cmd, "--account-concurrency needs --org, --profiles or --all-profiles")
	case f.on() && !f.org && profile != "":
		return usageErrorf(cmd, "--profile names one profile and --profiles several: use one")
	case f.on() && !f.org && demo:
		return usageErrorf(cmd, "--demo has no profiles: use --demo --org for the demo organization")
	case demo:
		return demoRefuses(cmd)
	}
	return nil
}

// demoRefuses refuses, with --demo, a flag on the command line that says where
// to go: the demo runs against its own endpoint and would silently ignore it.
// A settings file's profile or endpoint is not refused: it is for real runs.
func demoRefuses(cmd *cobra.Command) error {
	for _, name := range []string{"profile", "endpoint-url", "region"} {
		if cmd.Flags().Changed(name) {
			return usageErrorf(cmd, "--demo runs against a built-in demo account: --%s has nothing to choose there (drop --demo to use AWS)", name)
		}
	}
	return nil
}

// accountPlan is what a scan across accounts reads: the targets, and the
// accounts --accounts named that the organization does not have.
type accountPlan struct {
	across  model.AcrossAccounts // Organization and Caller; Accounts once read
	targets []awsclient.Target
	unknown []model.AccountInventory
}

// total is how many accounts the scan reports.
func (p accountPlan) total() int { return len(p.targets) + len(p.unknown) }

// accountsSource plans scans across accounts with one base client: the
// organization's accounts are listed with the caller's credentials each time
// (ctrl+r finds new ones), while each account's role session is kept.
type accountsSource struct {
	f   accountsFlags
	cfg awsclient.Config

	mu  sync.Mutex
	org *awsclient.Org
}

// plan lists the accounts to read.
func (s *accountsSource) plan(ctx context.Context) (accountPlan, error) {
	if !s.f.org {
		names := s.f.profiles
		if s.f.allProfiles {
			all, err := awsclient.Profiles()
			if len(all) == 0 {
				if err == nil {
					err = errors.New("no profiles in the shared config and credentials files (~/.aws/config, ~/.aws/credentials)")
				}
				return accountPlan{}, err
			}
			names = all
		}
		return accountPlan{targets: awsclient.ProfileTargets(s.cfg, names)}, nil
	}
	org, err := s.organization(ctx)
	if err != nil {
		return accountPlan{}, err
	}
	accounts, err := org.Accounts(ctx)
	if err != nil {
		return accountPlan{}, err
	}
	caller, err := org.Caller(ctx)
	if err != nil {
		return accountPlan{}, fmt.Errorf("cannot name the account reading the organization (STS GetCallerIdentity): %w", err)
	}
	p := accountPlan{across: model.AcrossAccounts{Caller: caller.Account}}
	for _, a := range accounts {
		if p.across.Organization = model.OrganizationFromARN(a.ARN); p.across.Organization != "" {
			break
		}
	}
	if len(s.f.accounts) > 0 {
		selected, unknown := model.SelectAccounts(accounts, s.f.accounts)
		for _, id := range unknown {
			p.unknown = append(p.unknown, model.AccountInventory{Account: model.Account{ID: id},
				Err: model.Errorf(model.KindNotFound, "not an account of the organization")})
		}
		accounts = selected
	}
	p.targets = org.Targets(accounts)
	return p, nil
}

// organization is the caller's organization, made once.
func (s *accountsSource) organization(ctx context.Context) (*awsclient.Org, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.org == nil {
		base, err := awsclient.New(ctx, s.cfg)
		if err != nil {
			return nil, err
		}
		s.org = base.Org(awsclient.OrgOptions{Role: s.f.orgRole})
	}
	return s.org, nil
}

// scan reads the plan's accounts: the targets' results in order, then the
// accounts the organization does not have.
func (p accountPlan) scan(ctx context.Context, concurrency int, progress model.ProgressFunc, done func(awsclient.AccountScan)) []awsclient.AccountScan {
	results := awsclient.ScanAccounts(ctx, p.targets, awsclient.ScanOptions{Concurrency: concurrency, Progress: progress, Done: done})
	for _, u := range p.unknown {
		r := awsclient.AccountScan{AccountInventory: u}
		if done != nil {
			done(r)
		}
		results = append(results, r)
	}
	return results
}

// Scan is ui.Accounts: the organization view's reading of every account.
func (s *accountsSource) Scan(ctx context.Context, found func(ui.AccountsFound), done func(ui.AccountResult)) error {
	p, err := s.plan(ctx)
	if err != nil {
		return err
	}
	found(ui.AccountsFound{Organization: p.across.Organization, Caller: p.across.Caller, Total: p.total()})
	p.scan(ctx, s.f.concurrency, nil, func(r awsclient.AccountScan) {
		res := ui.AccountResult{AccountInventory: r.AccountInventory}
		if r.Client != nil { // a nil *Client must not become a non-nil IAM
			res.Client = r.Client
		}
		done(res)
	})
	return nil
}
