package main

import "time"

// pushInterval is how often serve looks for batch-exchange pages to push;
// a page waits at most this long after its rows are loaded, and a failed
// push waits its back-off (internal/exchange) on top.
const pushInterval = 5 * time.Second
