package awsclient

// A paged listing of credentials: Marker followed page by page, the next page
// asked for while the SDK decodes this one.

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"iamcreds/model"
)

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
