// Package shim exposes the Terraform random provider's (internal) plugin-framework provider.
//
// Written for the0-infra's offline toolchain. Go allows importing an internal package from any module whose path
// is below the owning module's path, so this local module carries a path under
// github.com/terraform-providers/terraform-provider-random.
package shim

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"

	random "github.com/terraform-providers/terraform-provider-random/internal/provider"
)

// NewProvider returns the Terraform random provider.
func NewProvider() provider.Provider { return random.New() }
