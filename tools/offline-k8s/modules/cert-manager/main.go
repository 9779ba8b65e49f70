// cert-manager-controller for the0-infra's offline toolchain: cert-manager v1.21.1's controllers, started by our
// own small main. Upstream's binary (cmd/controller, module .../controller-binary) is a nested module that the Go
// module proxy does not serve, so this main builds the same controller loops from the main module's packages.
//
// Only what the e2e cluster needs is linked in: the certificates controllers, CertificateRequest signing for the
// CA and SelfSigned issuers (plus the approver, without which nothing is signed), Issuers/ClusterIssuers and the
// Ingress and Gateway API certificate-shims. No ACME, Vault or Venafi (so no DNS provider SDKs): an Issuer of
// those kinds gets Ready=False (reason NotSupported) and its CertificateRequests stay pending; the process keeps
// running. No leader election, no metrics/healthz servers (several local clusters may run side by side), logs
// (klog) go to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/klog/v2"

	// The module path of this main starts with github.com/cert-manager/cert-manager/ only so that this import
	// is allowed: Go permits internal/ packages to code whose import path shares the parent of internal/. The
	// feature gate names live there; checking the gate the way the context factory does keeps the Gateway
	// informers and the gateway-shim in step with it.
	"github.com/cert-manager/cert-manager/internal/controller/feature"
	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager"
	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"github.com/cert-manager/cert-manager/pkg/controller"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"

	// Each of these registers its controller (controller.Register) or issuer type (issuer.RegisterIssuer) in init.
	gatewayshim "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/gateways"
	ingressshim "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/ingresses"
	crapprover "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	crca "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	crselfsigned "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	"github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	"github.com/cert-manager/cert-manager/pkg/controller/issuers"
	"github.com/cert-manager/cert-manager/pkg/issuer"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
)

// wanted is checked against the registry so that a renamed or missing controller fails the start, not silently.
var wanted = []string{
	trigger.ControllerName, issuing.ControllerName, keymanager.ControllerName, requestmanager.ControllerName,
	readiness.ControllerName, revisionmanager.ControllerName,
	crapprover.ControllerName, crca.CRControllerName, crselfsigned.CRControllerName,
	issuers.ControllerName, clusterissuers.ControllerName,
	ingressshim.ControllerName, gatewayshim.ControllerName,
}

// unsupported stands in for the issuer types left out, so that such an Issuer says why it is not Ready instead of
// its sync failing ("issuer 'acme' not registered") and being retried forever.
type unsupported string

func (u unsupported) Setup(_ context.Context, iss cmv1.GenericIssuer) error {
	apiutil.SetIssuerCondition(iss, iss.GetGeneration(), cmv1.IssuerConditionReady, cmmeta.ConditionFalse, "NotSupported",
		fmt.Sprintf("the %s issuer is not part of this cert-manager build (the0-infra offline toolchain)", string(u)))
	return nil
}

func init() {
	for _, t := range []string{apiutil.IssuerACME, apiutil.IssuerVault, apiutil.IssuerVenafi} {
		issuer.RegisterIssuer(t, func(*controller.Context) (issuer.Interface, error) { return unsupported(t), nil })
	}
}

func main() {
	var (
		kubeconfig   = flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig file (default $KUBECONFIG; empty: in-cluster config)")
		clusterResNS = flag.String("cluster-resource-namespace", "cert-manager", "namespace of the Secrets that ClusterIssuers refer to (e.g. a CA's key pair)")
		namespace    = flag.String("namespace", "", "watch only this namespace (ClusterIssuers are then disabled); default: all namespaces")
		gatewayAPI   = flag.Bool("enable-gateway-api", true, "run the gateway-shim (needs the Gateway API v1 CRDs installed)")
		workers      = flag.Int("concurrent-workers", 5, "workers per controller")
		printVersion = flag.Bool("version", false, "print the version and exit")
	)
	klog.InitFlags(flag.CommandLine) // -v=N and klog's other flags; klog writes to stderr by default
	flag.Parse()
	if *printVersion {
		fmt.Println("cert-manager-controller", util.AppVersion, "(the0-infra toolchain build)")
		return
	}
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "unexpected arguments: %v\n", flag.Args())
		os.Exit(2)
	}

	logf.InitLogs()
	defer logf.FlushLogs()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx = logf.NewContext(ctx, logf.Log, "controller")
	log := logf.FromContext(ctx)
	log.Info("starting cert-manager controller (the0-infra toolchain build)", "version", util.AppVersion,
		"clusterResourceNamespace", *clusterResNS, "namespace", *namespace, "gatewayAPI", *gatewayAPI)

	if err := run(ctx, *kubeconfig, *clusterResNS, *namespace, *gatewayAPI, *workers); err != nil {
		log.Error(err, "controller exited")
		logf.FlushLogs()
		os.Exit(1)
	}
}

