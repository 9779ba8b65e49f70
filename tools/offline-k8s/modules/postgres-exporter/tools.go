//go:build tools

// Keeps the exporter's dependencies in this module's go.sum.
package tools

import _ "github.com/prometheus-community/postgres_exporter/cmd/postgres_exporter"
