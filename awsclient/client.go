package awsclient

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"iamcreds/model"
)

// Defaults tuned for IAM, whose request quota is shared by the whole account.
const (
	// DefaultConcurrency is the most per-user requests in flight; they start
	// at InitialConcurrency and adapt to throttling below it.
	DefaultConcurrency = 32
	// Six attempts with backoff capped at 8 s ride out a throttling burst (about
	// 12 s of waiting at worst) yet let an interactive user see a dead endpoint
	// in seconds rather than the minute the SDK's 20 s cap would take.
	DefaultMaxAttempts = 6
	DefaultMaxBackoff  = 8 * time.Second
	// Per-attempt time limits: a black-hole endpoint costs two attempts of
	// DefaultReplyTimeout, about a minute, before it is reported.
	DefaultConnectTimeout = 10 * time.Second
	DefaultReplyTimeout   = 30 * time.Second
	// DefaultPageSize is IAM's largest page: each page is one more request
	// against the account's quota and one more round trip.
	DefaultPageSize = 1000
	// IAM is a global service; its endpoint signs with us-east-1 whatever the region.
	defaultRegion = "us-east-1"
)

// Config says where and as whom to talk to IAM. Zero values mean "as the AWS
// CLI would": the SDK's standard chain (env, shared config and credentials
// files, SSO, MFA-assumed roles, instance roles).
type Config struct {
	Profile     string // --profile; else AWS_PROFILE; else default
	Region      string // --region; else the SDK chain; else us-east-1
	EndpointURL string // --endpoint-url, for both IAM and STS
	// StaticCredentials, when set, bypass the chain (the demo's dummy keys).
	StaticCredentials *aws.Credentials
	// Concurrency is the most per-user requests in flight (default 32): the
	// per-user fallback's listings and the holdings reads, together while
	// both run. The limit starts at InitialConcurrency, grows while IAM
	// answers and halves when IAM throttles.
	Concurrency int
	// ReadOnly refuses every write in the client itself, not just in the UI.
	ReadOnly bool
	// ReadOnlyFrom is the settings file ReadOnly came from, for the refusal's
	// message; "" for --read-only.
	ReadOnlyFrom string
	// MaxAttempts and MaxBackoff tune the SDK's standard retryer.
	MaxAttempts int
	MaxBackoff  time.Duration
	// ExtraServices are service names to scan beside the catalog's (AllUsers
	// needs a name, and no API lists them): one AWS added after this release.
	ExtraServices []string
	// PageSize sets MaxItems on list calls (default 1000, IAM's maximum).
	PageSize int32
	// ConnectTimeout limits each attempt's wait for a connection (TCP, then TLS);
	// ReplyTimeout limits each attempt's wait for the reply once the request is
	// sent (default 10 s and 30 s). An attempt is abandoned after
	// ConnectTimeout + 2×ReplyTimeout in all, so a reply that stalls half-way
	// cannot hang it either. A timed-out call is tried once more at most.
	ConnectTimeout time.Duration
	ReplyTimeout   time.Duration
	// HTTPClient replaces the transport built from the timeouts above (tests,
	// benchmarks); a *awshttp.BuildableClient keeps AWS_CA_BUNDLE working.
	HTTPClient aws.HTTPClient
	// DebugLog, when set, receives each request and response with its secrets
	// removed, and the SDK's own messages; when nil the SDK writes nowhere.
	DebugLog io.Writer
	// ProcessStderr also receives what a profile's credential_process writes on
	// stderr (a prompt, on the command line), and the process gets our stdin;
	// nil (the terminal UI): neither. Its first line goes in the error either way.
	ProcessStderr io.Writer
	// NoSharedFiles reads neither ~/.aws/config nor ~/.aws/credentials (the
	// demo, whose account is built in).
	NoSharedFiles bool
}

// Client is iamcreds' view of IAM. It is safe for concurrent use.
type Client struct {
	iam      *iam.Client
	sts      *sts.Client
	awsCfg   aws.Config // as loaded, for the other services' clients (Organizations)
	cfg      Config
	endpoint string // IAM's endpoint as the SDK resolved it, when not AWS's; "" for AWS
	profile  string // the shared-config profile in use ("" when none)
	region   string
	sso      bool   // the profile logs in through IAM Identity Center
	ssoKey   string // its token cache's key: the sso-session's name, or the start URL
	// process is the profile's credential_process, when the credentials come
	// from it directly.
	process string
	dbg     *debugLog // the --debug log, nil when none
	// limits is the account's one adaptive limit for per-user requests.
	limits *perUserLimit
}

