package model

import "context"

// A write whose reply was lost, but which a listing shows took effect (a delete
// whose credential is gone, a status change that holds), returns success: the
// caller has nothing more to do. A caller that accounts for every reply (a bulk
// action's summary) can still learn of it, as net/http/httptrace tells of a
// connection: the client reports it to the function OnLostReply put in the
// call's context.

// LostReply is a write that IAM carried out though its reply never arrived.
type LostReply struct {
	Op   string // the IAM action, e.g. DeleteServiceSpecificCredential
	User string
	ID   string // the credential
}

type lostReplyKey struct{}

// OnLostReply returns a copy of ctx whose calls tell f of each write whose
// reply was lost but which took effect. f may run on the call's goroutine.
func OnLostReply(ctx context.Context, f func(LostReply)) context.Context {
	return context.WithValue(ctx, lostReplyKey{}, f)
}

// ReportLostReply tells ctx's function, if it has one, of r.
func ReportLostReply(ctx context.Context, r LostReply) {
	if f, ok := ctx.Value(lostReplyKey{}).(func(LostReply)); ok && f != nil {
		f(r)
	}
}
