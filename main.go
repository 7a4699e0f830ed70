// Command iamcreds is a terminal UI for AWS IAM service-specific credentials:
// CodeCommit Git credentials, Amazon Keyspaces credentials, and the long-term API
// keys of Amazon Bedrock and CloudWatch Logs.
//
// main is the composition root: flags -> config -> awsclient.New -> ui.New ->
// tea.NewProgram.
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
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/model"
	"iamcreds/ui"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the flags shared by the TUI and the subcommands that talk to IAM.
type options struct {
	profile, region, endpoint string
	concurrency               int
	readOnly, demo            bool
	clipboardClear            time.Duration
	maxAge                    string // the fleet view's stale threshold, parsed by parseMaxAge
	version, help             bool
}

func (o *options) bindAWS(fs *flag.FlagSet) {
	fs.StringVar(&o.profile, "profile", "", "use this profile from the shared AWS config and credentials files")
	fs.StringVar(&o.region, "region", "", "AWS region (IAM is global; this sets the signing region for custom endpoints)")
	fs.StringVar(&o.endpoint, "endpoint-url", "", "send IAM and STS calls to this URL instead of AWS (e.g. a local-iam endpoint)")
	fs.IntVar(&o.concurrency, "concurrency", awsclient.DefaultConcurrency, "parallel per-user listings when AllUsers is refused")
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "local-iam":
			return runLocalIAM(args[1:], stdout, stderr)
		case "audit":
			return runAudit(args[1:], stdout, stderr)
		case "completion":
			return runCompletion(args[1:], stdout, stderr)
		case "__profiles": // hidden: the completion scripts' source of profile names
			return runProfiles(stdout, stderr)
		}
	}
	var o options
	fs := flag.NewFlagSet("iamcreds", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.bindAWS(fs)
	fs.BoolVar(&o.demo, "demo", false, "run against a built-in local IAM endpoint with a demo account (no AWS needed)")
	fs.BoolVar(&o.readOnly, "read-only", false, "refuse every change: no create, toggle, reset or delete")
	fs.DurationVar(&o.clipboardClear, "clipboard-clear", 30*time.Second, "clear a copied secret from the clipboard after this long if it is still there (0 = never)")
	fs.StringVar(&o.maxAge, "max-age", "90d", "in the fleet view (a), flag Active credentials older than this: days (90d) or a duration (720h)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.help, "help", false, "show this help")
	fs.BoolVar(&o.help, "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "iamcreds: %v\n\n", err)
		usage(stderr, fs)
		return 2
	}
	switch {
	case o.help:
		usage(stdout, fs)
		return 0
	case o.version:
		fmt.Fprintln(stdout, versionString())
		return 0
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "iamcreds: unknown command %q\n\n", fs.Arg(0))
		usage(stderr, fs)
		return 2
	case o.clipboardClear < 0:
		fmt.Fprintln(stderr, "iamcreds: --clipboard-clear must not be negative")
		return 2
	}
	if err := runTUI(o); err != nil {
		fmt.Fprintf(stderr, "iamcreds: %v\n", err)
		return 1
	}
	return 0
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `iamcreds — manage AWS IAM service-specific credentials (CodeCommit Git credentials,
Amazon Keyspaces, Bedrock and CloudWatch Logs API keys) in your terminal.

Usage:
  iamcreds [flags]                 the terminal UI against AWS
  iamcreds --demo                  the terminal UI against a built-in demo account
  iamcreds audit [flags]           print every credential with its risk flags, for scripts
                                   (iamcreds audit --help for its flags)
  iamcreds local-iam [flags]       run the local IAM-compatible endpoint on its own
                                   (iamcreds local-iam --help for its flags)
  iamcreds completion bash|zsh|fish
                                   print a shell completion script (iamcreds completion --help)

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprint(w, `
Examples:
  iamcreds --profile prod
  iamcreds --demo
  iamcreds --read-only --profile audit
  iamcreds audit --profile prod --format csv > audit.csv
  iamcreds local-iam --seed demo --addr 127.0.0.1:4599
  source <(iamcreds completion bash)
  AWS_ENDPOINT_URL_IAM=http://127.0.0.1:4599 iamcreds
`)
}

// awsConfig turns the flags into the client's configuration.
func (o options) awsConfig() awsclient.Config {
	return awsclient.Config{
		Profile:     o.profile,
		Region:      o.region,
		EndpointURL: o.endpoint,
		Concurrency: o.concurrency,
		ReadOnly:    o.readOnly,
	}
}

// tuiConfig is awsConfig for a person waiting at the screen: fewer, shorter
// retries, so a dead endpoint is reported in seconds (ctrl+r retries by hand);
// audit keeps the client's patient defaults.
func (o options) tuiConfig() awsclient.Config {
	cfg := o.awsConfig()
	cfg.MaxAttempts = 4
	cfg.MaxBackoff = 4 * time.Second
	return cfg
}

func runTUI(o options) error {
	ctx := context.Background()
	cfg := o.tuiConfig()
	if o.demo {
		stop, url, err := startDemoEndpoint()
		if err != nil {
			return err
		}
		defer stop()
		cfg = demoConfig(cfg, url)
	}
	client, err := awsclient.New(ctx, cfg)
	if err != nil {
		return err
	}
	maxAge, err := parseMaxAge(o.maxAge)
	if err != nil {
		return fmt.Errorf("--max-age: %w", err)
	}
	m := ui.New(ui.Options{
		MaxAge:         maxAge,
		Client:         client,
		Profile:        client.Profile(),
		Endpoint:       client.Endpoint(),
		Demo:           o.demo,
		ReadOnly:       o.readOnly,
		ClipboardClear: o.clipboardClear,
		Profiles:       awsclient.Profiles,
		SwitchProfile:  o.switchProfile,
	})
	_, err = tea.NewProgram(m, tea.WithAltScreen()).Run()
	return err
}

// switchProfile is P in the UI: the same flags with another profile; the client
// is used only once it has said who it is, so an expired SSO session changes nothing.
func (o options) switchProfile(ctx context.Context, name string) (ui.IAM, model.Identity, error) {
	cfg := o.tuiConfig()
	cfg.Profile = name
	c, err := awsclient.New(ctx, cfg)
	if err != nil {
		return nil, model.Identity{}, err
	}
	id, err := c.Identity(ctx)
	if err != nil {
		return nil, model.Identity{}, err
	}
	return c, id, nil
}

// demoConfig points the client at the in-process demo endpoint with dummy keys,
// so that no AWS profile or environment can leak into the demo.
func demoConfig(cfg awsclient.Config, url string) awsclient.Config {
	cfg.Profile = ""
	cfg.EndpointURL = url
	cfg.Region = "us-east-1"
	cfg.StaticCredentials = &aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "demo", Source: "iamcreds demo"}
	return cfg
}

// startDemoEndpoint serves the demo account on a free loopback port.
func startDemoEndpoint() (stop func(), url string, err error) {
	srv, err := localiam.New(localiam.Config{Seed: "demo"})
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "iamcreds: demo endpoint:", err)
		}
	}()
	return func() { hs.Close(); srv.Close() }, "http://" + ln.Addr().String(), nil
}
