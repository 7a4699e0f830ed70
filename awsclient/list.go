package awsclient

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"slices"
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
	pages, err := c.listCreds(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(user)},
		target{op: "ListServiceSpecificCredentials", user: user})
	return joinPages(pages), err
}

// listCreds follows Marker until IAM says the list is complete, and returns the
// pages as they came: the caller joins them once, into a slice of the right size
// (growing one page by page copies every credential again and again). v1.64.8
// of the SDK has no paginator for this action. opts replace read, the
// operation's options.
//
// The pages are pipelined: as soon as a page's reply has arrived, its Marker
// is read from the raw reply and the next page is asked for, while the SDK
// decodes this one (about 15 ms of CPU for a page of 1,000). The chain then
// costs one round trip a page instead of a round trip plus a decode, and a
// next page is used only if it was asked for with the Marker the SDK decoded.
// At most two pages of a chain are in flight or being decoded at once.
func (c *Client) listCreds(ctx context.Context, in *iam.ListServiceSpecificCredentialsInput, t target, opts ...func(*iam.Options)) ([][]model.Credential, error) {
	in.MaxItems = c.pageSize()
	var (
		out     [][]model.Credential
		markers = newPages("Marker")
	)
	if len(opts) == 0 {
		opts = []func(*iam.Options){read}
	}
	if t.once {
		opts = []func(*iam.Options){(&call{policy: retryNone}).iam}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // a page asked for ahead and not needed
	ch := &pageChain{c: c, opts: opts, slots: make(chan struct{}, 2)}
	p := ch.start(ctx, in)
	for {
		page, err := p.wait(ctx)
		if err != nil {
			return nil, c.mapError(err, t)
		}
		if len(page.ServiceSpecificCredentials) > 0 {
			creds := make([]model.Credential, len(page.ServiceSpecificCredentials))
			for i, m := range page.ServiceSpecificCredentials {
				creds[i] = fromMetadata(m)
			}
			out = append(out, creds)
		}
		if !page.IsTruncated {
			return out, nil
		}
		if err := markers.next(page.IsTruncated, page.Marker); err != nil {
			return nil, c.replyError(t, err.Error())
		}
		next := p.next
		if next == nil || next.marker != aws.ToString(page.Marker) {
			if next != nil {
				next.cancel() // asked for with a Marker the SDK did not decode
			}
			in2 := *in
			in2.Marker = page.Marker
			next = ch.start(ctx, &in2)
		}
		p = next
	}
}

// pageChain runs the calls of one paged listing.
type pageChain struct {
	c     *Client
	opts  []func(*iam.Options)
	slots chan struct{} // calls of the chain in flight or being decoded
}

// pageCall is one page asked for.
type pageCall struct {
	marker string
	cancel context.CancelFunc
	done   chan struct{}
	out    *iam.ListServiceSpecificCredentialsOutput
	err    error
	// next is the following page, asked for when this reply arrived; set
	// before done is closed, by the call's own goroutine.
	next *pageCall
}

// start asks for the page of in, and for the page after it as soon as the
// reply names one.
func (ch *pageChain) start(ctx context.Context, in *iam.ListServiceSpecificCredentialsInput) *pageCall {
	ctx, cancel := context.WithCancel(ctx)
	p := &pageCall{marker: aws.ToString(in.Marker), cancel: cancel, done: make(chan struct{})}
	seen := func(body []byte) {
		if p.next != nil {
			return
		}
		if m, ok := peekMarker(body); ok {
			in2 := *in
			in2.Marker = aws.String(m)
			p.next = ch.start(ctx, &in2)
		}
	}
	go func() {
		defer close(p.done)
		select {
		case ch.slots <- struct{}{}:
		case <-ctx.Done():
			p.err = ctx.Err()
			return
		}
		defer func() { <-ch.slots }()
		p.out, p.err = ch.c.iam.ListServiceSpecificCredentials(withReplySeen(ctx, seen), in, ch.opts...)
	}()
	return p
}

func (p *pageCall) wait(ctx context.Context) (*iam.ListServiceSpecificCredentialsOutput, error) {
	select {
	case <-p.done:
		return p.out, p.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

var (
	markerOpen  = []byte("<Marker>")
	markerClose = []byte("</Marker>")
)

// peekMarker reads the Marker of a raw ListServiceSpecificCredentials reply:
// the result's last element of that name (credentials have no such field). A
// wrong guess costs one request, never a wrong listing: the next page is used
// only if the SDK decodes the same Marker.
func peekMarker(body []byte) (string, bool) {
	i := bytes.LastIndex(body, markerOpen)
	if i < 0 {
		return "", false
	}
	j := bytes.Index(body[i:], markerClose)
	if j < 0 {
		return "", false
	}
	var m string
	if err := xml.Unmarshal(body[i:i+j+len(markerClose)], &m); err != nil || m == "" {
		return "", false
	}
	return m, true
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
	services := ScanServices()
	perService := make([][][]model.Credential, len(services))
	errs := make([]error, len(services))
	var wg sync.WaitGroup
	for i, svc := range services {
		wg.Go(func() { perService[i], errs[i] = c.listAllUsers(ctx, svc) })
	}
	wg.Wait()
	var inv model.Inventory
	refused := false
	for _, err := range errs {
		switch {
		case err == nil:
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
// limit allows (aimd: up to Concurrency); service "" means all services. The
// first error cancels the rest.
func (c *Client) perUser(ctx context.Context, users []model.User, service string, progress model.ProgressFunc) ([][]model.Credential, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	limit := newAIMD(InitialConcurrency, c.cfg.Concurrency)
	if c.dbg != nil {
		limit.changed = func(n int, cause string) {
			c.dbg.write(fmt.Sprintf("per-user listing: %s, now %d in flight at most\n", cause, n))
		}
	}
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
