package cli

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"iamcreds/awsclient"
	"iamcreds/internal/safefile"
)

// checkedValue is a flag whose value is parsed and checked while the command
// line is parsed, so a bad value is a usage error before anything starts.
type checkedValue[T any] struct {
	p      *T
	parse  func(string) (T, error)
	format func(T) string
	kind   string // the value's name in --help: "--max-age age"
}

func (v *checkedValue[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil {
		return err
	}
	*v.p = x
	return nil
}

func (v *checkedValue[T]) String() string { return v.format(*v.p) }
func (v *checkedValue[T]) Type() string   { return v.kind }

// checkedVar defines a flag with default def, read by parse.
func checkedVar[T any](fs *pflag.FlagSet, p *T, name string, def T, kind string, parse func(string) (T, error), format func(T) string, usage string) {
	*p = def
	fs.Var(&checkedValue[T]{p: p, parse: parse, format: format, kind: kind}, name, usage)
}

// durationVar is a duration flag that refuses negative values.
func durationVar(fs *pflag.FlagSet, p *time.Duration, name string, def time.Duration, usage string) {
	checkedVar(fs, p, name, def, "duration", parseDuration, formatDuration, usage)
}

// formatDuration is time.Duration's String, but "0" for zero, which --help
// then leaves out as a default.
func formatDuration(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	return d.String()
}

func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, errors.New("not a duration such as 30s, 5m or 1h30m")
	case d < 0:
		return 0, errors.New("must not be negative")
	}
	return d, nil
}

// maxAgeVar is a flag of whole days ("90d") or a Go duration ("720h").
func maxAgeVar(fs *pflag.FlagSet, p *time.Duration, usage string) {
	checkedVar(fs, p, "max-age", 90*24*time.Hour, "age", parseMaxAge, formatMaxAge, usage)
}

// parseMaxAge reads whole days ("90d") or a Go duration ("720h").
func parseMaxAge(s string) (time.Duration, error) {
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n > 100_000 {
			return 0, errors.New("not a number of days such as 90d")
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, errors.New("neither days (90d) nor a duration (720h)")
		}
	}
	if d <= 0 {
		return 0, errors.New("must be more than zero")
	}
	return d, nil
}

// formatMaxAge writes d back the way people write it: days when it is whole days.
func formatMaxAge(d time.Duration) string {
	if day := 24 * time.Hour; d > 0 && d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	return d.String()
}

// positiveIntVar is an int flag that must be at least 1.
func positiveIntVar(fs *pflag.FlagSet, p *int, name string, def int, usage string) {
	checkedVar(fs, p, name, def, "int", func(s string) (int, error) {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			return 0, errors.New("not a whole number")
		case n < 1:
			return 0, errors.New("must be at least 1")
		}
		return n, nil
	}, strconv.Itoa, usage)
}

// awsFlags are the flags of every command that talks to IAM. Binding them
// binds --config too, so every such command reads the settings file
// (applySettings, run for every command before it starts): a new command that
// talks to IAM cannot go one place while audit and the UI go another.
type awsFlags struct {
	profile, region, endpoint string
	extraServices             []string // --extra-services: names to scan beside the catalog's
	concurrency               int
	timeout                   time.Duration // --timeout: the reply limit of each attempt
	debug                     string        // --debug FILE: the redacted request log
	debugLog                  io.Writer     // that file once opened (openDebugLog)
}

