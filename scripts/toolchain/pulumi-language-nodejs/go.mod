module local/the0-toolchain/pulumi-language-nodejs

go 1.24.1

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e

require (
	github.com/pulumi/pulumi/pkg/v3 v3.184.0
	github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 v3.0.0-20250718110245-a8f88047ab64
	github.com/pulumi/pulumi/sdk/v3 v3.184.0
)

tool github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
