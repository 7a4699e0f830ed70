// Package cli is iamcreds' command line: the cobra tree (one file a command,
// cmd_*.go), the settings every command shares (settings.go) and the terminal
// UI's composition root (this file): flags -> config -> awsclient.New ->
// ui.New -> tea.NewProgram. main.go hands it os.Args and exits with its code.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient"
	"iamcreds/internal/deliver"
	"iamcreds/model"
	"iamcreds/ui"
	"iamcreds/ui/clipboard"
)

// The UI's client is awsclient's, the console-made users' reads and cleanup
// steps included (ui.ConsoleUsersIAM): checked here, at compile time.
var _ ui.IAM = (*awsclient.Client)(nil)

// Main runs the command line with args (os.Args[1:]) and returns the exit
// code (cmd_exit.go lists them).
func Main(args []string, stdout, stderr io.Writer) int { return run(args, stdout, stderr) }

// run is the command line, returning the exit code (cmd_exit.go lists them).
func run(args []string, stdout, stderr io.Writer) int {
	return execute(context.Background(), args, defaultEnv(stdout, stderr))
}

// runTUI is `iamcreds` without a command: the terminal UI. Writes still in
// flight when it quits are named on stderr once the terminal is back.
func runTUI(ctx context.Context, o tuiFlags, stderr io.Writer) error {
	debugLog, err := o.openDebugLog()
	if err != nil {
		return err
	}
	defer debugLog.Close()
	cfg := o.tuiConfig()
	if o.demo {
		stop, url, err := startDemoEndpoint(o.accounts.demoSeed(true))
		if err != nil {
			return err
		}
		defer stop()
		cfg = demoConfig(cfg, url)
	}
	var accounts ui.Accounts
	var client *awsclient.Client
	if o.accounts.on() {
		accounts = &accountsSource{f: o.accounts, cfg: cfg}
	}
	if !o.accounts.on() || o.accounts.org {
		if client, err = awsclient.New(ctx, cfg); err != nil {
			return err
		}
	}
	opts := ui.Options{
		MaxAge:         o.maxAge,
		Accounts:       accounts,
		Profile:        cfg.Profile,
		Region:         cfg.Region,
		Endpoint:       cfg.EndpointURL,
		Demo:           o.demo,
		ReadOnly:       o.readOnly,
		ReadOnlyFrom:   o.readOnlyFrom,
		ClipboardClear: o.clipboardClear,
		// The clear outlives the program: a detached `iamcreds __clipboard-clear`.
		Clipboard: clipboard.New(clipboard.Options{Clearer: clipboard.SelfClearer()}),
	}
	// Delivery: Secrets Manager and Parameter Store with the caller's client
	// (none across profiles: commands and files only), the file's rules.
	opts.Deliver, opts.DeliveryRules = deliver.Deliverer{Stores: storesOf(client)}, o.deliveryRules
	opts.DeliverFor = func(c ui.IAM) ui.Deliverer { // after P: the new profile's stores
		ac, _ := c.(*awsclient.Client)
		return deliver.Deliverer{Stores: storesOf(ac)}
	}
	if client != nil { // what the SDK resolved, from flags, environment or ~/.aws/config
		opts.Profile, opts.Region, opts.Endpoint = client.Profile(), client.Region(), client.Endpoint()
	}
	if accounts == nil { // across accounts, each account has its client, and P does not apply
		opts.Client, opts.Profiles, opts.SwitchProfile = client, awsclient.Profiles, o.switchProfile
	}
	m := ui.New(opts)
	p := tea.NewProgram(tuiModel(m), tea.WithAltScreen())
	defer quitOnHangup(p)()
	_, err = p.Run()
	reportUnanswered(stderr, m.Unanswered()) // Update changed m in place
	return err
}

// quitOnHangup makes a hangup (the terminal or the SSH session closed) quit
// the program as SIGTERM does, so the writes still in flight are named on
// stderr instead of the process dying silently; the returned func stops it.
func quitOnHangup(p interface{ Send(tea.Msg) }) (stop func()) {
	if len(hangupSignals) == 0 {
		return func() {}
	}
	ch, done := make(chan os.Signal, 1), make(chan struct{})
	signal.Notify(ch, hangupSignals...)
	go func() {
		select {
		case <-ch:
			p.Send(tea.QuitMsg{})
		case <-done:
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// reportUnanswered names, after the UI has left the screen, each write whose
// answer never came: IAM may have done it. The exit status stays what the
// quit made it (0 for q or ctrl+c): the person chose to leave, and these lines
// say what to check.
func reportUnanswered(stderr io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintln(stderr, "iamcreds: "+l)
	}
}

// tuiConfig is the client's configuration for a person waiting at the screen:
// fewer, shorter retries, so a dead endpoint is reported in seconds (ctrl+r
// retries by hand); audit keeps the client's patient defaults.
func (o tuiFlags) tuiConfig() awsclient.Config {
	cfg := o.config()
	cfg.ReadOnly, cfg.ReadOnlyFrom = o.readOnly, o.readOnlyFrom
	cfg.MaxAttempts = 4
	cfg.MaxBackoff = 4 * time.Second
	return cfg
}

// switchProfile is P in the UI: the same flags with another profile; the client
// is used only once it has said who it is, so an expired SSO session changes nothing.
func (o tuiFlags) switchProfile(ctx context.Context, name string) (ui.IAM, model.Identity, error) {
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

// storesOf is client as delivery's Stores, nil (not a nil *Client) when none.
func storesOf(client *awsclient.Client) deliver.Stores {
	if client == nil {
		return nil
	}
	return client
}
