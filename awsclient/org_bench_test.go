package awsclient

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
)

// BenchmarkOrgScan is `audit --org` without the report: ListAccounts, then
// AssumeRole and the AllUsers inventory in every ACTIVE account, 8 accounts at
// once, against the local endpoint with 20 ms per request. Each iteration is a
// fresh Org, so every role is assumed again, as in a new run.
//
// The round-trip floor at concurrency C: the ListAccounts pages one after the
// other (20 accounts a page; GetCallerIdentity goes alongside), then the
// accounts in waves of C, each account two round trips — AssumeRole, then its
// ListUsers and one AllUsers listing per service all at once (one page each up
// to 1,000 users). x-floor is the time taken over that floor; cpu-ms/op is
// the CPU both ends used (client and endpoint share the process), which bounds
// the time on a machine with fewer cores than the scan can use.
func BenchmarkOrgScan(b *testing.B) {
	for _, bc := range []struct{ seed string }{{"org:20x500"}, {"org:100x100"}} {
		b.Run(bc.seed, func(b *testing.B) { benchmarkOrgScan(b, bc.seed, 20*time.Millisecond, DefaultAccountConcurrency) })
		// Without latency: what is left is the CPU of both ends (signing, XML).
		b.Run(bc.seed+"/no-latency", func(b *testing.B) { benchmarkOrgScan(b, bc.seed, 0, DefaultAccountConcurrency) })
	}
}

func benchmarkOrgScan(b *testing.B, seed string, latency time.Duration, concurrency int) {
	ctx := context.Background()
	srv, err := localiam.New(localiam.Config{Seed: seed, Faults: localiam.Faults{Latency: latency}})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c, err := New(ctx, Config{EndpointURL: hs.URL, StaticCredentials: testCreds, Region: "us-east-1"})
	if err != nil {
		b.Fatal(err)
	}
	active := 0
	for _, a := range srv.Accounts() {
		if a.Status == "ACTIVE" {
			active++
		}
	}
	listPages := (len(srv.Accounts()) + 19) / 20
	waves := (active + concurrency - 1) / concurrency
	floor := time.Duration(listPages+2*waves) * latency

	var creds int
	b.ResetTimer()
	cpu0 := processCPU()
	for b.Loop() {
		org := c.Org(OrgOptions{})
		accounts, err := org.Accounts(ctx)
		if err != nil {
			b.Fatal(err)
		}
		creds = 0
		read := 0
		for _, r := range ScanAccounts(ctx, org.Targets(accounts), ScanOptions{Concurrency: concurrency}) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			if r.Read() {
				read++
				creds += len(r.Inventory.Credentials)
			}
		}
		if read != active {
			b.Fatalf("%d accounts read, want %d", read, active)
		}
	}
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	}
	b.ReportMetric(float64(creds), "credentials")
	if floor > 0 {
		perOp := b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(floor.Milliseconds()), "floor-ms")
		b.ReportMetric(float64(perOp)/float64(floor), "x-floor")
	}
}