// New loads the AWS configuration and builds a client. It does not call AWS.
func New(ctx context.Context, c Config) (*Client, error) {
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.ReplyTimeout <= 0 {
		c.ReplyTimeout = DefaultReplyTimeout
	}
	if c.HTTPClient == nil {
		c.HTTPClient = httpClient(c.ConnectTimeout, c.ReplyTimeout)
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = c.MaxAttempts
				o.MaxBackoff = c.MaxBackoff
				o.Backoff = retry.NewExponentialJitterBackoff(c.MaxBackoff)
				// IAM throttles per account; the client-side retry quota would give up
				// on a large scan long before IAM recovers, and the fallback's
				// concurrency adapts to throttling instead.
				o.RateLimiter = ratelimit.None
			})
		}),
	}
	if c.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.Profile))
	}
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	if c.StaticCredentials != nil {
		opts = append(opts, config.WithCredentialsProvider(credentials.StaticCredentialsProvider{Value: *c.StaticCredentials}))
	}
	if c.NoSharedFiles {
		files := []string{}
		if p := os.Getenv("AWS_PROFILE"); p != "" && c.Profile == "" {
			// The shell's AWS_PROFILE names a profile of the files not read, and
			// the SDK fails on a named profile it cannot find: an empty file
			// that names it stands in (read by LoadDefaultConfig alone).
			f, err := standInProfile(p)
			if err != nil {
				return nil, err
			}
			defer os.Remove(f)
			files = []string{f}
		}
		opts = append(opts, config.WithSharedConfigFiles(files), config.WithSharedCredentialsFiles([]string{}))
	} else {
		// Named as LoadDefaultConfig would, but read now: its defaults are fixed
		// at init, and would miss a later AWS_CONFIG_FILE or HOME.
		cfgFile, credFile := sharedFiles()
		opts = append(opts, config.WithSharedConfigFiles([]string{cfgFile}), config.WithSharedCredentialsFiles([]string{credFile}))
	}
	opts = append(opts, config.WithHTTPClient(c.HTTPClient))
	dbg := newDebugLog(c.DebugLog)
	opts = append(opts, dbg.loadOptions()...)
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, configError(err, c.Profile)
	}
	awsCfg.HTTPClient = dbg.wrap(memoryBodies{awsCfg.HTTPClient})
	if awsCfg.Region == "" {
		awsCfg.Region = defaultRegion
	}
	cl := &Client{awsCfg: awsCfg, cfg: c, region: awsCfg.Region, dbg: dbg, limits: &perUserLimit{}}
	cl.fromSharedConfig(c)
	useProcessProvider(&cl.awsCfg, cl.process, c.ProcessStderr)
	cl.iam = iam.NewFromConfig(cl.awsCfg, func(o *iam.Options) {
		if c.EndpointURL != "" {
			o.BaseEndpoint = aws.String(c.EndpointURL)
		}
	})
	// The endpoint the SDK resolved for IAM, from --endpoint-url, the
	// environment or the profile (endpoint_url, its services section).
	cl.endpoint = aws.ToString(cl.iam.Options().BaseEndpoint)
	cl.sts = sts.NewFromConfig(cl.awsCfg)
	// The local endpoint serves STS too: where STS resolves no endpoint of its
	// own, it goes where IAM goes (AWS_ENDPOINT_URL_IAM, an iam services entry).
	if c.EndpointURL != "" || cl.sts.Options().BaseEndpoint == nil && cl.endpoint != "" {
		cl.sts = sts.NewFromConfig(cl.awsCfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(cl.endpoint) })
	}
	return cl, nil
}

