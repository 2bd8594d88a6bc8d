// Package app wires the domain services to a store. The command line, the
// HTTP API and the tests all build the platform through New, so they run the
// same code.
package app

import (
	"time"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/complaint"
	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/delivery"
	"github.com/govshare/govshare/internal/dispute"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/servicechange"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/upstream"
	"github.com/govshare/govshare/internal/usagerecord"
	"github.com/govshare/govshare/internal/workcal"
)

// App is the platform's services over one store.
type App struct {
	Store  *store.Store
	Org    *org.Service
	Auth   *auth.Service
	Ledger *ledger.Reader
	// Tree is the tamper-evident Merkle tree over the events: integration,
	// signed checkpoints and proofs. Its signer is set by the command that
	// opens the platform (Tree.Configure).
	Tree     *ledger.Tree
	Calendar *workcal.Service
	Catalog  *catalog.Service
	// Applications is the supply-demand matching of Art. 20–22.
	Applications *application.Service
	// Grants are what approved applications give (Art. 22, 25, 27).
	Grants *grant.Service
	// Datasets are the providers' hosted data of published entries.
	Datasets *dataset.Service
	// Gateway holds the consumers' application systems and their credentials,
	// and verifies signed gateway requests. Its keyring is set by the command
	// that opens the platform (UseKeyring).
	Gateway *gateway.Service
	// Delivery serves the service interface that the gateway exposes:
	// queries and verifications under a grant (Art. 22, 25).
	Delivery *delivery.Service
	// Files is file download (Art. 22): providers' uploaded files and the
	// consumers' download links. Its directory is set by the command that
	// opens the platform (Configure).
	Files *files.Service
	// Upstreams are the providers' proxied services: endpoints of their own
	// systems that serve an entry through the gateway.
	Upstreams *upstream.Service
	// Exchange is batch exchange (pulls, push subscriptions and their
	// pusher) and the return flow of Art. 24.
	Exchange *exchange.Service
	// UsageRecords are the consumers' usage records of Art. 29, their
	// readers, retention and inspection exports.
	UsageRecords *usagerecord.Service
	// Corrections are the checking and correction of shared data (Art. 26):
	// usage statuses, correction requests and answers, departments' rules.
	Corrections *correction.Service
	// ServiceChanges are providers' endings and changes of delivered
	// services: consultation and filing (Art. 27 ¶3).
	ServiceChanges *servicechange.Service
	// Disputes are the disputes between consumer and provider departments
	// and their negotiation, coordination and decision (Art. 28).
	Disputes *dispute.Service
	// Complaints are the public's complaints and reports of Art. 37.
	Complaints *complaint.Service
	Now        func() time.Time
}

// New builds the services. now is the clock every rule reads; tests move it.
func New(s *store.Store, now func() time.Time, policy auth.Policy) *App {
	cal := workcal.NewService(store.Adapt[workcal.Tx](s.Write), store.Adapt[workcal.Tx](s.Read), now)
	a := &App{
		Store:    s,
		Org:      org.NewService(store.Adapt[org.Tx](s.Write), store.Adapt[org.Tx](s.Read), now),
		Auth:     auth.NewService(store.Adapt[auth.Tx](s.Write), store.Adapt[auth.Tx](s.Read), now, policy),
		Ledger:   ledger.NewReader(store.Adapt[ledger.Tx](s.Read)),
		Tree:     ledger.NewTree(store.Adapt[ledger.TreeTx](s.Write), store.Adapt[ledger.TreeTx](s.Read), now, ledger.TreeConfig{}),
		Calendar: cal,
		Catalog:  catalog.NewService(store.Adapt[catalog.Tx](s.Write), store.Adapt[catalog.Tx](s.Read), cal, now),
		Now:      now,
	}
	a.Applications = application.NewService(store.Adapt[application.Tx](s.Write), store.Adapt[application.Tx](s.Read), now, a.Calendar)
	a.Grants = grant.NewService(store.Adapt[grant.Tx](s.Write), store.Adapt[grant.Tx](s.Read), now, a.Calendar)
	a.Datasets = dataset.NewService(store.Adapt[dataset.Tx](s.Write), store.Adapt[dataset.Tx](s.Read), now)
	a.Gateway = gateway.NewService(store.Adapt[gateway.Tx](s.Write), store.Adapt[gateway.Tx](s.Read), now, nil)
	a.Delivery = delivery.NewService(store.Adapt[delivery.Tx](s.Write), store.Adapt[delivery.Tx](s.Read), now)
	a.Files = files.NewService(store.Adapt[files.Tx](s.Write), store.Adapt[files.Tx](s.Read), now)
	a.Upstreams = upstream.NewService(store.Adapt[upstream.Tx](s.Write), store.Adapt[upstream.Tx](s.Read), now, a.Gateway.Keys)
	a.Delivery.UseUpstream(upstream.NewClient(now), a.Gateway.Keys)
	// The gateway path keeps its configuration in memory while the store's
	// generation is unchanged (gateway.Cache).
	a.Gateway.UseGeneration(s.Generation)
	a.Delivery.UseGeneration(s.Generation)
	a.Exchange = exchange.NewService(store.Adapt[exchange.Tx](s.Write), store.Adapt[exchange.Tx](s.Read), now, a.Gateway.Keys)
	a.UsageRecords = usagerecord.NewService(store.Adapt[usagerecord.Tx](s.Write), store.Adapt[usagerecord.Tx](s.Read), now)
	a.Corrections = correction.NewService(store.Adapt[correction.Tx](s.Write), store.Adapt[correction.Tx](s.Read), now, a.Calendar)
	a.ServiceChanges = servicechange.NewService(store.Adapt[servicechange.Tx](s.Write), store.Adapt[servicechange.Tx](s.Read), now, a.Calendar)
	a.Disputes = dispute.NewService(store.Adapt[dispute.Tx](s.Write), store.Adapt[dispute.Tx](s.Read), now, a.Calendar)
	a.Complaints = complaint.NewService(store.Adapt[complaint.Tx](s.Write), store.Adapt[complaint.Tx](s.Read), now, a.Calendar)
	return a
}
