//go:build tools

// Keeps the mc main package's dependencies in this module's go.sum.
package tools

import _ "github.com/minio/mc"
