package localiam

import (
	"crypto/rand"
	"sync"
)

// regionStore is one account's Secrets Manager secrets and Parameter Store
// parameters in one region. It lives in memory only: the values are secrets,
// and a state file never holds one, so a restart loses them.
type regionStore struct {
	mu      sync.Mutex            // held for the whole of an operation
	secrets map[string]*secret    // by name
	params  map[string]*parameter // by name
}

// regionStore returns the account's store in region, made on first use.
func (a *account) regionStore(region string) *regionStore {
	a.storesMu.Lock()
	defer a.storesMu.Unlock()
	if a.stores == nil {
		a.stores = map[string]*regionStore{}
	}
	st := a.stores[region]
	if st == nil {
		st = &regionStore{secrets: map[string]*secret{}, params: map[string]*parameter{}}
		a.stores[region] = st
	}
	return st
}

// newUUID is a random version 4 UUID: the SDKs' ClientRequestToken and the
// form of Secrets Manager's version IDs.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&15])
	}
	return string(out)
}
