package localiam

import (
	"fmt"
	"math/rand/v2"
	"time"
)

const (
	codecommit = "codecommit.amazonaws.com"
	keyspaces  = "cassandra.amazonaws.com"
	bedrock    = "bedrock.amazonaws.com"
	logs       = "logs.amazonaws.com"
	cloudwatch = "cloudwatch.amazonaws.com"

	maxScaleUsers = 1_000_000
)

type demoCred struct {
	service  string
	inactive bool
	ageDays  int // created this many days before now
	expDays  int // expires this many days after creation; 0: never
}

type demoUser struct {
	name    string
	path    string
	ageDays int
	creds   []demoCred
}

// demoUsers is the demo account: every state the UI has to show, on users whose
// names exercise IAM's allowed punctuation.
var demoUsers = []demoUser{
	{"sofia", "/engineering/", 1090, []demoCred{ // at the CodeCommit limit: -at- and +1-at-
		{service: codecommit, inactive: true, ageDays: 800},
		{service: codecommit, ageDays: 35},
	}},
	{"mateo", "/engineering/", 960, []demoCred{{service: codecommit, ageDays: 610}}},
	{"priya", "/", 870, []demoCred{
		{service: codecommit, inactive: true, ageDays: 400},
		{service: bedrock, ageDays: 27, expDays: 30}, // expires within 3 days
	}},
	{"liam", "/", 820, []demoCred{{service: keyspaces, ageDays: 455}}},
	{"chen.wei", "/data/", 760, []demoCred{ // Keyspaces, both over a year old
		{service: keyspaces, inactive: true, ageDays: 700},
		{service: keyspaces, ageDays: 520},
	}},
	{"amara", "/", 640, []demoCred{{service: bedrock, ageDays: 120}}},            // never expires
	{"noah", "/", 500, []demoCred{{service: bedrock, ageDays: 60, expDays: 45}}}, // expired 15 days ago
	{"ops.bot@ci", "/automation/", 430, []demoCred{
		{service: codecommit, ageDays: 300},
		{service: logs, ageDays: 14, expDays: 90},
	}},
	{"jane+test", "/", 380, nil},
	{"svc=build,deploy", "/automation/", 350, []demoCred{{service: codecommit, ageDays: 340}}},
	{"lucia", "/", 300, nil},
	{"fatima", "/engineering/", 260, []demoCred{
		{service: codecommit, ageDays: 250},
		{service: bedrock, inactive: true, ageDays: 90, expDays: 365},
	}},
	{"oliver", "/", 180, []demoCred{
		{service: codecommit, ageDays: 170},
		{service: keyspaces, ageDays: 160},
	}},
	{"kenji", "/data/", 90, nil},
	{"ana", "/", 21, nil},
}

// demoState builds the demo account relative to now. Times get a deterministic
// time of day so that the listing looks real and is identical for a fixed clock.
func demoState(now time.Time) *fileState {
	return withExtraUsers(demoUsersState(demoUsers, 508, now), demoExtraUsers, demoGroups, 509, now)
}

// demoUsersState builds users relative to now, with times of day drawn from a
// generator seeded with seed.
func demoUsersState(users []demoUser, seed uint64, now time.Time) *fileState {
	rng := rand.New(rand.NewPCG(2010, seed))
	at := func(daysAgo int) time.Time {
		return now.Add(-time.Duration(daysAgo)*24*time.Hour - time.Duration(rng.IntN(12*3600))*time.Second)
	}
	fs := &fileState{}
	for _, du := range users {
		fu := fileUser{Name: du.name, Path: du.path, Created: stamp(at(du.ageDays))}
		for _, dc := range du.creds {
			created := at(dc.ageDays)
			fc := fileCred{Service: dc.service, Created: stamp(created)}
			if dc.inactive {
				fc.Status = statusInactive
			}
			if dc.expDays > 0 {
				fc.Expires = stamp(created.Add(time.Duration(dc.expDays) * 24 * time.Hour))
			}
			fu.Credentials = append(fu.Credentials, fc)
		}
		fs.Users = append(fs.Users, fu)
	}
	return fs
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

var (
	scaleFirst = []string{"ava", "ben", "carla", "diego", "elena", "farid", "grace", "hana", "ivan", "julia",
		"kofi", "lena", "marco", "nadia", "omar", "paula", "quinn", "rosa", "sami", "tara", "umar", "vera", "wei", "yara", "zoe"}
	scaleLast  = []string{"adams", "brown", "costa", "diaz", "evans", "fischer", "garcia", "haddad", "ito", "jones", "kim", "lopez", "meyer", "novak", "okafor"}
	scalePaths = []string{"/", "/", "/", "/engineering/", "/data/", "/automation/"}
	// scaleServices is weighted by repetition: Git credentials are the most common.
	scaleServices = []string{codecommit, codecommit, codecommit, codecommit, keyspaces, keyspaces, bedrock, bedrock, logs, cloudwatch}
	scaleExpiries = []int{0, 0, 30, 90, 365}
)

// scaleState builds n users with 0–4 credentials each (2 on average), for
// performance work. It depends only on n and now.
func scaleState(n int, now time.Time) *fileState { return scaleUsersState(n, 4599, now) }

// scaleUsersState is scaleState with another generator seed: the accounts of an
// organization seed differ from one another.
func scaleUsersState(n int, seed uint64, now time.Time) *fileState {
	rng := rand.New(rand.NewPCG(uint64(n), seed))
	fs := &fileState{Users: make([]fileUser, 0, n)}
	for i := range n {
		name := fmt.Sprintf("%s.%s%05d", scaleFirst[rng.IntN(len(scaleFirst))], scaleLast[rng.IntN(len(scaleLast))], i)
		userAge := time.Duration(1+rng.IntN(1200)) * 24 * time.Hour
		created := now.Add(-userAge - time.Duration(rng.IntN(86400))*time.Second)
		fu := fileUser{Name: name, Path: scalePaths[rng.IntN(len(scalePaths))], Created: stamp(created)}
		perService := map[string]int{}
		for range rng.IntN(5) {
			svc := scaleServices[rng.IntN(len(scaleServices))]
			for perService[svc] == maxCredsPerService { // at most 4 credentials: a free service exists
				svc = scaleServices[rng.IntN(len(scaleServices))]
			}
			perService[svc]++
			cCreated := created.Add(time.Duration(rng.Int64N(int64(now.Sub(created)))))
			fc := fileCred{Service: svc, Created: stamp(cCreated)}
			if rng.IntN(100) < 15 {
				fc.Status = statusInactive
			}
			if s, _ := lookupService(svc); s.APIKey {
				if days := scaleExpiries[rng.IntN(len(scaleExpiries))]; days > 0 {
					fc.Expires = stamp(cCreated.Add(time.Duration(days) * 24 * time.Hour))
				}
			}
			fu.Credentials = append(fu.Credentials, fc)
		}
		switch i % consoleEvery {
		case consoleAt:
			consoleUser(&fu, i, now)
		case xrayAt:
			fu.Credentials = append(fu.Credentials, fileCred{Service: xray, Created: fu.Created})
		}
		fs.Users = append(fs.Users, fu)
	}
	return fs
}
