package awsclient

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"iamcreds/model"
)

// ScanServices returns the services listed one by one with AllUsers: the
// catalog's. A credential of any other service still shows up in per-user
// listings, by its raw name. Each call returns a new slice.
func ScanServices() []string { return serviceNames(model.Catalog()) }

// ScanServices are the services this client lists with AllUsers: the
// catalog's and Config.ExtraServices, each once.
func (c *Client) ScanServices() []string {
	out := ScanServices()
	for _, s := range c.cfg.ExtraServices {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
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
	return c.ListUsersPages(ctx, nil)
}

// ListUsersPages is ListUsers that also hands each page's users, as the page
// arrives, to page (if not nil), in IAM's order, before it asks for the next
// page: work on the first users can start while the rest are listed. page
// may keep the slice but not change it, and must be quick: the next page
// waits for it. A page that fails the listing (an unreadable reply) is not
// handed on.
func (c *Client) ListUsersPages(ctx context.Context, page func([]model.User)) ([]model.User, error) {
	t := target{op: "ListUsers"}
	var (
		users   []model.User
		markers = newPages("Marker")
	)
	p := iam.NewListUsersPaginator(c.iam, &iam.ListUsersInput{MaxItems: c.pageSize()})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx, read)
		if err != nil {
			return nil, c.mapError(err, t)
		}
		if out.Users == nil {
			// Users is a required member: IAM sends <Users/> for none.
			return nil, c.replyError(t, "has no user list")
		}
		if err := markers.next(out.IsTruncated, out.Marker); err != nil {
			return nil, c.replyError(t, err.Error())
		}
		from := len(users)
		for _, u := range out.Users {
			users = append(users, model.User{
				Name:    aws.ToString(u.UserName),
				ID:      aws.ToString(u.UserId),
				ARN:     aws.ToString(u.Arn),
				Path:    aws.ToString(u.Path),
				Created: aws.ToTime(u.CreateDate),
			})
		}
		if page != nil {
			page(users[from:len(users):len(users)])
		}
	}
	return users, nil
}

// ListCredentials returns every service-specific credential of one user, all services.
func (c *Client) ListCredentials(ctx context.Context, user string) ([]model.Credential, error) {
	pages, err := c.listCreds(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(user)},
		target{op: "ListServiceSpecificCredentials", user: user})
	return joinPages(pages), err
}

// ListAllCredentials returns every credential for one service across the account:
// one paged AllUsers listing, or, where IAM refuses AllUsers (an older endpoint, a
// policy that denies it), one listing per user with adaptive concurrency.
func (c *Client) ListAllCredentials(ctx context.Context, service string, progress model.ProgressFunc) ([]model.Credential, error) {
	pages, err := c.listAllUsers(ctx, service)
	if err == nil || !isRefusal(err) {
		return joinPages(pages), err
	}
	users, err := c.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	pages, err = c.perUser(ctx, users, service, progress)
	if err != nil {
		return nil, err
	}
	return joinPages(pages), nil
}

func (c *Client) listAllUsers(ctx context.Context, service string) ([][]model.Credential, error) {
	return c.listCreds(ctx, &iam.ListServiceSpecificCredentialsInput{
		AllUsers:    aws.Bool(true),
		ServiceName: aws.String(service),
	}, target{op: "ListServiceSpecificCredentials", service: service, allUsers: true})
}

// Inventory loads all users and all their credentials: the users and an AllUsers
// listing per service at once; if AllUsers is refused, per-user listings instead.
func (c *Client) Inventory(ctx context.Context, progress model.ProgressFunc) (model.Inventory, error) {
	return c.InventoryWith(ctx, model.InventoryOptions{Progress: progress})
}

// InventoryWith loads every credential of the account, with an AllUsers listing
// per service, all at once, and the users as o says: listed alongside them (or
// taken from o.Users), or, with o.CredentialsOnly, not at all unless IAM refuses
// AllUsers. The per-user fallback starts when a refusal is in, and waits only
// for the users it needs.
func (c *Client) InventoryWith(ctx context.Context, o model.InventoryOptions) (model.Inventory, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	users := newUserList(c, o.Users)
	if !o.CredentialsOnly {
		// Listed now, beside the credentials; a failure stops the load at once.
		users.start(ctx, cancel)
	}
	services := c.ScanServices()
	perService := make([][][]model.Credential, len(services))
	errs := make([]error, len(services))
	var wg sync.WaitGroup
	for i, svc := range services {
		wg.Go(func() { perService[i], errs[i] = c.listAllUsers(ctx, svc) })
	}
	wg.Wait()
	var inv model.Inventory
	refused := false
	for i, err := range errs {
		switch {
		case err == nil:
		case model.KindOf(err) == model.KindNotFound && model.LookupService(services[i]).Known():
			// IAM does not take this catalog service here (a partition without
			// it; CloudWatch Metrics' name is UNCERTAIN): none of its
			// credentials, and the rest of the scan stands. A name the person
			// added (--extra-services) still fails, naming it: a typo must
			// not pass for "none".
			perService[i] = nil
		case isRefusal(err):
			refused = true
		default:
			if uerr := users.failed(); uerr != nil {
				return model.Inventory{}, uerr // the cause of the cancellation
			}
			return model.Inventory{}, err
		}
	}
	if refused || !o.CredentialsOnly {
		var err error
		if inv.Users, err = users.get(ctx); err != nil {
			return model.Inventory{}, err
		}
	}
	if refused {
		pages, err := c.perUser(ctx, inv.Users, "", o.Progress)
		if err != nil {
			return model.Inventory{}, err
		}
		inv.Credentials, inv.PerUser = joinCredentials(pages, inv.Users), true
		// A user's own listing shows every service: one the scan lacks is named.
		inv.Unscanned = model.UnscannedServices(inv.Credentials, services)
		return inv, nil
	}
	var pages [][]model.Credential
	for _, ps := range perService {
		pages = append(pages, ps...)
	}
	inv.Credentials = joinCredentials(pages, inv.Users)
	if o.Progress != nil && !o.CredentialsOnly {
		o.Progress(len(inv.Users), len(inv.Users))
	}
	return inv, nil
}

