// Package exchange is batch exchange (批量交换, Art. 22) and the return flow
// of Art. 24 over the providers' hosted datasets.
//
// A consumer's application system pulls, under a batch-exchange grant, a
// full snapshot of the entry's live rows and then the change feed after it,
// in pages. The snapshot is pinned to the change number that was current
// when it began: it holds exactly the live rows whose latest change is at or
// below the pin, so a row changed while the snapshot is paged comes through
// the changes after the pin, never twice and never missing. Each page
// carries an opaque cursor naming where the next one starts (tamper-evident
// and bound to its grant or subscription), whether more follow, and an SM3
// checksum over its records' bytes. A transfer broken anywhere resumes from
// the last cursor received.
//
// The same pages reach a consumer's endpoint when its sharing office
// registers one (a push subscription): the pusher POSTs each page signed
// with HMAC-SM3 under the subscription's secret and moves the cursor only on
// a 2xx acknowledgement, retrying with back-off.
//
// A return-flow subscription (回流) is an upper-level provider's order that
// one of its hosted entries flows back to a lower-level department: the
// department's systems pull it like a batch exchange, without application
// or conditions, and receive only rows whose division item lies in the
// department's division, judged on the division tree. A change that moves a
// row out of the region reaches the subscriber as a delete.
//
// Every pull and push, delivered or refused, is recorded in the ledger and
// in the readable delivery log: system, department, grant or subscription,
// purpose, item names, row count, outcome. Never a key or a value.
package exchange
