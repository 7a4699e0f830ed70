package localiam

import (
	"crypto/sha256"
	"fmt"
	"time"
)

// The demo account's secret stores, in us-east-1 (the demo's region): one
// secret and one SecureString parameter that the README's delivery examples
// name, each holding a placeholder (no credential), so that a delivery there
// shows the labels move (AWSPREVIOUS on the placeholder) and the version grow.
const (
	DemoSecretName    = "demo/ci-git"
	DemoParameterName = "/demo/ci/git-password"
	demoPlaceholder   = `{"note":"placeholder: deliver the ops.bot@ci Git password here"}`
)

// seedDemoStores fills the account's us-east-1 stores, dated 30 days before now.
func (a *account) seedDemoStores(now time.Time) {
	st := a.regionStore(defaultRegion)
	st.mu.Lock()
	defer st.mu.Unlock()
	then := now.AddDate(0, 0, -30).UTC()
	value := demoPlaceholder
	st.secrets[DemoSecretName] = &secret{
		name:        DemoSecretName,
		arn:         "arn:aws:secretsmanager:" + defaultRegion + ":" + a.id + ":secret:" + DemoSecretName + "-" + demoSuffix(a.id),
		description: "CI runner's Git password (ops.bot@ci)",
		created:     then, changed: then,
		versions: []*secretVersion{{id: derivedUUID("demo secret version", a.id), str: &value, stages: []string{stageCurrent}, created: then}},
	}
	st.params[DemoParameterName] = &parameter{name: DemoParameterName, versions: []*paramVersion{{
		version: 1, typ: paramSecure, value: "placeholder", cipher: standInCiphertext(len("placeholder")),
		keyID: defaultParamKey, tier: "Standard", dataType: "text", modified: then,
		description: "CI runner's Git password (ops.bot@ci)",
	}}}
}

// demoSuffix is the demo secret's 6-character ARN suffix, the same every run.
func demoSuffix(account string) string {
	sum := sha256.Sum256([]byte("localiam demo secret " + account))
	out := make([]byte, 6)
	for i := range out {
		out[i] = suffixAlphabet[int(sum[i])%len(suffixAlphabet)]
	}
	return string(out)
}

// derivedUUID is a version 4 UUID derived from the parts: stable IDs for seeds.
func derivedUUID(parts ...string) string {
	sum := sha256.Sum256([]byte(fmt.Sprint(parts)))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
