#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pipeline/machine.h"

/* Each scenario starts from machine_init() and feeds events one by one.
 * After every step the actions and the statuses are rendered as text and
 * compared with the table:
 *   actions  "inval:train run:code", "finished", "" for none
 *   statuses one letter per stage, META..SUBMIT:
 *            . idle  r running  d done  f failed  s stale  c cancelled  R repairing
 *            "=" means the whole state must be byte for byte unchanged
 *   counts   optional "stage attempts repairs" */

#define STAGE_BAD STAGE_COUNT
#define MAX_STEPS 40

typedef struct step {
	machine_event ev;
	const char *acts;
	const char *statuses;
	const char *counts;
} step;

typedef struct scenario {
	const char *name;
	int repair_max;
	int want_submit;
	step steps[MAX_STEPS];
} scenario;

#define STEPC(k, s, fp, rep, acts, sts, counts) \
	{ { EV_##k, (machine_stage_id)STAGE_##s, fp, rep }, acts, sts, counts }
#define STEP(k, s, fp, rep, acts, sts) STEPC(k, s, fp, rep, acts, sts, NULL)

#define CHAIN_TO_TRAIN                                                  \
	STEP(CONTINUE, META, NULL, 0, "run:meta", "r........"),         \
	STEP(DONE, META, "m1", 0, "run:data", "dr......."),             \
	STEP(DONE, DATA, "d1", 0, "run:profile", "ddr......"),          \
	STEP(DONE, PROFILE, "p1", 0, "run:code", "dddr....."),          \
	STEP(DONE, CODE, "c1", 0, "run:env", "ddddr...."),              \
	STEPC(DONE, ENV, "e1", 0, "run:train", "dddddr...", "train 1 0")

#define CHAIN                                                           \
	CHAIN_TO_TRAIN,                                                 \
	STEP(DONE, TRAIN, "t1", 0, "run:predict", "ddddddr.."),         \
	STEP(DONE, PREDICT, "pr1", 0, "run:validate", "dddddddr."),     \
	STEP(DONE, VALIDATE, "v1", 0, "finished", "dddddddd.")

static const scenario scenarios[] = {
	{ "success chain", 0, 0, {
		CHAIN,
		STEP(CONTINUE, META, NULL, 0, "finished", "="),
		STEP(RERUN, SUBMIT, NULL, 0, "", "="),
	} },
	{ "success chain with submit", 0, 1, {
		CHAIN_TO_TRAIN,
		STEP(DONE, TRAIN, "t1", 0, "run:predict", "ddddddr.."),
		STEP(DONE, PREDICT, "pr1", 0, "run:validate", "dddddddr."),
		STEP(DONE, VALIDATE, "v1", 0, "run:submit", "ddddddddr"),
		STEP(DONE, SUBMIT, "s1", 0, "finished", "ddddddddd"),
		STEP(CONTINUE, META, NULL, 0, "finished", "="),
	} },
	{ "failed stage waits for the user", 2, 0, {
		STEP(CONTINUE, META, NULL, 0, "run:meta", "r........"),
		STEP(DONE, META, "m1", 0, "run:data", "dr......."),
		STEPC(FAILED, DATA, NULL, 1, "wait:data", "df.......", "data 1 0"),
		STEPC(CONTINUE, META, NULL, 0, "wait:data", "=", "data 1 0"),
		STEP(CONTINUE, META, NULL, 0, "wait:data", "="),
		STEPC(RERUN, DATA, NULL, 0, "run:data", "dr.......", "data 1 0"),
		STEPC(DONE, DATA, "d1", 0, "run:profile", "ddr......", "data 0 0"),
	} },
	{ "rerun a chosen stage", 0, 0, {
		CHAIN,
		STEP(RERUN, PROFILE, NULL, 0,
		     "inval:profile inval:code inval:env inval:train inval:predict inval:validate run:profile",
		     "ddrsssss."),
		STEP(DONE, PROFILE, "p1", 0, "run:code", "dddrssss."),
		STEP(DONE, CODE, "c1", 0, "run:env", "ddddrsss."),
		STEP(DONE, ENV, "e1", 0, "run:train", "dddddrss."),
		STEP(DONE, TRAIN, "t1", 0, "run:predict", "ddddddrs."),
		STEP(DONE, PREDICT, "pr1", 0, "run:validate", "dddddddr."),
		STEP(DONE, VALIDATE, "v1", 0, "finished", "dddddddd."),
		STEP(RERUN, VALIDATE, NULL, 0, "inval:validate run:validate", "dddddddr."),
		STEP(DONE, VALIDATE, "v1", 0, "finished", "dddddddd."),
	} },
	{ "rerun the first stage with submit planned", 0, 1, {
		CHAIN_TO_TRAIN,
		STEP(DONE, TRAIN, "t1", 0, "run:predict", "ddddddr.."),
		STEP(DONE, PREDICT, "pr1", 0, "run:validate", "dddddddr."),
		STEP(DONE, VALIDATE, "v1", 0, "run:submit", "ddddddddr"),
		STEP(DONE, SUBMIT, "s1", 0, "finished", "ddddddddd"),
		STEP(RERUN, META, NULL, 0,
		     "inval:meta inval:data inval:profile inval:code inval:env inval:train inval:predict inval:validate inval:submit run:meta",
		     "rssssssss"),
	} },
	{ "edited code makes TRAIN and below stale, CODE stays fresh", 0, 0, {
		CHAIN,
		STEP(INPUTS, TRAIN, "t2", 0, "inval:train inval:predict inval:validate", "dddddsss."),
		STEP(INPUTS, PREDICT, "pr1", 0, "", "="),
		STEPC(CONTINUE, META, NULL, 0, "run:train", "dddddrss.", "train 1 0"),
		STEP(DONE, TRAIN, "t2", 0, "run:predict", "ddddddrs."),
		STEP(DONE, PREDICT, "pr1", 0, "run:validate", "dddddddr."),
		STEP(DONE, VALIDATE, "v1", 0, "finished", "dddddddd."),
		STEP(INPUTS, TRAIN, "t2", 0, "", "="),
	} },
	{ "changed budget makes CODE and below stale", 0, 0, {
		CHAIN,
		STEP(INPUTS, CODE, "c2", 0,
		     "inval:code inval:env inval:train inval:predict inval:validate", "dddsssss."),
		STEP(CONTINUE, META, NULL, 0, "run:code", "dddrssss."),
		STEP(DONE, CODE, "c2", 0, "run:env", "ddddrsss."),
		STEP(DONE, ENV, "e1", 0, "run:train", "dddddrss."),
		STEP(DONE, TRAIN, "t1", 0, "run:predict", "ddddddrs."),
		STEP(DONE, PREDICT, "pr1", 0, "run:validate", "dddddddr."),
		STEP(DONE, VALIDATE, "v1", 0, "finished", "dddddddd."),
	} },
	{ "failed or cancelled stages below a rerun get another try", 0, 0, {
		CHAIN_TO_TRAIN,
		STEPC(FAILED, TRAIN, NULL, 1, "wait:train", "dddddf...", "train 1 0"),
		STEP(INPUTS, TRAIN, "t9", 0, "", "dddddf..."),
		STEP(RERUN, CODE, NULL, 0, "inval:code inval:env inval:train run:code", "dddrss..."),
		STEP(DONE, CODE, "c1", 0, "run:env", "ddddrs..."),
		STEPC(DONE, ENV, "e1", 0, "run:train", "dddddr...", "train 1 0"),
		STEP(CANCEL, TRAIN, NULL, 0, "kill:train", "dddddr..."),
		STEP(CANCELLED, TRAIN, NULL, 0, "wait:train", "dddddc..."),
		STEP(INPUTS, ENV, "e2", 0, "inval:env inval:train", "ddddss..."),
		STEP(CONTINUE, META, NULL, 0, "run:env", "ddddrs..."),
	} },
	{ "unchanged fingerprints change nothing", 0, 0, {
		CHAIN,
		STEP(INPUTS, META, "m1", 0, "", "="),
		STEP(INPUTS, CODE, "c1", 0, "", "="),
		STEP(INPUTS, TRAIN, "t1", 0, "", "="),
		STEP(INPUTS, VALIDATE, "v1", 0, "", "="),
		STEP(CONTINUE, META, NULL, 0, "finished", "="),
	} },
	{ "inputs that change during a run re-run the stage", 0, 0, {
		CHAIN_TO_TRAIN,
		STEP(INPUTS, TRAIN, "t2", 0, "", "dddddr..."),
		STEPC(DONE, TRAIN, "t1", 0, "run:train", "dddddr...", "train 1 0"),
		STEP(DONE, TRAIN, "t2", 0, "run:predict", "ddddddr.."),
	} },
	{ "done without a fingerprint takes the observed one", 0, 0, {
		STEP(INPUTS, META, "m1", 0, "", "........."),
		STEP(CONTINUE, META, NULL, 0, "run:meta", "r........"),
		STEP(DONE, META, NULL, 0, "run:data", "dr......."),
		STEP(INPUTS, META, "m1", 0, "", "="),
		STEP(INPUTS, META, "m2", 0, "inval:meta", "sr......."),
		STEP(DONE, DATA, "d1", 0, "run:meta", "rd......."),
		STEP(DONE, META, "m2", 0, "run:profile", "ddr......"),
	} },
	{ "cancel a running stage", 2, 0, {
		CHAIN_TO_TRAIN,
		STEP(CANCEL, META, NULL, 0, "", "="),
		STEP(CANCEL, TRAIN, NULL, 0, "kill:train", "="),
		STEP(CANCELLED, TRAIN, NULL, 0, "wait:train", "dddddc..."),
		STEP(CONTINUE, META, NULL, 0, "wait:train", "="),
		STEP(CANCEL, TRAIN, NULL, 0, "", "="),
		STEP(CANCELLED, TRAIN, NULL, 0, "", "="),
		STEPC(RERUN, TRAIN, NULL, 0, "run:train", "dddddr...", "train 1 0"),
		STEP(DONE, TRAIN, "t1", 0, "run:predict", "ddddddr.."),
	} },
	{ "cancel while repairing", 2, 0, {
		CHAIN_TO_TRAIN,
		STEPC(FAILED, TRAIN, NULL, 1, "repair:train", "dddddR...", "train 1 1"),
		STEP(CANCEL, TRAIN, NULL, 0, "wait:train", "dddddc..."),
		STEP(REPAIRED, TRAIN, NULL, 0, "", "="),
		STEP(REPAIR_FAILED, TRAIN, NULL, 0, "", "="),
		STEP(CANCELLED, TRAIN, NULL, 0, "", "="),
		STEP(CONTINUE, META, NULL, 0, "wait:train", "="),
	} },
	{ "repairs are bounded by repair_max", 2, 0, {
		CHAIN_TO_TRAIN,
		STEPC(FAILED, TRAIN, NULL, 1, "repair:train", "dddddR...", "train 1 1"),
		STEP(CONTINUE, META, NULL, 0, "", "="),
		STEPC(REPAIRED, TRAIN, NULL, 0, "run:train", "dddddr...", "train 2 1"),
		STEPC(FAILED, TRAIN, NULL, 1, "repair:train", "dddddR...", "train 2 2"),
		STEPC(REPAIRED, TRAIN, NULL, 0, "run:train", "dddddr...", "train 3 2"),
		STEPC(FAILED, TRAIN, NULL, 1, "wait:train", "dddddf...", "train 3 2"),
		STEP(CONTINUE, META, NULL, 0, "wait:train", "="),
		STEPC(RERUN, TRAIN, NULL, 0, "run:train", "dddddr...", "train 1 0"),
		STEPC(FAILED, TRAIN, NULL, 1, "repair:train", "dddddR...", "train 1 1"),
		STEPC(REPAIRED, TRAIN, NULL, 0, "run:train", "dddddr...", "train 2 1"),
		STEPC(DONE, TRAIN, "t1", 0, "run:predict", "ddddddr..", "train 0 0"),
		STEPC(FAILED, PREDICT, NULL, 1, "repair:predict", "ddddddR..", "predict 1 1"),
		STEPC(REPAIR_FAILED, PREDICT, NULL, 0, "wait:predict", "ddddddf..", "predict 1 1"),
		STEP(REPAIR_FAILED, PREDICT, NULL, 0, "", "="),
	} },
	{ "repairs start over after a success", 1, 0, {
		CHAIN_TO_TRAIN,
		STEPC(FAILED, TRAIN, NULL, 1, "repair:train", "dddddR...", "train 1 1"),
		STEP(REPAIRED, TRAIN, NULL, 0, "run:train", "dddddr..."),
		STEPC(DONE, TRAIN, "t1", 0, "run:predict", "ddddddr..", "train 0 0"),
		STEP(DONE, PREDICT, "pr1", 0, "run:validate", "dddddddr."),
		STEP(DONE, VALIDATE, "v1", 0, "finished", "dddddddd."),
		STEP(INPUTS, TRAIN, "t2", 0, "inval:train inval:predict inval:validate", "dddddsss."),
		STEP(CONTINUE, META, NULL, 0, "run:train", "dddddrss."),
		STEPC(FAILED, TRAIN, NULL, 1, "repair:train", "dddddRss.", "train 1 1"),
		STEP(REPAIRED, TRAIN, NULL, 0, "run:train", "dddddrss."),
		STEPC(FAILED, TRAIN, NULL, 1, "wait:train", "dddddfss.", "train 2 1"),
	} },
	{ "non-repairable failures wait", 2, 0, {
		CHAIN_TO_TRAIN,
		STEPC(FAILED, TRAIN, NULL, 0, "wait:train", "dddddf...", "train 1 0"),
	} },
	{ "a pause puts the stage back as it was, its attempt not counted", 0, 0, {
		STEP(CONTINUE, META, NULL, 0, "run:meta", "r........"),
		STEP(DONE, META, "m1", 0, "run:data", "dr......."),
		STEP(DONE, DATA, "d1", 0, "run:profile", "ddr......"),
		STEP(DONE, PROFILE, "p1", 0, "run:code", "dddr....."),
		STEPC(PAUSE, CODE, NULL, 0, "pause:code", "ddd......", "code 0 0"),
		STEP(PAUSE, CODE, NULL, 0, "", "="),
		STEP(CONTINUE, META, NULL, 0, "run:code", "dddr....."),
		STEP(DONE, CODE, "c1", 0, "run:env", "ddddr...."),
		STEP(RERUN, CODE, NULL, 0, "", "="),
		STEP(DONE, ENV, "e1", 0, "run:train", "dddddr..."),
		STEP(INPUTS, CODE, "c2", 0, "inval:code inval:env", "dddssr..."),
	} },
	{ "a pause of a stage that ran before leaves it stale", 0, 0, {
		CHAIN,
		STEP(RERUN, TRAIN, NULL, 0, "inval:train inval:predict inval:validate run:train", "dddddrss."),
		STEP(PAUSE, TRAIN, NULL, 0, "pause:train", "dddddsss."),
		STEP(CONTINUE, META, NULL, 0, "run:train", "dddddrss."),
	} },
	{ "repair_max 0 never repairs", 0, 0, {
		CHAIN_TO_TRAIN,
		STEP(FAILED, TRAIN, NULL, 1, "wait:train", "dddddf..."),
	} },
	{ "only TRAIN and PREDICT are repaired", 2, 0, {
		STEP(CONTINUE, META, NULL, 0, "run:meta", "r........"),
		STEP(FAILED, META, NULL, 1, "wait:meta", "f........"),
		STEP(RERUN, META, NULL, 0, "run:meta", "r........"),
		STEP(DONE, META, "m1", 0, "run:data", "dr......."),
		STEP(DONE, DATA, "d1", 0, "run:profile", "ddr......"),
		STEP(DONE, PROFILE, "p1", 0, "run:code", "dddr....."),
		STEP(FAILED, CODE, NULL, 1, "wait:code", "dddf....."),
		STEP(RERUN, CODE, NULL, 0, "run:code", "dddr....."),
		STEP(DONE, CODE, "c1", 0, "run:env", "ddddr...."),
		STEP(FAILED, ENV, NULL, 1, "wait:env", "ddddf...."),
		STEP(RERUN, ENV, NULL, 0, "run:env", "ddddr...."),
		STEP(DONE, ENV, "e1", 0, "run:train", "dddddr..."),
		STEP(DONE, TRAIN, "t1", 0, "run:predict", "ddddddr.."),
		STEP(DONE, PREDICT, "pr1", 0, "run:validate", "dddddddr."),
		STEP(FAILED, VALIDATE, NULL, 1, "wait:validate", "dddddddf."),
	} },
	{ "a failed stage above still waits after a rerun below", 0, 0, {
		CHAIN,
		STEP(INPUTS, CODE, "c2", 0,
		     "inval:code inval:env inval:train inval:predict inval:validate", "dddsssss."),
		STEP(CONTINUE, META, NULL, 0, "run:code", "dddrssss."),
		STEP(FAILED, CODE, NULL, 0, "wait:code", "dddfssss."),
		STEP(RERUN, TRAIN, NULL, 0, "wait:code", "="),
		STEP(RERUN, CODE, NULL, 0, "run:code", "dddrssss."),
	} },
	{ "staleness reaches a failed stage below", 0, 0, {
		CHAIN_TO_TRAIN,
		STEP(DONE, TRAIN, "t1", 0, "run:predict", "ddddddr.."),
		STEP(FAILED, PREDICT, NULL, 0, "wait:predict", "ddddddf.."),
		STEP(INPUTS, CODE, "c2", 0, "inval:code inval:env inval:train inval:predict", "dddssss.."),
		STEP(CONTINUE, META, NULL, 0, "run:code", "dddrsss.."),
		STEP(DONE, CODE, "c2", 0, "run:env", "ddddrss.."),
		STEP(DONE, ENV, "e1", 0, "run:train", "dddddrs.."),
		STEP(DONE, TRAIN, "t1", 0, "run:predict", "ddddddr.."),
	} },
	{ "events that do not apply change nothing", 2, 0, {
		STEP(DONE, META, "m1", 0, "", "="),
		STEP(CANCEL, META, NULL, 0, "", "="),
		STEP(CONTINUE, META, NULL, 0, "run:meta", "r........"),
		STEP(DONE, DATA, "d1", 0, "", "="),
		STEP(FAILED, DATA, NULL, 1, "", "="),
		STEP(CANCELLED, DATA, NULL, 0, "", "="),
		STEP(CANCEL, DATA, NULL, 0, "", "="),
		STEP(REPAIRED, META, NULL, 0, "", "="),
		STEP(REPAIR_FAILED, META, NULL, 0, "", "="),
		STEP(CONTINUE, META, NULL, 0, "", "="),
		STEP(RERUN, DATA, NULL, 0, "", "="),
		STEP(RERUN, META, NULL, 0, "", "="),
		STEP(INPUTS, META, NULL, 0, "", "="),
		STEP(DONE, BAD, "x", 0, "", "="),
		STEP(CONTINUE, BAD, NULL, 0, "", "="),
		STEP(RERUN, BAD, NULL, 0, "", "="),
		STEP(DONE, META, "m1", 0, "run:data", "dr......."),
	} },
};

static const char status_letters[STATUS_COUNT + 1] = ".rdfscR";

static const char *
action_word(machine_action_kind k)
{
	switch (k) {
	case ACT_RUN:
		return "run";
	case ACT_REPAIR:
		return "repair";
	case ACT_KILL:
		return "kill";
	case ACT_WAIT_USER:
		return "wait";
	case ACT_FINISHED:
		return "finished";
	case ACT_INVALIDATE:
		return "inval";
	case ACT_PAUSE:
		return "pause";
	}
	return "?";
}

static void
render_actions(const machine_action *a, size_t n, char *out, size_t cap)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n && len < cap; i++) {
		if (a[i].kind == ACT_FINISHED)
			len += snprintf(out + len, cap - len, "%sfinished", i ? " " : "");
		else
			len += snprintf(out + len, cap - len, "%s%s:%s", i ? " " : "",
					action_word(a[i].kind), machine_stage_name(a[i].stage));
	}
}

