//go:build tools

// Keeps promtool's dependencies in this module's go.sum.
package tools

import _ "github.com/prometheus/prometheus/cmd/promtool"
