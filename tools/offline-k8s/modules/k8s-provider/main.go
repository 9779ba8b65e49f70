// Wrapper main for pulumi-resource-kubernetes, written for the0-infra's offline toolchain.
//
// The upstream main package embeds two generated, gitignored files (schema-embed.json and
// terraform-mapping-embed.json) that are not part of the module zip served by the Go proxy, so it cannot be
// built from the proxy as-is. tools/offline-k8s/offline-k8s.sh build generates both files from the module's own schema.json and
// terraform-mapping.json into a scratch build directory (never into the repository) and builds this file there.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
