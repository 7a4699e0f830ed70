package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"runtime/debug"
	"strings"

	"iamcreds/model"
)

// SARIF 2.1.0 (OASIS), as GitHub code scanning reads it: one rule per key
// kind, a result per finding with its location (artifactLocation.uri relative
// to the repository, region.startLine), a level from the key's status, and
// partialFingerprints so that the same key in the same file is one alert from
// run to run. A history finding is placed at the path and line of the commit
// that added it; the commit is in its message and properties.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// sarifKinds are the rules, one per kind, in a fixed order.
var sarifKinds = []struct {
	kind  model.KeyKind
	name  string
	short string
}{
	{model.KeyBedrockLong, "LeakedBedrockAPIKey", "A long-term Amazon Bedrock API key (ABSK…)"},
	{model.KeyClaudePlatform, "LeakedClaudePlatformAPIKey", "A long-term Claude Platform on AWS API key (AEAA…)"},
	{model.KeyBedrockShort, "LeakedBedrockShortTermKey", "A short-term Amazon Bedrock API key (bedrock-api-key-…)"},
	{model.KeyClaudePlatformShort, "LeakedClaudePlatformShortTermKey", "A short-term Claude Platform on AWS API key"},
	{model.KeyAccessKeyID, "AWSAccessKeyID", "An AWS access key id (AKIA…/ASIA…)"},
}

func sarifRuleID(k model.KeyKind) string { return "iamcreds/" + string(k) }

func sarifRules() []sarifRule {
	rules := make([]sarifRule, 0, len(sarifKinds))
	for _, k := range sarifKinds {
		level, severity := "error", "9.0"
		if k.kind == model.KeyAccessKeyID {
			level, severity = "warning", "5.0" // an id alone is no secret, but its secret is often beside it
		}
		rules = append(rules, sarifRule{
			ID:               sarifRuleID(k.kind),
			Name:             k.name,
			ShortDescription: sarifText{k.short + " in the repository"},
			FullDescription: sarifText{k.short + " was committed or is in a file. Anyone who reads the " +
				"repository can use it until it is deactivated or deleted in IAM (a short-term key: until it expires)."},
			Help: sarifText{"Run `iamcreds whois` with the key on its standard input to find the exact credential " +
				"and deactivate it; then remove the key from the file and from the history."},
			DefaultConfiguration: map[string]any{"level": level},
			Properties:           map[string]any{"tags": []string{"security", "secret", "aws"}, "security-severity": severity},
		})
	}
	return rules
}

func (r *scanReport) writeSARIF(w io.Writer) error {
	rules := sarifRules()
	index := map[model.KeyKind]int{}
	for i, k := range sarifKinds {
		index[k.kind] = i
	}
	run := sarifRun{
		Tool:    sarifTool{Driver: sarifDriver{Name: "iamcreds", Version: moduleVersion(), Rules: rules}},
		Results: []sarifResult{},
	}
	for _, f := range r.Findings {
		d := f.Key.Key
		i, ok := index[d.Kind]
		if !ok {
			continue // a kind this release has no rule for
		}
		msg := fmt.Sprintf("%s %s", d.Kind, d.Fingerprint())
		if o := f.Key.owner(); o != "" {
			msg += " of " + o
		}
		if id := f.Key.credentialID(); id != "" {
			msg += ", credential " + id
		}
		msg += ": " + f.Key.Status
		props := map[string]any{"fingerprint": d.Fingerprint(), "status": f.Key.Status, "live": f.Key.Live}
		if f.Hit.Commit != "" {
			msg += fmt.Sprintf(" (added in commit %s; in %d added lines of the history)", f.Hit.Commit, f.Hit.Count)
			props["commit"] = f.Hit.Commit
			props["occurrences"] = f.Hit.Count
		}
		sum := sha256.Sum256([]byte(d.Fingerprint() + "\x00" + f.Hit.Path))
		run.Results = append(run.Results, sarifResult{
			RuleID:    rules[i].ID,
			RuleIndex: i,
			Level:     sarifLevel(f.Key, r.Offline),
			Message:   sarifText{model.SafeText(msg)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifURI(f.Hit.Path),
				Region:           sarifRegion{StartLine: max(f.Hit.Line, 1), StartColumn: max(f.Hit.Column, 1)},
			}}},
			PartialFingerprints: map[string]string{"iamcredsKeyInFile/v1": hex.EncodeToString(sum[:16])},
			Properties:          props,
		})
	}
	return writeJSONSafe(w, sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

// sarifLevel: error for a live key, warning for one that may be (unknown), note
// for one that is dead or gone.
func sarifLevel(k *scanKey, offline bool) string {
	switch {
	case k.Live || offline:
		return "error"
	case k.LookupErr != nil || k.Match == nil:
		return "warning"
	}
	return "note"
}

// sarifURI is path as a URI reference: relative to the repository root
// (%SRCROOT%) when relative, a file: URI when absolute.
func sarifURI(path string) sarifArtifact {
	if strings.HasPrefix(path, "/") || (len(path) > 2 && path[1] == ':' && path[2] == '/') {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: path}).String()}
	}
	u := (&url.URL{Path: path}).String() // escapes spaces, %, #, ?; "./" before a colon
	return sarifArtifact{URI: u, URIBaseID: "%SRCROOT%"}
}

// moduleVersion is the binary's module version, "" when unknown.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}
