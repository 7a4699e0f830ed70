package localiam

import (
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentClients runs writers and readers at once; run it with -race.
func TestConcurrentClients(t *testing.T) {
	s, _ := newServer(t, Config{Seed: "scale:200", StatePath: filepath.Join(t.TempDir(), "state.json")})
	const workers, perWorker = 16, 25
	createUser(t, s, "shared")
	var wg sync.WaitGroup
	errs := make(chan string, workers*perWorker*4)
	for w := range workers {
		wg.Go(func() {
			name := fmt.Sprintf("worker%02d", w)
			if r := do(t, s, "Action", "CreateUser", "UserName", name); r.status != 200 {
				errs <- r.body
				return
			}
			for i := range perWorker {
				svc := services[i%len(services)].Name
				r := do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", name, "ServiceName", svc)
				if r.status != 200 && r.status != http.StatusConflict { // LimitExceeded once both slots are taken
					errs <- r.body
				}
				if r := do(t, s, "Action", "ListServiceSpecificCredentials", "AllUsers", "true", "MaxItems", "50"); r.status != 200 {
					errs <- r.body
				}
				if r := do(t, s, "Action", "ListUsers", "MaxItems", "20"); r.status != 200 {
					errs <- r.body
				}
				// Everyone races for the same shared user's two slots.
				r = do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", "shared", "ServiceName", codecommit)
				if r.status != 200 && r.status != http.StatusConflict {
					errs <- r.body
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := len(listCreds(t, s, "UserName", "shared").Result.Creds); n != 2 {
		t.Fatalf("shared user has %d credentials, want exactly 2", n)
	}
	for w := range workers {
		creds := listCreds(t, s, "UserName", fmt.Sprintf("worker%02d", w)).Result.Creds
		if len(creds) != 2*len(services) {
			t.Fatalf("worker %d has %d credentials", w, len(creds))
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkListAllUsers measures one AllUsers page at 5,000 users (~10,000
// credentials), from the middle of the listing: it must not depend on the total.
func BenchmarkListAllUsers(b *testing.B) {
	s, _ := newServer(b, Config{Seed: "scale:5000"})
	first := listCreds(b, s, "AllUsers", "true", "MaxItems", "1000")
	marker := *first.Result.Marker
	b.ResetTimer()
	for b.Loop() {
		do(b, s, "Action", "ListServiceSpecificCredentials", "AllUsers", "true", "Marker", marker)
	}
}

func BenchmarkCreateDelete(b *testing.B) {
	s, _ := newServer(b, Config{Seed: "scale:5000"})
	createUser(b, s, "bench")
	b.ResetTimer()
	for b.Loop() {
		c := createCred(b, s, "bench", codecommit)
		do(b, s, "Action", "DeleteServiceSpecificCredential", "UserName", "bench", "ServiceSpecificCredentialId", c.ServiceSpecificCredentialId)
	}
}
