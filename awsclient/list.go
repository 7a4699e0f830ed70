package awsclient

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"iamcreds/model"
)

// ScanServices returns the services listed one by one with AllUsers: the catalog
// plus the API-key services IAM added after it. A credential of any other service
// still shows up in per-user listings, by its raw name. Each call returns a new
// slice.
func ScanServices() []string {
	return append(serviceNames(model.Catalog()),
		"cloudwatch.amazonaws.com", "aws-external-anthropic.amazonaws.com")
}

func serviceNames(ss []model.Service) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}

// ListUsers returns every IAM user, all pages, in IAM's order.
func (c *Client) ListUsers(ctx context.Context) ([]model.User, error) {
	t := target{op: "ListUsers"}
	var (
		users   []model.User
		markers = newPages("Marker")
	)
	p := iam.NewListUsersPaginator(c.iam, &iam.ListUsersInput{MaxItems: c.pageSize()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, read)
		if err != nil {
			return nil, c.mapError(err, t)
		}
		if page.Users == nil {
			// Users is a required member: IAM sends <Users/> for none.
			return nil, c.replyError(t, "has no user list")
		}
		if err := markers.next(page.IsTruncated, page.Marker); err != nil {
			return nil, c.replyError(t, err.Error())
		}
		for _, u := range page.Users {
			users = append(users, model.User{
				Name:    aws.ToString(u.UserName),
				ID:      aws.ToString(u.UserId),
				ARN:     aws.ToString(u.Arn),
				Path:    aws.ToString(u.Path),
				Created: aws.ToTime(u.CreateDate),
			})
		}
	}
	return users, nil
}

// ListCredentials returns every service-specific credential of one user, all services.
func (c *Client) ListCredentials(ctx context.Context, user string) ([]model.Credential, error) {
	return c.listCreds(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(user)},
		target{op: "ListServiceSpecificCredentials", user: user})
}

// listCreds follows Marker until IAM says the list is complete. v1.64.8 of the SDK
// has no paginator for this action.
func (c *Client) listCreds(ctx context.Context, in *iam.ListServiceSpecificCredentialsInput, t target) ([]model.Credential, error) {
	in.MaxItems = c.pageSize()
	var (
		out     []model.Credential
		markers = newPages("Marker")
	)
	for {
		opt := read
		if t.once {
			opt = (&call{policy: retryNone}).iam
		}
		page, err := c.iam.ListServiceSpecificCredentials(ctx, in, opt)
		if err != nil {
			return nil, c.mapError(err, t)
		}
		for _, m := range page.ServiceSpecificCredentials {
			out = append(out, fromMetadata(m))
		}
		if !page.IsTruncated {
			return out, nil
		}
		if err := markers.next(page.IsTruncated, page.Marker); err != nil {
			return nil, c.replyError(t, err.Error())
		}
		in.Marker = page.Marker
	}
}

// pages checks the tokens of a paged listing (IAM's Marker, Organizations'
// NextToken): a truncated page must name the next one, and a token seen before
// would loop for ever.
type pages struct {
	token string
	seen  map[string]bool
}

func newPages(token string) *pages { return &pages{token: token, seen: map[string]bool{}} }

func (p *pages) next(truncated bool, token *string) error {
	t := aws.ToString(token)
	switch {
	case t == "" && truncated:
		return fmt.Errorf("says the list goes on but gives no %s", p.token)
	case t == "":
		return nil
	case p.seen[t]:
		return fmt.Errorf("repeats an earlier %s, so the listing would never end", p.token)
	}
	p.seen[t] = true
	return nil
}

// ListAllCredentials returns every credential for one service across the account:
// one paged AllUsers listing, or, where IAM refuses AllUsers (an older endpoint, a
// policy that denies it), one listing per user with bounded concurrency.
func (c *Client) ListAllCredentials(ctx context.Context, service string, progress model.ProgressFunc) ([]model.Credential, error) {
	creds, err := c.listAllUsers(ctx, service)
	if err == nil || !isRefusal(err) {
		return creds, err
	}
	users, err := c.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	return c.perUser(ctx, users, service, progress)
}

