//go:build tools

// Keeps the ferretdb main package's dependencies in this module's go.sum.
package tools

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"