static void
render_statuses(const machine_state *m, char out[STAGE_COUNT + 1])
{
	int i;

	for (i = 0; i < STAGE_COUNT; i++)
		out[i] = status_letters[m->st[i].status];
	out[STAGE_COUNT] = '\0';
}

static void
check_counts(const machine_state *m, const char *where, const char *counts)
{
	char name[32];
	int attempts, repairs, s;

	assert_int_equal(sscanf(counts, "%31s %d %d", name, &attempts, &repairs), 3);
	s = machine_stage_from_name(name);
	assert_true(s >= 0);
	if (m->st[s].attempts != attempts || m->st[s].repairs != repairs) {
		print_error("%s: %s attempts/repairs got %d/%d want %d/%d\n", where, name,
			    m->st[s].attempts, m->st[s].repairs, attempts, repairs);
		fail();
	}
}

/* The RUNNING or REPAIRING stage as the status letters show it. */
static int
running_in(const char *statuses)
{
	int i;

	for (i = 0; statuses[i]; i++)
		if (statuses[i] == 'r' || statuses[i] == 'R')
			return i;
	return -1;
}

static void
run_step(machine_state *m, const scenario *sc, size_t k)
{
	const step *st = &sc->steps[k];
	machine_action acts[MACHINE_MAX_ACTIONS];
	machine_state before = *m;
	char got[512], where[256], statuses[STAGE_COUNT + 1];
	size_t n;

	snprintf(where, sizeof(where), "scenario \"%s\" step %zu (%s %s)", sc->name, k + 1,
		 machine_stage_name(st->ev.stage), st->acts);
	n = machine_step(m, &st->ev, acts);
	assert_true(n <= MACHINE_MAX_ACTIONS);
	render_actions(acts, n, got, sizeof(got));
	if (strcmp(got, st->acts) != 0) {
		print_error("%s: actions got \"%s\" want \"%s\"\n", where, got, st->acts);
		fail();
	}
	render_statuses(m, statuses);
	if (strcmp(st->statuses, "=") == 0) {
		if (memcmp(&before, m, sizeof(before)) != 0) {
			print_error("%s: state changed to %s\n", where, statuses);
			fail();
		}
	} else if (strcmp(statuses, st->statuses) != 0) {
		print_error("%s: statuses got %s want %s\n", where, statuses, st->statuses);
		fail();
	}
	assert_int_equal(machine_running(m), running_in(statuses));
	if (st->counts)
		check_counts(m, where, st->counts);
}

