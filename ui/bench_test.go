package ui

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// Benchmarks with 5,000 users and 10,000 credentials loaded, built as the
// messages the UI would receive (no network: the figures are the UI's own).
// Each reports the median and 99th percentile of single operations besides the
// mean. go test -run '^$' -bench . ./ui

// bigInventory is n users with 2n credentials, deterministic.
func bigInventory(n int) model.Inventory {
	rng := rand.New(rand.NewPCG(5000, 10000))
	services := []string{model.CodeCommit, model.Keyspaces, model.Bedrock, model.Logs}
	inv := model.Inventory{}
	for i := range n {
		u := model.User{Name: fmt.Sprintf("user%05d.%s", i, []string{"ops", "dev", "data", "ci"}[i%4]), Created: fixedNow.AddDate(0, 0, -rng.IntN(1000))}
		inv.Users = append(inv.Users, u)
		for j := range 2 {
			svc := services[rng.IntN(len(services))]
			c := model.Credential{
				ID: fmt.Sprintf("ACCA%017d", i*2+j), UserName: u.Name, Service: svc, Status: model.Active,
				Created: fixedNow.AddDate(0, 0, -rng.IntN(900)),
			}
			if model.LookupService(svc).SupportsExpiry() {
				c.Alias = u.Name + "-at-123456789012"
				c.Expires = c.Created.AddDate(0, 0, 30+rng.IntN(400))
			} else {
				c.ServiceUserName = u.Name + "-at-123456789012"
			}
			inv.Credentials = append(inv.Credentials, c)
		}
	}
	return inv
}

// loadedModel is a UI at 120x36 with the inventory applied.
func loadedModel(b *testing.B, inv model.Inventory) *Model {
	b.Helper()
	m := New(Options{Now: clock})
	m.Init()
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	m.Update(inventoryMsg{acct: m.acct, task: 0, gen: m.load.gen, seq: m.acct.cache.tag(), inv: inv})
	m.Update(usersMsg{gen: m.load.gen, users: inv.Users})
	if len(m.main.users.all) != len(inv.Users) || len(m.acct.cache.all()) == 0 {
		b.Fatalf("inventory not applied: %d users", len(m.main.users.all))
	}
	_ = m.View()
	return m
}

// timed runs op b.N times and reports the median and p99 of single runs.
func timed(b *testing.B, op func(i int)) {
	b.Helper()
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		op(i)
		d = append(d, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "median-ns")
	b.ReportMetric(float64(d[len(d)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkCursorMove: one key (Update) and the frame after it (View), moving
// through the middle of the users table, where the most rows render.
func BenchmarkCursorMove(b *testing.B) {
	m := loadedModel(b, bigInventory(5000))
	down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
	m.main.users.table.SetCursor(2500)
	m.main.rebuildCreds()
	m.main.sync()
	timed(b, func(i int) {
		k := down
		if (i/200)%2 == 1 {
			k = up
		}
		m.Update(k)
		_ = m.View()
	})
}

// BenchmarkFilterKeystroke: typing into the users filter (and the frame after).
func BenchmarkFilterKeystroke(b *testing.B) {
	m := loadedModel(b, bigInventory(5000))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	keys := []tea.KeyMsg{
		{Type: tea.KeyRunes, Runes: []rune("1")},
		{Type: tea.KeyRunes, Runes: []rune("2")},
		{Type: tea.KeyRunes, Runes: []rune(".")},
		{Type: tea.KeyBackspace}, {Type: tea.KeyBackspace}, {Type: tea.KeyBackspace},
	}
	timed(b, func(i int) {
		m.Update(keys[i%len(keys)])
		_ = m.View()
	})
}

// BenchmarkFirstFrame: New, Init, the window size, and the first View — what
// the person waits for before any network answer.
func BenchmarkFirstFrame(b *testing.B) {
	timed(b, func(int) {
		m := New(Options{Now: clock})
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
		_ = m.View()
	})
}

// BenchmarkInventoryApplied: the 10,000 credentials arriving (not a target;
// it shows what the first full frame after loading costs).
func BenchmarkInventoryApplied(b *testing.B) {
	inv := bigInventory(5000)
	timed(b, func(int) {
		m := New(Options{Now: clock})
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
		m.Update(inventoryMsg{acct: m.acct, gen: m.load.gen, seq: m.acct.cache.tag(), inv: inv})
		_ = m.View()
	})
}

// BenchmarkApplyInventory: the inventory's answer at 20,000 users (40,000
// credentials) arriving at a UI that shows the users already (their answer came
// first): one Update and the frame after it. Issue 12's target: ≤ 15 ms.
func BenchmarkApplyInventory(b *testing.B) {
	for _, n := range []int{5000, 20000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			inv := bigInventory(n)
			d := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				m := New(Options{Now: clock})
				m.Init()
				m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
				m.Update(usersMsg{gen: m.load.gen, users: inv.Users})
				_ = m.View()
				msg := inventoryMsg{acct: m.acct, gen: m.load.gen, seq: m.acct.cache.tag(), inv: inv}
				b.StartTimer()
				t0 := time.Now()
				m.Update(msg)
				_ = m.View()
				d = append(d, time.Since(t0))
			}
			b.StopTimer()
			sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
			b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "median-ns")
		})
	}
}
