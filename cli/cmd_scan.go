package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"iamcreds/internal/keyscan"
	"iamcreds/model"
)

// scanFormat is --format of scan.
type scanFormat string

const (
	scanTable scanFormat = "table"
	scanJSON  scanFormat = "json"
	scanSARIF scanFormat = "sarif"
)

func parseScanFormat(s string) (scanFormat, error) {
	switch f := scanFormat(strings.ToLower(s)); f {
	case scanTable, scanJSON, scanSARIF:
		return f, nil
	}
	return "", errors.New("not a format: table, json or sarif")
}

// scanFlags are scan's command line.
type scanFlags struct {
	awsFlags
	accounts accountsFlags
	git      bool
	offline  bool
	demo     bool
	noIgnore bool
	format   scanFormat
	maxSize  int64
}

// newScanCmd is `iamcreds scan`: leaked keys in files and git history.
func newScanCmd(env cliEnv) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "find leaked keys in files and git history, and whose they are",
		Long: `iamcreds scan — find key-shaped strings (long-term Bedrock and Claude Platform
API keys ABSK…/AEAA…, short-term bedrock-api-key-… keys, access key ids
AKIA…/ASIA…) in files and, with --git, in the lines every commit on every ref
added; decode each, look each distinct key up once (the credential it is, in
this account or across --org / --profiles) and report where it is, its kind,
its owner, the credential and its status. The key is never printed: a
fingerprint (kind, first characters, a short hash) stands for it.

PATH defaults to the working directory. A directory inside a git work tree is
read as git sees it: tracked files and untracked ones .gitignore (and
info/exclude, the global excludes file) does not exclude; a file named is read
anyway; --no-ignore reads everything. Outside a work tree every file is read,
and each repository found under it as git sees it. Binary files (a NUL byte in
the first 8 KiB) and files over --max-file-size are skipped and counted on
stderr. Symbolic links inside a directory are not followed; .git is not read
as files.

--git also reads the history of the repository each PATH is in: git log -p
--all, added lines only, oldest commit first; each distinct key is reported
once, at the first commit that added it (commit:path:line), with how many
added lines carry it. A key a later commit removed is found all the same.

--offline only decodes: nothing is asked of AWS, and every key found counts
as possibly live (exit 1), as a pre-commit hook wants.

--format sarif writes SARIF 2.1.0 for code scanning (one rule per key kind).

Exit status:
  0  no live key: nothing found, or every key found is Inactive, expired or gone
  1  a live key: a credential that is Active, an unexpired short-term key, or
     with --offline any key
  2  bad command line
  3  AWS refused or failed a lookup (the report is written, the status of the
     keys it could not look up says unknown), or the scan itself failed
`,
		Example: `  iamcreds scan                         # the working directory, as git sees it
  iamcreds scan --git --format sarif > iamcreds.sarif
  iamcreds scan --offline deploy/prod.env notes/    # decode only, as a hook does
  iamcreds scan --org --git ~/src/service
  iamcreds scan --demo docs/demo`,
		Args: cobra.ArbitraryArgs,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if f.offline && (f.accounts.on() || f.demo) {
				return usageErrorf(cmd, "--offline looks nothing up: it cannot go with --demo, --org or --profiles")
			}
			for _, a := range args {
				if model.LooksLikeKey(a) {
					return usageErrorf(cmd, "an argument looks like a key, not a path: scan reads files (to look a key up, pipe it to iamcreds whois)")
				}
			}
			return f.accounts.check(cmd, f.profile, f.demo)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), f, args, cmd.OutOrStdout(), cmd.ErrOrStderr(), env)
		},
	}
	fs := cmd.Flags()
	f.bind(fs)
	fs.BoolVar(&f.git, "git", false, "also read the added lines of every commit on every ref of the repository each PATH is in")
	fs.BoolVar(&f.offline, "offline", false, "only decode the keys: no AWS call; every key found exits 1")
	fs.BoolVar(&f.demo, "demo", false, "look the keys up in the built-in demo account (no AWS needed): try it on docs/demo")
	fs.BoolVar(&f.noIgnore, "no-ignore", false, "read files .gitignore excludes too")
	checkedVar(fs, &f.format, "format", scanTable, "string", parseScanFormat,
		func(s scanFormat) string { return string(s) }, "output format: table, json or sarif (SARIF 2.1.0, for code scanning)")
	checkedVar(fs, &f.maxSize, "max-file-size", keyscan.DefaultMaxFileSize, "size", parseSize, formatSize,
		"skip files larger than this (bytes, or with KiB, MiB, GiB); 0 reads every file")
	f.accounts.bind(fs)
	_ = fs.MarkHidden("concurrency")    // a lookup reads one user's credentials at a time
	_ = fs.MarkHidden("extra-services") // a key names its service
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(
		[]cobra.Completion{string(scanTable), string(scanJSON), string(scanSARIF)}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// parseSize reads "20MiB", "512KiB", "1GiB", "300000" (bytes), "20M"; 0 is no limit.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10},
		{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, errors.New("not a size such as 20MiB, 512KiB or 1000000 (0 for no limit)")
	}
	return n * mult, nil
}

