package store

import "github.com/govshare/govshare/internal/delivery"

var _ delivery.Tx = (*Tx)(nil)
