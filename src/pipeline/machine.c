#include "config.h"

#include "pipeline/machine.h"

#include <string.h>
#include <strings.h>

#define STAGE_NAME(e, n, t) n,
static const char *const stage_names[STAGE_COUNT] = { MACHINE_STAGES(STAGE_NAME) };
#undef STAGE_NAME

#define STAGE_TITLE(e, n, t) t,
static const char *const stage_titles[STAGE_COUNT] = { MACHINE_STAGES(STAGE_TITLE) };
#undef STAGE_TITLE

#define STATUS_NAME(e, n) n,
static const char *const status_names[STATUS_COUNT] = { MACHINE_STATUSES(STATUS_NAME) };
#undef STATUS_NAME

/* Collects the actions of one step; the bound is the header's promise. */
typedef struct acts_out {
	machine_action *a;
	size_t n;
} acts_out;

const char *
machine_stage_name(machine_stage_id s)
{
	if ((int)s < 0 || s >= STAGE_COUNT)
		return "?";
	return stage_names[s];
}

const char *
machine_stage_title(machine_stage_id s)
{
	if ((int)s < 0 || s >= STAGE_COUNT)
		return "?";
	return stage_titles[s];
}

int
machine_stage_from_name(const char *name)
{
	int i;

	if (!name)
		return -1;
	for (i = 0; i < STAGE_COUNT; i++)
		if (strcasecmp(name, stage_names[i]) == 0)
			return i;
	return -1;
}

const char *
machine_status_name(machine_status st)
{
	if ((int)st < 0 || st >= STATUS_COUNT)
		return "?";
	return status_names[st];
}