func (a *awsFlags) bind(fs *pflag.FlagSet) {
	fs.StringVar(&a.profile, "profile", "", "use this profile from the shared AWS config and credentials files")
	fs.StringVar(&a.region, "region", "", "AWS region (IAM is global; this sets the signing region for custom endpoints)")
	checkedVar(fs, &a.endpoint, "endpoint-url", "", "url", parseEndpointURL, func(s string) string { return s },
		"send IAM and STS calls to this http(s) URL instead of AWS (e.g. a local-iam endpoint)")
	positiveIntVar(fs, &a.concurrency, "concurrency", awsclient.DefaultConcurrency, "most per-user requests in flight: listings when AllUsers is refused, reads of console-made users (from 8, adapting to throttling)")
	checkedVar(fs, &a.timeout, "timeout", awsclient.DefaultReplyTimeout, "duration", parseTimeout, formatDuration,
		"how long each attempt of an IAM or STS call waits for its reply (and at most 10s of it to connect); "+
			"a silent endpoint is reported after about twice this")
	fs.StringVar(&a.debug, "debug", "", "log every IAM and STS request and response to this file (mode 0600), secrets removed")
	checkedVar(fs, &a.extraServices, extraServicesFlag, nil, "names", parseServiceNames, func(s []string) string { return strings.Join(s, ",") },
		"also scan these service names, comma-separated: a service AWS added after this release "+
			`(config.toml: services = ["name.amazonaws.com"])`)
	bindConfigFlag(fs)
}

// extraServicesFlag is --extra-services, set in config.toml as services = [...].
const extraServicesFlag = "extra-services"

// serviceNamePattern is the shape of every IAM service name: label.amazonaws.com.
var serviceNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*\.amazonaws\.com$`)

// parseServiceNames reads a comma-separated list of IAM service names.
func parseServiceNames(s string) ([]string, error) {
	var out []string
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			continue
		case !serviceNamePattern.MatchString(name):
			return nil, fmt.Errorf("%q is not a service name such as xray.amazonaws.com", name)
		case !slices.Contains(out, name):
			out = append(out, name)
		}
	}
	return out, nil
}

// openDebugLog opens --debug's file for appending, owner-only even when it
// existed before, through safefile's checks: no symbolic link is followed and
// no other user's file is chmodded or written, as w and --secret-file refuse
// links. Without --debug the SDK writes nowhere. The log goes into config()
// from then on.
func (a *awsFlags) openDebugLog() (io.Closer, error) {
	if a.debug == "" {
		return io.NopCloser(nil), nil
	}
	f, err := safefile.OpenAppend(a.debug)
	if err != nil {
		return nil, fmt.Errorf("--debug: %w", err)
	}
	a.debugLog = f
	return f, nil
}

// config turns the flags into the client's configuration.
func (a awsFlags) config() awsclient.Config {
	return awsclient.Config{
		Profile:       a.profile,
		Region:        a.region,
		EndpointURL:   a.endpoint,
		Concurrency:   a.concurrency,
		ExtraServices: a.extraServices,
		DebugLog:      a.debugLog,
		// --timeout is the wait for a reply; connecting gets the same or the
		// client's 10 s, whichever is less: a host that takes longer to accept
		// a connection is not answering, however patient the reply limit.
		ReplyTimeout:   a.timeout,
		ConnectTimeout: min(a.timeout, awsclient.DefaultConnectTimeout),
	}
}

// parseTimeout reads --timeout: a duration of at least a millisecond (less
// could not get a reply even from loopback) and at most an hour.
func parseTimeout(s string) (time.Duration, error) {
	d, err := parseDuration(s)
	switch {
	case err != nil:
		return 0, err
	case d < time.Millisecond:
		return 0, errors.New("must be at least 1ms")
	case d > time.Hour:
		return 0, errors.New("must be at most 1h")
	}
	return d, nil
}

// parseEndpointURL accepts an absolute http or https URL with a host ("" keeps
// AWS's endpoint). Without a scheme it names the URL that was probably meant.
func parseEndpointURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return s, nil
	}
	if !strings.Contains(s, "://") {
		if guess, err := url.Parse("http://" + s); err == nil && guess.Hostname() != "" {
			scheme := "https"
			if isLoopback(guess.Hostname()) {
				scheme = "http"
			}
			return "", fmt.Errorf("not an absolute http(s) URL: did you mean %s://%s?", scheme, s)
		}
	}
	return "", errors.New("not an absolute http(s) URL such as http://127.0.0.1:4599")
}
