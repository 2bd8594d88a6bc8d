package exchange

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// Kind is what a subscription does.
type Kind string

const (
	// Push sends a batch-exchange grant's pages to the consumer's endpoint.
	Push Kind = "push"
	// ReturnFlow returns an upper-level provider's entry to a lower-level
	// department, rows of its region only (回流, Art. 24).
	ReturnFlow Kind = "return_flow"
)

// State is where a subscription stands.
type State string

const (
	// Active: pages flow.
	Active State = "active"
	// Cancelled by a party's sharing office.
	Cancelled State = "cancelled"
	// Ended: the grant behind a push subscription was terminated or expired.
	Ended State = "ended"
)

// Subscription is a push endpoint of a grant or a return flow. Its push
// secret is never part of it.
type Subscription struct {
	ID      string `json:"id"`
	Kind    Kind   `json:"kind"`
	GrantID string `json:"grant_id,omitempty"`
	EntryID string `json:"entry_id"`
	// The provider gives the data; the subscriber receives it: the grant's
	// consumer, or the lower-level department of a return flow.
	ProviderID         string `json:"provider_id"`
	ProviderDivision   string `json:"provider_division"`
	SubscriberID       string `json:"subscriber_id"`
	SubscriberDivision string `json:"subscriber_division"`
	// DivisionItem is the data item holding each row's division code; a
	// return flow delivers the rows whose code lies in SubscriberDivision.
	DivisionItem string   `json:"division_item,omitempty"`
	Items        []string `json:"items"`
	EndpointURL  string   `json:"endpoint_url,omitempty"`
	// IntervalSeconds is a push's schedule, set by the provider's office
	// (Schedule): 0 pushes as soon as there is something to send, N waits
	// N seconds after a turn that sent everything.
	IntervalSeconds int      `json:"interval_seconds"`
	State           State    `json:"state"`
	Progress        Progress `json:"progress"`

	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	CancelledBy  string     `json:"cancelled_by,omitempty"`
	CancelledAt  *time.Time `json:"cancelled_at,omitempty"`
	CancelReason string     `json:"cancel_reason,omitempty"`
	Version      int64      `json:"version"`
}

// Progress is how far a subscription's data has gone. The pusher updates it
// on its own, outside the subscription's version: Cursor moves only when
// the endpoint acknowledged the page that ends there.
type Progress struct {
	Cursor         string     `json:"cursor,omitempty"`
	Attempts       int        `json:"attempts"`
	NextAttemptAt  *time.Time `json:"next_attempt_at,omitempty"`
	LastStatus     int        `json:"last_status,omitempty"`
	LastError      string     `json:"last_error,omitempty"`
	DeliveredRows  int64      `json:"delivered_rows"`
	LastDeliveryAt *time.Time `json:"last_delivery_at,omitempty"`
}

// Created is a new subscription; a push subscription's signing secret is
// shown here once and never again.
type Created struct {
	Subscription
	Secret string `json:"secret,omitempty"`
}

// NewSubscription is what a sharing office asks for. A push subscription
// names GrantID and EndpointURL; a return flow names EntryID, SubscriberID,
// DivisionItem and optionally Items (all the entry's items by default).
type NewSubscription struct {
	Kind         Kind     `json:"kind"`
	GrantID      string   `json:"grant_id"`
	EndpointURL  string   `json:"endpoint_url"`
	EntryID      string   `json:"entry_id"`
	SubscriberID string   `json:"subscriber_id"`
	DivisionItem string   `json:"division_item"`
	Items        []string `json:"items"`
}

// CancelInput carries the version last read and an optional reason.
type CancelInput struct {
	Version int64  `json:"version"`
	Reason  string `json:"reason"`
}

// Sealed is a push secret as stored: SM4-GCM under the master key KeyID.
type Sealed struct {
	KeyID      string
	Ciphertext []byte
}

// Delivery is one pull or push attempt as the delivery log keeps it:
// counts, items and outcome, never a key or a value.
type Delivery struct {
	ID             string    `json:"id"`
	SubscriptionID string    `json:"subscription_id,omitempty"`
	GrantID        string    `json:"grant_id,omitempty"`
	EntryID        string    `json:"entry_id"`
	DepartmentID   string    `json:"department_id"`
	SystemID       string    `json:"system_id,omitempty"`
	Mode           string    `json:"mode"` // "pull" or "push"
	Phase          Phase     `json:"phase"`
	FromSeq        int64     `json:"from_seq"`
	ToSeq          int64     `json:"to_seq"`
	Pin            int64     `json:"pin"`
	Rows           int       `json:"rows"`
	Checksum       string    `json:"checksum,omitempty"`
	Items          []string  `json:"items"`
	Purpose        string    `json:"purpose"`
	Outcome        string    `json:"outcome"` // "ok" or the refusal's or failure's code
	HTTPStatus     int       `json:"http_status,omitempty"`
	Attempt        int       `json:"attempt"`
	At             time.Time `json:"at"`
}

// Filter narrows a listing; Scope and Department come from the reader's rights.
type Filter struct {
	Limit   int
	After   string
	Kind    Kind
	GrantID string
	EntryID string
	State   State
	Scope   Scope
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("exchange: crypto/rand failed: " + err.Error())
	}
	return b
}

// secretPrefix makes a leaked push secret recognisable, like gsc_ and gsu_.
const secretPrefix = "gss_"

func newSecret() string { return secretPrefix + base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

// ObjectOf names a subscription for the record: it belongs to the subscriber.
func ObjectOf(s Subscription) ledger.Object {
	return ledger.Object{Type: "exchange_subscription", ID: s.ID, DepartmentID: s.SubscriberID}
}

const (
	maxURL    = 2000
	maxReason = 2000
)

// checkEndpoint checks a push endpoint: an absolute http or https URL
// without credentials or fragment; the platform signs what it sends.
func checkEndpoint(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	bad := func(detail string) error {
		return problem.Field("endpoint_url", "exchange.endpoint_invalid", "推送地址无效", detail)
	}
	if raw == "" {
		return "", problem.Field("endpoint_url", "exchange.endpoint_required", "必须填写推送地址", "a push subscription needs endpoint_url")
	}
	if len(raw) > maxURL {
		return "", bad("endpoint_url is longer than 2000 characters")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return "", bad("endpoint_url must be an absolute http or https URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", bad("endpoint_url must use http or https")
	case u.User != nil:
		return "", bad("endpoint_url must not carry a user name or password; each push is signed with the subscription's secret")
	case u.Fragment != "":
		return "", bad("endpoint_url must not have a fragment")
	}
	return raw, nil
}
