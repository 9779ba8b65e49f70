// pulumi-resource-random for the0-infra's offline toolchain.
//
// The Go module proxy serves no version of github.com/pulumi/pulumi-random/provider/v4, so this is our own
// minimal bridge of the Terraform random provider (served by the proxy) with pulumi-terraform-bridge. It uses the
// token scheme of the @pulumi/random npm package (random:index/randomPassword:RandomPassword, ...), so programs
// written against @pulumi/random can create, update and delete its resources. Not included: the package schema
// (GetSchema returns an error), docs, state upgrades from old @pulumi/random versions, auto-aliases.
package main

import (
	"context"
	"errors"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/terraform-providers/terraform-provider-random/shim"
)

// Version is set with -ldflags "-X main.Version=...".
var Version = "0.0.0-dev"

func providerInfo() tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:            pf.ShimProvider(shim.NewProvider()),
		Name:         "random",
		Version:      Version,
		MetadataInfo: tfbridge.NewProviderMetadata([]byte("{}")),
		Resources: map[string]*tfbridge.ResourceInfo{
			// random_bytes has no id attribute; use its value, as @pulumi/random does.
			"random_bytes": {ComputeID: func(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
				v, ok := state["base64"]
				if !ok {
					return "", errors.New("random_bytes: no base64 in state")
				}
				if v.IsSecret() {
					v = v.SecretValue().Element
				}
				if !v.IsString() {
					return "", errors.New("random_bytes: base64 is not a string")
				}
				return resource.ID(v.StringValue()), nil
			}},
		},
	}
	// random_password -> random:index/randomPassword:RandomPassword
	info.MustComputeTokens(tokens.SingleModule("random_", "index", func(module, name string) (string, error) {
		return tokens.MakeStandard("random")(module, "Random"+name)
	}))
	return info
}

func main() {
	pf.Main(context.Background(), "random", providerInfo(), pf.ProviderMetadata{
		XGetSchema: func(context.Context, plugin.GetSchemaRequest) ([]byte, error) {
			return nil, errors.New("pulumi-resource-random (the0-infra offline build) ships no package schema")
		},
	})
}