int
machine_status_from_name(const char *name)
{
	int i;

	if (!name)
		return -1;
	for (i = 0; i < STATUS_COUNT; i++)
		if (strcasecmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

void
machine_init(machine_state *m, int repair_max)
{
	memset(m, 0, sizeof(*m));
	m->repair_max = repair_max;
}

/* memmove, not snprintf: the source may be another field of the same
 * state, which -Wrestrict cannot tell apart from an overlap. */
static void
set_fp(char dst[MACHINE_FP_LEN + 1], const char *fp)
{
	size_t n = fp ? strnlen(fp, MACHINE_FP_LEN) : 0;

	if (n)
		memmove(dst, fp, n);
	dst[n] = '\0';
}

int
machine_is_fresh(const machine_state *m, machine_stage_id s)
{
	const machine_stage *st = &m->st[s];

	return st->status == STATUS_DONE && strcmp(st->input_fp, st->done_fp) == 0;
}

static int
last_planned(const machine_state *m)
{
	return m->want_submit ? STAGE_SUBMIT : STAGE_VALIDATE;
}

int
machine_plan(const machine_state *m)
{
	int i;

	for (i = 0; i <= last_planned(m); i++)
		if (!machine_is_fresh(m, i))
			return i;
	return -1;
}

int
machine_running(const machine_state *m)
{
	int i;

	for (i = 0; i < STAGE_COUNT; i++)
		if (m->st[i].status == STATUS_RUNNING || m->st[i].status == STATUS_REPAIRING)
			return i;
	return -1;
}

static void
emit(acts_out *out, machine_action_kind kind, int stage)
{
	if (out->n >= MACHINE_MAX_ACTIONS)
		return;
	out->a[out->n].kind = kind;
	out->a[out->n].stage = (machine_stage_id)stage;
	out->n++;
}

/* DONE stages from `from` down turn STALE, each announced once. Below
 * `from`, a FAILED or CANCELLED stage turns STALE too: it failed on inputs
 * that are about to change, so it deserves another try. */
static void
invalidate_from(machine_state *m, int from, acts_out *out)
{
	int i;

	for (i = from; i < STAGE_COUNT; i++) {
		machine_status st = m->st[i].status;
		int retry = i > from && (st == STATUS_FAILED || st == STATUS_CANCELLED);
		if (st != STATUS_DONE && !retry)
			continue;
		m->st[i].status = STATUS_STALE;
		if (retry) {
			m->st[i].attempts = 0;
			m->st[i].repairs = 0;
		}
		emit(out, ACT_INVALIDATE, i);
	}
}

static void
advance(machine_state *m, acts_out *out)
{
	int p;

	if (machine_running(m) >= 0)
		return;
	p = machine_plan(m);
	if (p < 0) {
		emit(out, ACT_FINISHED, 0);
		return;
	}
	if (m->st[p].status == STATUS_FAILED || m->st[p].status == STATUS_CANCELLED) {
		emit(out, ACT_WAIT_USER, p);
		return;
	}
	m->st[p].status = STATUS_RUNNING;
	m->st[p].attempts++;
	emit(out, ACT_RUN, p);
}

static void
on_inputs(machine_state *m, const machine_event *ev, acts_out *out)
{
	machine_stage *st = &m->st[ev->stage];

	if (!ev->fp)
		return;
	set_fp(st->input_fp, ev->fp);
	if (st->status == STATUS_DONE && strcmp(st->input_fp, st->done_fp) != 0)
		invalidate_from(m, ev->stage, out);
}

static void
on_done(machine_state *m, const machine_event *ev, acts_out *out)
{
	machine_stage *st = &m->st[ev->stage];

	if (st->status != STATUS_RUNNING)
		return;
	/* Without a fingerprint the stage ran with the inputs last observed;
	 * with one, inputs that changed during the run keep it not fresh. */
	set_fp(st->done_fp, ev->fp ? ev->fp : st->input_fp);
	if (!st->input_fp[0])
		set_fp(st->input_fp, st->done_fp);
	st->status = STATUS_DONE;
	st->attempts = 0;
	st->repairs = 0;
	advance(m, out);
}

static int
may_repair(const machine_state *m, const machine_event *ev)
{
	if (ev->stage != STAGE_TRAIN && ev->stage != STAGE_PREDICT)
		return 0;
	return ev->repairable && m->st[ev->stage].repairs < m->repair_max;
}

static void
on_failed(machine_state *m, const machine_event *ev, acts_out *out)
{
	machine_stage *st = &m->st[ev->stage];

	if (st->status != STATUS_RUNNING)
		return;
	if (may_repair(m, ev)) {
		st->status = STATUS_REPAIRING;
		st->repairs++;
		emit(out, ACT_REPAIR, ev->stage);
		return;
	}
	st->status = STATUS_FAILED;
	emit(out, ACT_WAIT_USER, ev->stage);
}

static void
on_rerun(machine_state *m, const machine_event *ev, acts_out *out)
{
	machine_stage *st = &m->st[ev->stage];

	if (machine_running(m) >= 0 || (int)ev->stage > last_planned(m))
		return;
	invalidate_from(m, ev->stage, out);
	st->status = STATUS_STALE;
	st->attempts = 0;
	st->repairs = 0;
	advance(m, out);
}

static void
on_cancel(machine_state *m, const machine_event *ev, acts_out *out)
{
	machine_stage *st = &m->st[ev->stage];

	if (st->status == STATUS_RUNNING) {
		emit(out, ACT_KILL, ev->stage);
	} else if (st->status == STATUS_REPAIRING) {
		st->status = STATUS_CANCELLED;
		emit(out, ACT_WAIT_USER, ev->stage);
	}
}

static void
on_repair_outcome(machine_state *m, const machine_event *ev, acts_out *out)
{
	machine_stage *st = &m->st[ev->stage];

	if (st->status != STATUS_REPAIRING)
		return;
	if (ev->kind == EV_REPAIRED) {
		st->status = STATUS_RUNNING;
		st->attempts++;
		emit(out, ACT_RUN, ev->stage);
	} else {
		st->status = STATUS_FAILED;
		emit(out, ACT_WAIT_USER, ev->stage);
	}
}

static void
on_pause(machine_state *m, const machine_event *ev, acts_out *out)
{
	machine_stage *st = &m->st[ev->stage];

	if (st->status != STATUS_RUNNING)
		return;
	st->status = st->done_fp[0] ? STATUS_STALE : STATUS_IDLE;
	if (st->attempts > 0)
		st->attempts--;
	emit(out, ACT_PAUSE, ev->stage);
}

size_t
machine_step(machine_state *m, const machine_event *ev, machine_action *acts)
{
	acts_out out = { acts, 0 };

	if ((int)ev->stage < 0 || ev->stage >= STAGE_COUNT)
		return 0;
	switch (ev->kind) {
	case EV_INPUTS:
		on_inputs(m, ev, &out);
		break;
	case EV_CONTINUE:
		advance(m, &out);
		break;
	case EV_DONE:
		on_done(m, ev, &out);
		break;
	case EV_FAILED:
		on_failed(m, ev, &out);
		break;
	case EV_RERUN:
		on_rerun(m, ev, &out);
		break;
	case EV_CANCEL:
		on_cancel(m, ev, &out);
		break;
	case EV_CANCELLED:
		if (m->st[ev->stage].status == STATUS_RUNNING) {
			m->st[ev->stage].status = STATUS_CANCELLED;
			emit(&out, ACT_WAIT_USER, ev->stage);
		}
		break;
	case EV_REPAIRED:
	case EV_REPAIR_FAILED:
		on_repair_outcome(m, ev, &out);
		break;
	case EV_PAUSE:
		on_pause(m, ev, &out);
		break;
	}
	return out.n;
}
