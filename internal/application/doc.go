// Package application is the supply-demand matching of Art. 20–22: a consumer
// department applies for one published catalog entry, its own office head
// approves and sends it, and the provider replies within the statutory
// working-day period — after at most one supplement request and at most one
// extension approved by the provider's same-level authority. An approval sets
// the 20-working-day delivery deadline of Art. 22.
//
// The types, rules and state machine are plain Go (application.go, form.go,
// policy.go, workflow.go, deadline.go, timeline.go); Service runs each command
// in one transaction: check the actor's rights, load, apply the rule, save,
// record the act in the ledger. docs/applications.md describes the workflow.
package application
