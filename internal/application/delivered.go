package application

import (
	"context"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
)

// Delivered is the first delivery of the data an approval granted: it closes
// the provider's Art. 22 obligation to deliver within 20 working days of the
// reply. OnTime compares the day of delivery with the deadline's last day.
type Delivered struct {
	At      time.Time `json:"at"`
	Method  string    `json:"method"`
	GrantID string    `json:"grant_id"`
	OnTime  bool      `json:"on_time"`
}

// DeliveredTx is what MarkDelivered needs from the caller's write
// transaction.
type DeliveredTx interface {
	// ClaimDelivery stamps the application's first delivery at at, and
	// reports false when it was already stamped (a later delivery).
	ClaimDelivery(ctx context.Context, applicationID string, at time.Time) (bool, error)
	Application(ctx context.Context, id string) (*Application, error)
	UpdateApplication(ctx context.Context, a Application) error
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// ActionDeliver is the ledger action of a first delivery.
const ActionDeliver = "application.deliver"

// MarkDelivered closes the delivery obligation of the application that gave
// a grant at its first successful delivery by method, in the
// delivering write transaction, so the closing and the delivery's record are
// committed or lost together. Later deliveries change nothing and cost one
// conditional UPDATE. The act is the platform's, on the provider's behalf.
func MarkDelivered(ctx context.Context, tx DeliveredTx, applicationID, method string, now time.Time) error {
	claimed, err := tx.ClaimDelivery(ctx, applicationID, now)
	if err != nil || !claimed {
		return err
	}
	app, err := tx.Application(ctx, applicationID)
	if err != nil {
		return err
	}
	if app == nil {
		return fmt.Errorf("application: delivery of missing application %s", applicationID)
	}
	d := &Delivered{At: now.UTC(), Method: method, OnTime: true}
	if app.Reply != nil && app.Reply.Grant != nil {
		d.GrantID = app.Reply.Grant.ID
	}
	if app.Reply != nil && app.Reply.DeliveryDeadline != nil {
		d.OnTime = !calendar.DateOf(now).After(app.Reply.DeliveryDeadline.Due)
	}
	app.Delivered = d
	note := "首次共享数据（" + methodName[method] + "），按期完成"
	if !d.OnTime {
		note = "首次共享数据（" + methodName[method] + "），已超过20个工作日期限"
	}
	// The platform observed the delivery; the act is recorded in the
	// provider's name because the obligation is the provider's.
	platform := access.Actor{PersonID: "platform", DepartmentID: app.ProviderID}
	app.log(now, platform, ActionDeliver, note, true)
	app.Version++
	app.UpdatedAt = now
	if err := tx.UpdateApplication(ctx, *app); err != nil {
		return err
	}
	return ledger.Record(ctx, tx, now, platform, ActionDeliver,
		ledger.Object{Type: "application", ID: app.ID, DepartmentID: app.ProviderID}, d)
}

var methodName = map[string]string{ServiceInterface: "服务接口", BatchExchange: "批量交换", FileDownload: "文件下载"}
