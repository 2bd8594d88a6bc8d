package application

import (
	"fmt"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/workcal"
)

// Statutory periods, in working days.
const (
	ReplyDaysUnconditional = 1  // Art. 21
	ReplyDaysConditional   = 10 // Art. 21
	DeliveryDays           = 20 // Art. 22
)

// ReplyDays is the reply period the entry's attribute chooses (Art. 21).
func ReplyDays(attr Attribute) int {
	if attr == Unconditional {
		return ReplyDaysUnconditional
	}
	return ReplyDaysConditional
}

var attributeName = map[Attribute]string{Unconditional: "无条件共享类", Conditional: "有条件共享类"}

// ReplyDeadline counts the reply period from the day of receipt, which is
// not counted (自收到政务数据共享申请之日起).
func ReplyDeadline(cal *calendar.Calendar, attr Attribute, receipt calendar.Date) (Deadline, error) {
	d, err := cal.DeadlineFrom(receipt, ReplyDays(attr))
	if err != nil {
		return Deadline{}, workcal.Problem(err)
	}
	d.Rule = "第二十一条 " + attributeName[attr] + "答复期限：" + d.Rule
	return Deadline{Deadline: d, Basis: string(attr)}, nil
}

// Extend moves a reply deadline by days working days after its due date, as
// the authority granted. Since the old due date is a working day, the result
// is also the (old days + days)-th working day after receipt.
func Extend(cal *calendar.Calendar, old Deadline, days int) (Deadline, error) {
	due, err := cal.Due(old.Due, days)
	if err != nil {
		return Deadline{}, workcal.Problem(err)
	}
	d := calendar.Deadline{Receipt: old.Receipt, Days: old.Days + days, Due: due, At: due.EndOfDay(),
		Rule: fmt.Sprintf("第二十一条 原答复期限截止%s；经同级政务数据共享主管部门同意延长%d个工作日，截止%s 24:00（北京时间）",
			old.Due, days, due)}
	return Deadline{Deadline: d, Basis: "extension"}, nil
}

// DeliveryDeadline counts Art. 22's 20 WD from the day of the approving reply.
func DeliveryDeadline(cal *calendar.Calendar, replied calendar.Date) (Deadline, error) {
	d, err := cal.DeadlineFrom(replied, DeliveryDays)
	if err != nil {
		return Deadline{}, workcal.Problem(err)
	}
	d.Rule = fmt.Sprintf("第二十二条 %s作出同意共享的答复；自答复之日起%d个工作日内共享（答复当日不计），截止%s 24:00（北京时间）",
		replied, DeliveryDays, d.Due)
	return Deadline{Deadline: d, Basis: "delivery"}, nil
}