// fromSharedConfig reads what the SDK resolved from the shared files: the
// profile, how it signs in, its credential_process.
func (cl *Client) fromSharedConfig(c Config) {
	var shared config.SharedConfig
	var env config.EnvConfig
	for _, s := range cl.awsCfg.ConfigSources {
		switch s := s.(type) {
		case config.SharedConfig:
			shared = s
		case config.EnvConfig:
			env = s
		}
	}
	chosen := c.Profile != "" || env.SharedConfigProfile != "" && !c.NoSharedFiles
	cl.profile = shared.Profile
	if !chosen && (c.NoSharedFiles || !profileDeclared(shared.Profile)) {
		cl.profile = "" // the SDK looked for [default]; there is none
	}
	if cl.profile == "" || c.StaticCredentials != nil || !chosen && env.Credentials.HasKeys() {
		return // the credentials come from elsewhere (the SDK's order)
	}
	switch {
	case shared.SSOSessionName != "":
		cl.sso, cl.ssoKey = true, shared.SSOSessionName
	case shared.SSOStartURL != "":
		cl.sso, cl.ssoKey = true, shared.SSOStartURL
	}
	cl.process = shared.CredentialProcess
}

// Endpoint is the IAM endpoint in use when it is not AWS's, wherever it was
// set: --endpoint-url, AWS_ENDPOINT_URL(_IAM), or the profile's endpoint_url or
// services section; "" for AWS itself.
func (c *Client) Endpoint() string { return c.endpoint }

// Profile is the shared-config profile in use, wherever it was chosen
// (--profile, AWS_PROFILE, a settings file), or "default" when that profile
// exists and none was chosen; "" when no profile is read.
func (c *Client) Profile() string { return c.profile }

// Region is the region requests are signed for: --region, AWS_REGION, the
// profile's, else us-east-1 (IAM's endpoint signs with it whatever the region).
func (c *Client) Region() string { return c.region }

// ReadOnly reports whether writes are refused.
func (c *Client) ReadOnly() bool { return c.cfg.ReadOnly }

// Identity asks STS who the caller is.
func (c *Client) Identity(ctx context.Context) (model.Identity, error) {
	out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, (&call{policy: retryAll}).sts)
	if err != nil {
		return model.Identity{}, c.mapError(err, target{op: "GetCallerIdentity"})
	}
	return model.Identity{
		Account: aws.ToString(out.Account),
		ARN:     aws.ToString(out.Arn),
		UserID:  aws.ToString(out.UserId),
	}, nil
}

func (c *Client) pageSize() *int32 { return aws.Int32(c.cfg.PageSize) }

func (c *Client) refuseWrite(op string, t target) error {
	if !c.cfg.ReadOnly {
		return nil
	}
	hint := "(start without --read-only to make changes)"
	if c.cfg.ReadOnlyFrom != "" {
		hint = "(read-only = true in " + c.cfg.ReadOnlyFrom + ": start with --read-only=false to make changes)"
	}
	return &model.Error{Kind: model.KindReadOnly, Op: op, User: t.user, ID: t.id, Service: t.service,
		Message: "read-only mode: " + op + " refused " + hint}
}

// isRefusal reports whether err is IAM declining a request form (denied, or a
// parameter it does not know), as opposed to a transport or server failure.
func isRefusal(err error) bool {
	var me *model.Error
	if !errors.As(err, &me) {
		return false
	}
	return me.Kind == model.KindAccessDenied || me.Kind == model.KindInvalid
}

// httpClient is the SDK's transport with per-attempt time limits. It stays a
// BuildableClient, so that the SDK can still apply AWS_CA_BUNDLE to it.
func httpClient(connect, reply time.Duration) *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = connect }).
		WithTransportOptions(func(tr *http.Transport) {
			tr.TLSHandshakeTimeout = connect
			tr.ResponseHeaderTimeout = reply
		}).
		// The SDK's rolling read deadline would also run while a pooled connection
		// sits idle, shortening the next reply's limit; the limits above suffice.
		WithReadTimeout(0).
		WithTimeout(connect + 2*reply)
}

// standInProfile writes a shared config file that holds nothing but an empty
// profile named p, and returns its path.
func standInProfile(p string) (string, error) {
	f, err := os.CreateTemp("", "iamcreds-no-profile-")
	if err != nil {
		return "", err
	}
	section := "[profile " + p + "]\n"
	if p == "default" {
		section = "[default]\n"
	}
	_, err = f.WriteString(section)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
