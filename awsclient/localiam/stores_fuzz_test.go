package localiam

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzStores sends arbitrary operations and bodies to the secret stores: the
// handler must never panic, and every answer must be a JSON object — an error
// with a __type, or the operation's output.
func FuzzStores(f *testing.F) {
	for _, seed := range []struct{ target, body string }{
		{"secretsmanager.CreateSecret", `{"Name":"ci/git","SecretString":"s","ClientRequestToken":"0123456789abcdef0123456789abcdef"}`},
		{"secretsmanager.PutSecretValue", `{"SecretId":"demo/ci-git","SecretString":"s","VersionStages":["AWSCURRENT","X"]}`},
		{"secretsmanager.PutSecretValue", `{"SecretId":"demo/ci-git","SecretBinary":"AAEC"}`},
		{"secretsmanager.GetSecretValue", `{"SecretId":"arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/ci-git","VersionStage":"AWSPREVIOUS"}`},
		{"secretsmanager.UpdateSecretVersionStage", `{"SecretId":"demo/ci-git","VersionStage":"AWSCURRENT","RemoveFromVersionId":"0123456789abcdef0123456789abcdef"}`},
		{"secretsmanager.ListSecretVersionIds", `{"SecretId":"demo/ci-git","MaxResults":1,"NextToken":"x","IncludeDeprecated":true}`},
		{"secretsmanager.DescribeSecret", `{"SecretId":""}`},
		{"secretsmanager.DeleteSecret", `{"SecretId":"demo/ci-git","RecoveryWindowInDays":7}`},
		{"secretsmanager.RestoreSecret", `{"SecretId":"demo/ci-git"}`},
		{"AmazonSSM.PutParameter", `{"Name":"/a/b","Value":"v","Type":"SecureString","Overwrite":true,"AllowedPattern":"(["}`},
		{"AmazonSSM.GetParameter", `{"Name":"/demo/ci/git-password:1","WithDecryption":true}`},
		{"AmazonSSM.GetParameter", `{"Name":"arn:aws:ssm:us-east-1:123456789012:parameter/x"}`},
		{"AmazonSSM.DeleteParameter", `{"Name":null}`},
		{"AmazonSSM.Nothing", `[]`},
		{"secretsmanager.CreateSecret", `{"Name":1}`},
	} {
		f.Add(seed.target, seed.body)
	}
	clock := &testClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	s, err := New(Config{Seed: "demo", Now: clock.Now})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, target, body string) {
		if !strings.HasPrefix(target, "secretsmanager.") && !strings.HasPrefix(target, "AmazonSSM.") {
			return
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("status %d, not a JSON object (%v):\n%s", rec.Code, err, rec.Body.Bytes())
		}
		if _, isErr := out["__type"]; (rec.Code != http.StatusOK) != isErr {
			t.Fatalf("status %d with %s", rec.Code, rec.Body.Bytes())
		}
	})
}

// Concurrent puts to one secret: every put makes a version, the labels stay on
// one version each, and the deprecated versions beyond 100 are dropped.
func TestStoresConcurrentPuts(t *testing.T) {
	s, err := New(Config{Seed: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	call := func(target, body string) map[string]any {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusOK {
			t.Errorf("%s: %d %s", target, rec.Code, rec.Body.Bytes())
		}
		return out
	}
	const workers, puts = 8, 20
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range puts {
				call("secretsmanager.PutSecretValue", `{"SecretId":"demo/ci-git","SecretString":"v`+string(rune('a'+w))+string(rune('a'+i))+`"}`)
				call("AmazonSSM.PutParameter", `{"Name":"/demo/ci/git-password","Value":"v","Overwrite":true}`)
			}
		}()
	}
	for range workers {
		<-done
	}
	list := call("secretsmanager.ListSecretVersionIds", `{"SecretId":"demo/ci-git","IncludeDeprecated":true}`)
	versions, _ := list["Versions"].([]any)
	labels := map[string]int{}
	for _, v := range versions {
		stages, _ := v.(map[string]any)["VersionStages"].([]any) // absent on a deprecated version
		for _, l := range stages {
			labels[l.(string)]++
		}
	}
	if len(versions) != maxSecretVersions || labels[stageCurrent] != 1 || labels[stagePrevious] != 1 || len(labels) != 2 {
		t.Fatalf("%d versions, labels %v", len(versions), labels)
	}
	p := call("AmazonSSM.GetParameter", `{"Name":"/demo/ci/git-password"}`)["Parameter"].(map[string]any)
	if p["Version"] != float64(1+workers*puts) {
		t.Fatalf("parameter version %v", p["Version"])
	}
}
