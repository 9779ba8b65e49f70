//go:build tools

// Keeps the nats-server main package in this module's go.sum.
package tools

import _ "github.com/nats-io/nats-server/v2"