// userList is the users of one inventory load, listed at most once: at the
// start, or when the fallback needs them.
type userList struct {
	list  func(context.Context) ([]model.User, error)
	once  sync.Once
	done  chan struct{}
	users []model.User
	err   error
}

func newUserList(c *Client, from func(context.Context) ([]model.User, error)) *userList {
	if from == nil {
		from = c.ListUsers
	}
	return &userList{list: from, done: make(chan struct{})}
}

// start lists the users in the background; a failure calls stop.
func (u *userList) start(ctx context.Context, stop func()) {
	u.once.Do(func() {
		go func() {
			u.users, u.err = u.list(ctx)
			close(u.done) // before stop: what it stops finds the cause here
			if u.err != nil && stop != nil {
				stop()
			}
		}()
	})
}

// get waits for the users, starting the listing if nothing has.
func (u *userList) get(ctx context.Context) ([]model.User, error) {
	u.start(ctx, nil)
	<-u.done
	return u.users, u.err
}

// failed is the listing's error if it has ended in one.
func (u *userList) failed() error {
	select {
	case <-u.done:
		return u.err
	default:
		return nil
	}
}

// perUser lists credentials user by user, as many at once as the adaptive
// limit allows (aimd: up to Concurrency, shared with the holdings read
// meanwhile: perUserLimit); service "" means all services. The first error
// cancels the rest.
func (c *Client) perUser(ctx context.Context, users []model.User, service string, progress model.ProgressFunc) ([][]model.Credential, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	limit, release := c.perUserLimit()
	defer release()
	results := make([][][]model.Credential, len(users))
	var (
		next     atomic.Int64
		done     int
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	// Twice the ceiling: a worker waiting out a retry's backoff holds no slot,
	// and another takes it.
	for range min(2*c.cfg.Concurrency, len(users)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(users) || ctx.Err() != nil {
					return
				}
				in := &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(users[i].Name)}
				if service != "" {
					in.ServiceName = aws.String(service)
				}
				creds, err := c.listCreds(ctx, in, target{op: "ListServiceSpecificCredentials", user: users[i].Name, service: service},
					read, limit.gate)
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
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	var out [][]model.Credential
	for _, r := range results {
		out = append(out, r...)
	}
	return out, nil
}

// joinPages is the pages' credentials in one slice, in the report's order
// (model.CompareCredentials: user, service, id), whichever path listed them.
func joinPages(pages [][]model.Credential) []model.Credential {
	return joinCredentials(pages, nil)
}

// joinCredentials copies the pages' credentials, sorted, into one slice of the
// right size: each credential is copied once, and the sort moves pointers, not
// records. A user's name is stored once: the credentials of users share the
// User's string, and those of one user share one string.
func joinCredentials(pages [][]model.Credential, users []model.User) []model.Credential {
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	if n == 0 {
		return nil
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.Name] = u.Name
	}
	order := make([]*model.Credential, 0, n)
	for _, p := range pages {
		for i := range p {
			cr := &p[i]
			if name, ok := names[cr.UserName]; ok {
				cr.UserName = name
			} else {
				names[cr.UserName] = cr.UserName
			}
			order = append(order, cr)
		}
	}
	slices.SortFunc(order, model.CompareCredentials)
	out := make([]model.Credential, n)
	for i, cr := range order {
		out[i] = *cr
	}
	return out
}

// sortCredentials puts credentials in joinPages' order.
func sortCredentials(cs []model.Credential) {
	slices.SortFunc(cs, func(a, b model.Credential) int { return model.CompareCredentials(&a, &b) })
}

// fromMetadata converts one listed credential. The service and the status are
// the catalog's strings, not one more copy of the same text per credential.
func fromMetadata(m types.ServiceSpecificCredentialMetadata) model.Credential {
	return model.Credential{
		ID:              aws.ToString(m.ServiceSpecificCredentialId),
		UserName:        aws.ToString(m.UserName),
		Service:         internService(aws.ToString(m.ServiceName)),
		Status:          internStatus(model.Status(m.Status)),
		Created:         aws.ToTime(m.CreateDate),
		Expires:         aws.ToTime(m.ExpirationDate),
		ServiceUserName: aws.ToString(m.ServiceUserName),
		Alias:           aws.ToString(m.ServiceCredentialAlias),
	}
}

// scanServices are the services' names as constants, for internService.
var scanServices = ScanServices()

func internService(name string) string {
	for _, s := range scanServices {
		if s == name {
			return s
		}
	}
	return name
}

func internStatus(s model.Status) model.Status {
	switch s {
	case model.Active:
		return model.Active
	case model.Inactive:
		return model.Inactive
	case model.Expired:
		return model.Expired
	}
	return s
}
