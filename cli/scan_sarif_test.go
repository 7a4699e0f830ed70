package cli

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// checkSARIF checks a SARIF 2.1.0 log against what the standard requires and
// what GitHub code scanning reads: version, a run with tool.driver.name, rules
// with ids, results with a message text, a ruleId among the rules (and
// ruleIndex pointing at it), a level of the four, a physical location with an
// artifactLocation.uri that parses as a relative URI reference and a
// region.startLine ≥ 1, and partialFingerprints.
func checkSARIF(t *testing.T, out string) []map[string]any {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if log["version"] != "2.1.0" || !strings.Contains(log["$schema"].(string), "sarif-2.1.0") {
		t.Fatalf("version %v, $schema %v", log["version"], log["$schema"])
	}
	runs, _ := log["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("runs: %v", log["runs"])
	}
	run := runs[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver["name"] != "iamcreds" {
		t.Errorf("driver name %v", driver["name"])
	}
	var ruleIDs []string
	for _, r := range driver["rules"].([]any) {
		rule := r.(map[string]any)
		id, _ := rule["id"].(string)
		if id == "" || rule["shortDescription"].(map[string]any)["text"] == "" {
			t.Errorf("rule %v", rule)
		}
		ruleIDs = append(ruleIDs, id)
	}
	var results []map[string]any
	for _, x := range run["results"].([]any) {
		res := x.(map[string]any)
		results = append(results, res)
		id, _ := res["ruleId"].(string)
		i, _ := res["ruleIndex"].(float64)
		if int(i) >= len(ruleIDs) || ruleIDs[int(i)] != id {
			t.Errorf("ruleId %q, ruleIndex %v: not that rule", id, res["ruleIndex"])
		}
		if msg, _ := res["message"].(map[string]any); msg == nil || msg["text"] == "" {
			t.Errorf("result without message.text: %v", res)
		}
		switch res["level"] {
		case "none", "note", "warning", "error":
		default:
			t.Errorf("level %v", res["level"])
		}
		locs, _ := res["locations"].([]any)
		if len(locs) != 1 {
			t.Fatalf("locations %v", res["locations"])
		}
		phys := locs[0].(map[string]any)["physicalLocation"].(map[string]any)
		uri, _ := phys["artifactLocation"].(map[string]any)["uri"].(string)
		if u, err := url.Parse(uri); err != nil || uri == "" || u.IsAbs() || strings.HasPrefix(uri, "/") {
			t.Errorf("uri %q is not a relative URI reference (%v)", uri, err)
		}
		if line, _ := phys["region"].(map[string]any)["startLine"].(float64); line < 1 {
			t.Errorf("startLine %v", phys["region"])
		}
		if fp, _ := res["partialFingerprints"].(map[string]any); len(fp) == 0 {
			t.Errorf("no partialFingerprints: %v", res)
		}
	}
	return results
}

func TestScanSARIF(t *testing.T) {
	dir := scanTree(t)
	writeFile(t, dir+"/with space#and%.txt", scanAccessKey)
	r := runScanTest(t, dir, 0, "--offline", "--format", "sarif")
	if r.code != exitFlagged {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	results := checkSARIF(t, r.stdout)
	var got []string
	for _, res := range results {
		phys := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
		got = append(got, res["ruleId"].(string)+" "+phys["artifactLocation"].(map[string]any)["uri"].(string))
	}
	want := "iamcreds/bedrock-long-term app/settings.env|iamcreds/bedrock-long-term docs/notes.md|" +
		"iamcreds/access-key-id docs/notes.md|iamcreds/access-key-id with%20space%23and%25.txt"
	if strings.Join(got, "|") != want {
		t.Errorf("results\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
}
