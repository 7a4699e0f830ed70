package ui

import (
	"context"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// Delivery: a new secret handed straight to where it is used (Secrets
// Manager, Parameter Store, a command, a file) instead of a clipboard. The
// secret modal's D delivers the secret on screen; a rotation whose credential
// config.toml's [[deliver]] rules name delivers at step 3. The root runs the
// calls; the secret goes into the command by copy and never into a message's
// text.

// deliveryTargets are the targets the rules name for c, in the rules' order,
// each once (model.MatchDelivery takes the first rule; the modal offers all).
func deliveryTargets(rules []model.DeliveryRule, c model.Credential) []model.Target {
	var out []model.Target
	seen := map[string]bool{}
	for _, r := range rules {
		t, ok := model.MatchDelivery([]model.DeliveryRule{r}, c)
		if !ok || seen[t.String()] {
			continue
		}
		seen[t.String()] = true
		out = append(out, t)
	}
	return out
}

// deliveryOutcome judges a delivery: done only when it was written and read
// back the same (a command, which cannot be read back: exited 0); not done
// when the target refused before anything was written; anything else (a lost
// reply, a write not read back) is unknown: the target may hold the secret.
func deliveryOutcome(res model.DeliveryResult, err error) model.Outcome {
	switch {
	case err == nil && res.Outcome == model.OutcomeDone && (res.Verified || res.Target.Kind == model.TargetExec):
		return model.OutcomeDone
	case res.Outcome == model.OutcomeNotDone:
		return model.OutcomeNotDone
	case res.Outcome == "" && err != nil && model.OutcomeOf(err) == model.OutcomeNotDone:
		return model.OutcomeNotDone
	}
	return model.OutcomeUnknown
}

// deliveryText says what a delivery to its target did, one line, safe:
// never the secret.
func deliveryText(res model.DeliveryResult, err error) string {
	to := res.Target.String()
	switch short := deliveryShort(res, err); {
	case strings.HasPrefix(short, "delivered"):
		return "Delivered to " + to + strings.TrimPrefix(short, "delivered")
	case strings.HasPrefix(short, "not delivered"):
		return "Not delivered to " + to + strings.TrimPrefix(short, "not delivered")
	default:
		return "Delivery to " + to + ": " + short
	}
}

// deliveryShort is deliveryText without the target, for the target's row.
func deliveryShort(res model.DeliveryResult, err error) string {
	why := model.SafeText(res.Detail)
	if err != nil {
		why = errorWithCode(err)
	}
	switch deliveryOutcome(res, err) {
	case model.OutcomeDone:
		s := "delivered, read back the same"
		if !res.Verified {
			s = "delivered: the command exited 0"
		}
		if v := model.SafeText(res.Version); v != "" {
			s += " (version " + v + ")"
		}
		return s
	case model.OutcomeNotDone:
		return "not delivered: " + orElse(why, "refused")
	}
	if d := model.SafeText(res.Detail); d != "" {
		why = d // what the read-back found says more than the write's error
	}
	check := ". It may hold the secret: check it"
	if strings.Contains(why, "check") {
		check = "" // the read-back's detail says what to check
	}
	if res.Outcome == model.OutcomeDone {
		return "delivered, but not read back the same: " + orElse(why, "unverified") + check
	}
	return "outcome unknown: " + orElse(why, "no answer") + check
}

func orElse(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

// withoutSecret is err with the secret's value cut out of its text, should a
// target have echoed it (a command's output); its kind stays, for the outcome.
func withoutSecret(err error, s model.Secret) error {
	v := s.Reveal()
	if err == nil || len(v) < 4 || !strings.Contains(err.Error(), v) {
		return err
	}
	e := model.Errorf(model.KindOf(err), "%s", strings.ReplaceAll(err.Error(), v, "[the secret]"))
	return e
}

// deliverRequestedMsg delivers the secret of the secret modal secretID to target.
type deliverRequestedMsg struct {
	secretID int
	target   model.Target
	secret   model.Secret
}

// deliveredMsg is a delivery's outcome: for the secret modal secretID, or for
// the rotation dialog by (its step 3, the pendingOp op). secret is set only
// for a rotation's delivery that was not done and verified: the root then
// shows it, or takes the credential back.
type deliveredMsg struct {
	task     int
	op       int
	secretID int
	by       int
	target   model.Target
	result   model.DeliveryResult
	err      error
	secret   model.Secret
}

// targetCheckedMsg is CheckTarget's answer for the rotation dialog by.
type targetCheckedMsg struct {
	task   int
	by     int
	target model.Target
	err    error
}

// canDeliver: a Deliverer is wired and writes are on.
func (m *Model) canDeliver() bool { return m.opts.Deliver != nil && !m.readOnly }

// deliverWith makes deliveries go through client, the profile switched to:
// its account's stores, or none (DeliverFor).
func (m *Model) deliverWith(client IAM) {
	if m.opts.DeliverFor == nil {
		m.opts.Deliver = nil
		return
	}
	m.opts.Deliver = m.opts.DeliverFor(client)
}

// offerDelivery gives the secret modal its D: the targets the rules name for
// its credential, and whether delivery is possible at all.
func (m *Model) offerDelivery(sm *secretModal) {
	if !m.canDeliver() {
		return
	}
	sm.canDeliver = true
	sm.targets = deliveryTargets(m.opts.DeliveryRules, sm.secret.Credential)
}

// runDelivery runs a delivery in a command that holds copies: the deliverer, the
// target, the secret.
func runDelivery(ctx context.Context, d Deliverer, t model.Target, s model.Secret) (model.DeliveryResult, error) {
	res, err := d.Deliver(ctx, t, s)
	if res.Target.Kind == "" {
		res.Target = t
	}
	res.Detail = strings.ReplaceAll(res.Detail, s.Reveal(), "[the secret]")
	return res, withoutSecret(err, s)
}

// deliverSecret is the secret modal's delivery.
func (m *Model) deliverSecret(r deliverRequestedMsg) tea.Cmd {
	label := r.secret.Credential.ServiceInfo().SecretLabel()
	if !m.canDeliver() {
		return func() tea.Msg {
			return deliveredMsg{secretID: r.secretID, target: r.target, err: model.Errorf(model.KindInvalid, "delivery is off")}
		}
	}
	task := m.startTask("delivering the " + label + " to " + r.target.String() + "…")
	ctx, d := m.ctx, m.opts.Deliver
	return func() tea.Msg {
		res, err := runDelivery(ctx, d, r.target, r.secret)
		return deliveredMsg{task: task, secretID: r.secretID, target: r.target, result: res, err: err}
	}
}

// onDelivered says how a delivery went; the modal that asked takes it too.
func (m *Model) onDelivered(msg deliveredMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.op != 0 {
		return m.onRotationDelivered(msg)
	}
	text := deliveryText(msg.result, msg.err)
	switch deliveryOutcome(msg.result, msg.err) {
	case model.OutcomeDone:
		m.setStatus(levelOK, text)
	case model.OutcomeNotDone:
		m.setStatus(levelError, text)
	default:
		m.setStatus(levelWarn, text)
	}
	return nil
}

// checkTarget runs CheckTarget for the rotation dialog by.
func (m *Model) checkTarget(by int, t model.Target) tea.Cmd {
	task := m.startTask("checking " + t.String() + "…")
	ctx, d := m.ctx, m.opts.Deliver
	return func() tea.Msg {
		return targetCheckedMsg{task: task, by: by, target: t, err: d.CheckTarget(ctx, t)}
	}
}
