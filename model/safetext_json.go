package model

// EscapeJSONControls rewrites, in encoded JSON, the characters SafeText
// replaces but encoding/json leaves as they are (C1 controls, bidi controls,
// invisible characters) as \u escapes: the value is kept, and a terminal that
// shows the file is not steered by it. For reports written outside model.
func EscapeJSONControls(b []byte) []byte { return escapeJSONControls(b) }