func (c *Client) listAllUsers(ctx context.Context, service string) ([]model.Credential, error) {
	return c.listCreds(ctx, &iam.ListServiceSpecificCredentialsInput{
		AllUsers:    aws.Bool(true),
		ServiceName: aws.String(service),
	}, target{op: "ListServiceSpecificCredentials", service: service, allUsers: true})
}

// Inventory loads all users and all their credentials: the users and an AllUsers
// listing per service at once; if AllUsers is refused, per-user listings instead.
func (c *Client) Inventory(ctx context.Context, progress model.ProgressFunc) (model.Inventory, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		inv      model.Inventory
		usersErr error
		wg       sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		inv.Users, usersErr = c.ListUsers(ctx)
	}()
	services := ScanServices()
	perService := make([][]model.Credential, len(services))
	errs := make([]error, len(services))
	for i, svc := range services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			perService[i], errs[i] = c.listAllUsers(ctx, svc)
		}()
	}
	wg.Wait()
	if usersErr != nil {
		return model.Inventory{}, usersErr
	}
	refused := false
	for _, err := range errs {
		switch {
		case err == nil:
		case isRefusal(err):
			refused = true
		default:
			return model.Inventory{}, err
		}
	}
	if refused {
		creds, err := c.perUser(ctx, inv.Users, "", progress)
		if err != nil {
			return model.Inventory{}, err
		}
		inv.Credentials, inv.PerUser = creds, true
		return inv, nil
	}
	for _, cs := range perService {
		inv.Credentials = append(inv.Credentials, cs...)
	}
	if progress != nil {
		progress(len(inv.Users), len(inv.Users))
	}
	sortCredentials(inv.Credentials)
	return inv, nil
}

// perUser lists credentials user by user, at most Concurrency at once; service ""
// means all services. The first error cancels the rest.
func (c *Client) perUser(ctx context.Context, users []model.User, service string, progress model.ProgressFunc) ([]model.Credential, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([][]model.Credential, len(users))
	var (
		next     atomic.Int64
		done     int
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	workers := min(c.cfg.Concurrency, len(users))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(users) || ctx.Err() != nil {
					return
				}
				in := &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(users[i].Name)}
				if service != "" {
					in.ServiceName = aws.String(service)
				}
				creds, err := c.listCreds(ctx, in, target{op: "ListServiceSpecificCredentials", user: users[i].Name, service: service})
				mu.Lock()
				if err != nil && firstErr == nil && model.KindOf(err) != model.KindNotFound {
					// A user deleted mid-scan is not a failure of the scan.
					firstErr = err
					cancel()
				}
				results[i] = creds
				done++
				if progress != nil {
					progress(done, len(users))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	var out []model.Credential
	for _, r := range results {
		out = append(out, r...)
	}
	sortCredentials(out)
	return out, nil
}

// sortCredentials orders by user, then service, then creation, then id: the same
// order whichever path loaded them.
func sortCredentials(cs []model.Credential) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.UserName != b.UserName {
			return a.UserName < b.UserName
		}
		if a.Service != b.Service {
			return a.Service < b.Service
		}
		if !a.Created.Equal(b.Created) {
			return a.Created.Before(b.Created)
		}
		return a.ID < b.ID
	})
}

func fromMetadata(m types.ServiceSpecificCredentialMetadata) model.Credential {
	return model.Credential{
		ID:              aws.ToString(m.ServiceSpecificCredentialId),
		UserName:        aws.ToString(m.UserName),
		Service:         aws.ToString(m.ServiceName),
		Status:          model.Status(m.Status),
		Created:         aws.ToTime(m.CreateDate),
		Expires:         aws.ToTime(m.ExpirationDate),
		ServiceUserName: aws.ToString(m.ServiceUserName),
		Alias:           aws.ToString(m.ServiceCredentialAlias),
	}
}
