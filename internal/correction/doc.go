// Package correction is the checking and correction of shared data (校核纠错,
// Art. 26):
//
//   - every department states its correction rules (校核纠错规则) and the
//     channel it takes corrections by (纠错渠道), as versioned text that
//     every sharing office can read (Rules);
//   - the consumer records the usage status (使用状态) of the data it received
//     under each grant, with a note; every change is kept (Status);
//   - a consumer that finds the data inaccurate or incomplete files a
//     correction request (校核申请) with the provider, naming the grant, the
//     rows and the granted data items it believes wrong (Request);
//   - the provider verifies, corrects and answers within 10 working days of
//     receipt (自收到之日起10个工作日内予以核实、更正并反馈). A correction goes
//     through the entry's hosted dataset, so every consumer receives it by
//     the normal change feed; the answer names the change numbers of the fix.
//
// The rules below are plain Go: the state machine and the checks of a
// request and an answer need no database. Service runs them in one
// transaction per command with its ledger event.
package correction