func run(ctx context.Context, kubeconfig, clusterResNS, namespace string, gatewayAPI bool, workers int) error {
	log := logf.FromContext(ctx)
	gatewayAPI = gatewayAPI && utilfeature.DefaultFeatureGate.Enabled(feature.ExperimentalGatewayAPISupport)

	// Upstream's defaults (internal/apis/config/controller/v1alpha1/defaults.go), written out: that package
	// imports every controller (ACME, Vault, Venafi), which would register them all and link the DNS SDKs.
	factory, err := controller.NewContextFactory(ctx, controller.ContextOptions{
		Kubeconfig:         kubeconfig,
		KubernetesAPIQPS:   20,
		KubernetesAPIBurst: 50,
		Namespace:          namespace,
		IssuerOptions: controller.IssuerOptions{
			ClusterResourceNamespace: clusterResNS,
			// no cloud credentials exist here; only ACME/Vault-style issuers would read them
			ClusterIssuerAmbientCredentials: false,
			IssuerAmbientCredentials:        false,
		},
		IngressShimOptions: controller.IngressShimOptions{
			DefaultIssuerKind:                 "Issuer",
			DefaultIssuerGroup:                cmapi.GroupName,
			DefaultAutoCertificateAnnotations: []string{"kubernetes.io/tls-acme"},
			GatewayAPIExtraProtocols:          sets.New[string](),
		},
		CertificateOptions: controller.CertificateOptions{
			CopiedAnnotationPrefixes:                 []string{"*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"},
			CertificateRequestMinimumBackoffDuration: time.Hour,
			CertificateRequestMaximumBackoffDuration: 32 * time.Hour,
		},
		SchedulerOptions: controller.SchedulerOptions{MaxConcurrentChallenges: 60},
		ConfigOptions:    controller.ConfigOptions{EnableGatewayAPI: gatewayAPI},
	})
	if err != nil {
		return fmt.Errorf("building the controller context: %w", err)
	}
	base, err := factory.Build()
	if err != nil {
		return err
	}

	enabled := sets.New(wanted...)
	if !gatewayAPI {
		enabled.Delete(gatewayshim.ControllerName)
	}
	if namespace != "" { // as upstream: a namespaced controller cannot watch cluster-scoped issuers
		enabled.Delete(clusterissuers.ControllerName)
	}
	known := controller.Known()
	for _, n := range wanted {
		if _, ok := known[n]; !ok {
			return fmt.Errorf("controller %q is not registered (missing import?)", n)
		}
	}

	g, gctx := errgroup.WithContext(ctx)
	names := sets.List(enabled) // sorted
	log.Info("enabled controllers", "controllers", names)
	for _, n := range names {
		c, err := known[n](factory) // registers the informers it needs; they start below
		if err != nil {
			return fmt.Errorf("creating controller %s: %w", n, err)
		}
		g.Go(func() error { return c.Run(workers, gctx) })
	}

	base.SharedInformerFactory.Start(gctx.Done())
	base.KubeSharedInformerFactory.Start(gctx.Done())
	base.HTTP01ResourceMetadataInformersFactory.Start(gctx.Done())
	if gatewayAPI {
		base.GWShared.Start(gctx.Done())
	}

	err = g.Wait()
	if gatewayAPI {
		base.GWShared.Shutdown()
	}
	base.HTTP01ResourceMetadataInformersFactory.Shutdown()
	base.KubeSharedInformerFactory.Shutdown()
	base.SharedInformerFactory.Shutdown()
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		log.Info("stopped by signal")
	}
	return nil
}