static void
test_scenarios(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const scenario *sc = &scenarios[i];
		machine_state m;

		machine_init(&m, sc->repair_max);
		m.want_submit = sc->want_submit;
		for (k = 0; k < MAX_STEPS && sc->steps[k].acts; k++)
			run_step(&m, sc, k);
	}
}

static void
test_init(void **state)
{
	machine_state m;
	int i;

	(void)state;
	memset(&m, 0xff, sizeof(m));
	machine_init(&m, 3);
	assert_int_equal(m.repair_max, 3);
	assert_int_equal(m.want_submit, 0);
	for (i = 0; i < STAGE_COUNT; i++) {
		assert_int_equal(m.st[i].status, STATUS_IDLE);
		assert_string_equal(m.st[i].input_fp, "");
		assert_string_equal(m.st[i].done_fp, "");
		assert_int_equal(m.st[i].attempts, 0);
		assert_int_equal(m.st[i].repairs, 0);
		assert_false(machine_is_fresh(&m, i));
	}
	assert_int_equal(machine_plan(&m), STAGE_META);
	assert_int_equal(machine_running(&m), -1);
}

static void
test_plan_and_freshness(void **state)
{
	machine_state m;
	int i;

	(void)state;
	machine_init(&m, 0);
	for (i = 0; i < STAGE_COUNT; i++) {
		m.st[i].status = STATUS_DONE;
		strcpy(m.st[i].input_fp, "a");
		strcpy(m.st[i].done_fp, "a");
	}
	assert_int_equal(machine_plan(&m), -1);
	m.st[STAGE_SUBMIT].status = STATUS_IDLE;
	assert_int_equal(machine_plan(&m), -1);
	m.want_submit = 1;
	assert_int_equal(machine_plan(&m), STAGE_SUBMIT);
	strcpy(m.st[STAGE_ENV].input_fp, "b");
	assert_false(machine_is_fresh(&m, STAGE_ENV));
	assert_true(machine_is_fresh(&m, STAGE_CODE));
	assert_int_equal(machine_plan(&m), STAGE_ENV);
	m.st[STAGE_DATA].status = STATUS_STALE;
	assert_int_equal(machine_plan(&m), STAGE_DATA);
	m.st[STAGE_PREDICT].status = STATUS_REPAIRING;
	assert_int_equal(machine_running(&m), STAGE_PREDICT);
}

