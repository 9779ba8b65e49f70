//go:build tools

// Keeps the helm main package's dependencies in this module's go.sum.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
