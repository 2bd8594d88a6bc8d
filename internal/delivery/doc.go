// Package delivery is how approved data reaches a consumer (Art. 22, 25):
// the service interface that a consumer department's application systems
// call through the gateway. Its Service checks the caller and the grant,
// reads the granted items of one hosted row or verifies values against it
// (match or mismatch, never data), masks the sensitive items the grant does
// not give in clear (mask.go), holds each grant to its rate and daily quota
// (limits.go), and records every call, refused or not, in the ledger, with
// the day's usage count in the same transaction. Requests refused at their
// signature are recorded too, sampled against floods (refuse.go). It is plain Go over a Tx interface, so tests drive it
// without a server; the HTTP gateway only verifies the signature, decodes
// the body and translates the result.
package delivery