func formatSize(n int64) string {
	switch {
	case n == 0:
		return "0"
	case n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + "GiB"
	case n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	case n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KiB"
	}
	return strconv.FormatInt(n, 10)
}

// runScan scans, looks up and reports.
func runScan(ctx context.Context, f scanFlags, paths []string, stdout, stderr io.Writer, env cliEnv) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	hits, st, err := scanHits(ctx, f, paths)
	if err != nil {
		if ctx.Err() != nil {
			return failed(ctx.Err())
		}
		return failed(err)
	}
	scanSummary(stderr, st, len(hits))
	findings := decodeHits(hits)
	now := env.now()
	var lookupErr error
	if !f.offline && len(findings) > 0 {
		lookupErr = lookUpFindings(ctx, f, findings, stderr)
	}
	rep := scanReport{Findings: findings, Stats: st, Offline: f.offline, Now: now, Width: env.tableWidth(stdout)}
	rep.judge()
	if err := rep.write(stdout, f.format); err != nil {
		return failed(fmt.Errorf("writing the report: %w", err))
	}
	switch {
	case rep.Live > 0:
		return exitSilently(exitFlagged)
	case lookupErr != nil:
		return failed(lookupErr)
	}
	return nil
}

// scanHits runs the file scan and, with --git, the history scans.
func scanHits(ctx context.Context, f scanFlags, paths []string) ([]keyscan.Hit, keyscan.Stats, error) {
	opt := keyscan.Options{Find: model.FindKeys, MaxFileSize: f.maxSize, NoIgnore: f.noIgnore}
	if f.maxSize == 0 {
		opt.MaxFileSize = -1
	}
	var hits []keyscan.Hit
	add := func(h keyscan.Hit) { hits = append(hits, h) }
	st, err := keyscan.ScanPaths(ctx, paths, opt, add)
	if err != nil {
		return nil, st, err // os.Stat's error names the path
	}
	if f.git {
		seen := map[string]bool{}
		for _, p := range paths {
			top, err := keyscan.RepoRoot(ctx, p, opt)
			if err != nil {
				return nil, st, err
			}
			if seen[top] {
				continue
			}
			seen[top] = true
			gst, err := keyscan.ScanGit(ctx, p, opt, add)
			st.Commits += gst.Commits
			if err != nil {
				return nil, st, err
			}
		}
	}
	sortHits(hits)
	return hits, st, nil
}

// scanSummary says on stderr what was read and skipped.
func scanSummary(w io.Writer, st keyscan.Stats, hits int) {
	var b strings.Builder
	fmt.Fprintf(&b, "iamcreds scan: read %s, %s", plural(st.Files, "file"), humanBytes(st.Bytes))
	if st.Commits > 0 {
		fmt.Fprintf(&b, ", and %s", plural(st.Commits, "commit"))
	}
	var skipped []string
	if st.Binary > 0 {
		skipped = append(skipped, fmt.Sprintf("%d binary", st.Binary))
	}
	if st.Large > 0 {
		skipped = append(skipped, fmt.Sprintf("%d over --max-file-size", st.Large))
	}
	if st.Unreadable > 0 {
		skipped = append(skipped, fmt.Sprintf("%d unreadable", st.Unreadable))
	}
	if len(skipped) > 0 {
		fmt.Fprintf(&b, "; skipped %s", strings.Join(skipped, ", "))
	}
	fmt.Fprintf(&b, "; %s\n", plural(int64(hits), "key-shaped string"))
	for _, e := range st.FirstErrors {
		fmt.Fprintf(&b, "iamcreds scan: unreadable: %s\n", model.SafeText(e)) // a file name is untrusted
	}
	fmt.Fprint(w, b.String())
}

func plural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
