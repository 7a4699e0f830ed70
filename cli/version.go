package cli

import (
	"runtime/debug"
)

// versionString reports the module version and, when the build recorded it, the
// commit — both from the binary's build info, so `go install …@v1.2.3` needs no flags.
func versionString() string {
	return formatVersion(debug.ReadBuildInfo())
}

// formatVersion is versionString for a given build info, so tests can vary it.
func formatVersion(bi *debug.BuildInfo, ok bool) string {
	version, commit, dirty := "(devel)", "", false
	if ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	out := "iamcreds " + version
	if commit != "" {
		if len(commit) > 12 {
			commit = commit[:12]
		}
		out += " (commit " + commit
		if dirty {
			out += ", modified"
		}
		out += ")"
	}
	return out
}