static void
upper(char *dst, const char *src)
{
	while ((*dst++ = (char)toupper((unsigned char)*src++)))
		;
}

static void
test_names_round_trip(void **state)
{
	char up[32];
	int i, j;

	(void)state;
	for (i = 0; i < STAGE_COUNT; i++) {
		assert_int_equal(machine_stage_from_name(machine_stage_name(i)), i);
		upper(up, machine_stage_name(i));
		assert_int_equal(machine_stage_from_name(up), i);
		assert_true(machine_stage_title(i)[0] != '\0');
		for (j = 0; j < i; j++)
			assert_string_not_equal(machine_stage_title(i), machine_stage_title(j));
	}
	for (i = 0; i < STATUS_COUNT; i++) {
		assert_int_equal(machine_status_from_name(machine_status_name(i)), i);
		upper(up, machine_status_name(i));
		assert_int_equal(machine_status_from_name(up), i);
	}
	assert_string_equal(machine_stage_name(STAGE_TRAIN), "train");
	assert_string_equal(machine_status_name(STATUS_REPAIRING), "repairing");
	assert_int_equal(machine_stage_from_name("Predict"), STAGE_PREDICT);
	assert_int_equal(machine_stage_from_name("nope"), -1);
	assert_int_equal(machine_stage_from_name("trai"), -1);
	assert_int_equal(machine_stage_from_name(""), -1);
	assert_int_equal(machine_stage_from_name(NULL), -1);
	assert_int_equal(machine_status_from_name("Done"), STATUS_DONE);
	assert_int_equal(machine_status_from_name("finished"), -1);
	assert_int_equal(machine_status_from_name(NULL), -1);
	assert_string_equal(machine_stage_name(STAGE_COUNT), "?");
	assert_string_equal(machine_status_name(STATUS_COUNT), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_plan_and_freshness),
		cmocka_unit_test(test_names_round_trip),
	};

	return cmocka_run_group_tests_name("machine", tests, NULL, NULL);
}
