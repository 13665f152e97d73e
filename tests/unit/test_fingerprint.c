#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/rundir.h"
#include "pipeline/session.h"
#include "pipeline/stage.h"
#include "testlib.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

/* What makes which stage stale: the fingerprints the session computes. */

typedef struct fixture {
	char *ws;
	char *src, *dir, *id;
	store *db;
	loop *l;
	session *s;
} fixture;

static void
put(const char *dir, const char *name, const char *text)
{
	char *p = testlib_path(dir, name);

	testlib_write(p, text);
	free(p);
}

static int
setup(void **state)
{
	fixture *f = xcalloc(1, sizeof(*f));
	cJSON *run, *src;
	store_run r = { 0 };
	ak_err e;
	char *p;

	f->ws = testlib_tmpdir("fp");
	f->src = fs_join(f->ws, "comp");
	assert_int_equal(fs_mkdir_p(f->src, 0700, &e), 0);
	put(f->src, "train.csv", "id,x,y\n1,0.5,1\n2,0.7,0\n");
	put(f->src, "test.csv", "id,x\n3,0.1\n");
	put(f->src, "sample_submission.csv", "id,y\n3,0.5\n");
	f->db = store_open(f->ws, STORE_WRITE, &e);
	assert_non_null(f->db);
	f->id = rundir_create(f->ws, "fp", &f->dir, &e);
	assert_non_null(f->id);
	run = cJSON_CreateObject();
	src = cJSON_AddObjectToObject(run, "source");
	cJSON_AddStringToObject(src, "kind", "local");
	cJSON_AddStringToObject(src, "path", f->src);
	p = fs_join(f->dir, "run.json");
	assert_int_equal(jsonfile_save(p, run, &e), 0);
	free(p);
	cJSON_Delete(run);
	r.id = f->id;
	r.dir = f->dir;
	r.status = "created";
	r.cv_score = NAN;
	assert_int_equal(store_run_create(f->db, &r, &e), 0);
	put(f->dir, "code/train.py", "print('train')\n");
	put(f->dir, "code/predict.py", "print('predict')\n");
	put(f->dir, "code/features.py", "\n");
	put(f->dir, "code/config.yaml", "seed: 42\n");
	put(f->dir, "env/requirements.txt", "numpy\n");
	f->l = loop_new();
	f->s = session_open(f->db, f->id, f->l, &e);
	assert_non_null(f->s);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fixture *f = *state;
	session_close(f->s);
	loop_free(f->l);
	store_close(f->db);
	testlib_rmtree(f->ws);
	free(f->ws);
	free(f->src);
	free(f->dir);
	free(f->id);
	free(f);
	return 0;
}

typedef struct fps {
	char fp[STAGE_COUNT][MACHINE_FP_LEN + 1];
} fps;

static void
take(fixture *f, fps *out)
{
	int i;

	for (i = 0; i < STAGE_SUBMIT; i++)
		session_fingerprint(f->s, i, out->fp[i]);
}

/* Asserts that exactly the stages in `changed` (a bit set) differ. */
static void
expect_changed(const fps *a, const fps *b, unsigned changed)
{
	int i;

	for (i = 0; i < STAGE_SUBMIT; i++) {
		int differs = strcmp(a->fp[i], b->fp[i]) != 0;
		if (differs != !!(changed & (1u << i)))
			fail_msg("stage %s: fingerprint %s", machine_stage_name(i),
				differs ? "changed unexpectedly" : "did not change");
	}
}

#define BIT(s) (1u << STAGE_##s)

static void
test_stable_when_nothing_changes(void **state)
{
	fixture *f = *state;
	fps a, b;

	take(f, &a);
	take(f, &b);
	expect_changed(&a, &b, 0);
}

static void
test_edited_train_py_touches_train_only(void **state)
{
	fixture *f = *state;
	fps a, b;

	take(f, &a);
	put(f->dir, "code/train.py", "raise RuntimeError('boom')\n");
	take(f, &b);
	expect_changed(&a, &b, BIT(TRAIN));
}

static void
test_edited_predict_py_touches_predict_only(void **state)
{
	fixture *f = *state;
	fps a, b;

	take(f, &a);
	put(f->dir, "code/predict.py", "print('other')\n");
	take(f, &b);
	expect_changed(&a, &b, BIT(PREDICT));
}

static void
test_shared_code_touches_train_and_predict(void **state)
{
	fixture *f = *state;
	fps a, b;

	take(f, &a);
	put(f->dir, "code/features.py", "X = 1\n");
	take(f, &b);
	expect_changed(&a, &b, BIT(TRAIN) | BIT(PREDICT));
}

static void
test_budget_touches_code(void **state)
{
	fixture *f = *state;
	fps a, b;

	take(f, &a);
	f->s->opts.budget_ms = 600000;
	take(f, &b);
	expect_changed(&a, &b, BIT(CODE));
}

static void
test_family_touches_code_and_memory_touches_train(void **state)
{
	fixture *f = *state;
	fps a, b;

	take(f, &a);
	free(f->s->opts.family);
	f->s->opts.family = xstrdup("linear");
	f->s->opts.memory_bytes = 1LL << 30;
	take(f, &b);
	expect_changed(&a, &b, BIT(CODE) | BIT(TRAIN));
}

/* What the DATA stage leaves in the store: the file's hash under its
 * current stat. */
static void
hash_known(fixture *f, const char *name)
{
	char *p = fs_join(f->src, name), hex[HASH_HEX_LEN + 1];
	struct stat st;
	store_file_key k = { .path = p };

	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(hash_file_hex(p, hex, NULL), 0);
	k.size = st.st_size;
	k.mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	k.ctime_ns = (long long)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec;
	k.inode = (long long)st.st_ino;
	k.dev = (long long)st.st_dev;
	assert_int_equal(store_file_hash_put(f->db, &k, hex, NULL), 0);
	free(p);
}

static void
test_new_data_touches_data(void **state)
{
	fixture *f = *state;
	fps a, b, c;

	hash_known(f, "train.csv");
	hash_known(f, "test.csv");
	hash_known(f, "sample_submission.csv");
	take(f, &a);
	/* The fingerprint never reads the data: a file not hashed as it is
	 * now makes DATA stale until DATA hashes it. */
	put(f->src, "train.csv", "id,x,y\n1,0.5,1\n2,0.9,0\n");
	take(f, &b);
	expect_changed(&a, &b, BIT(DATA));
	hash_known(f, "train.csv");
	take(f, &c);
	expect_changed(&b, &c, BIT(DATA));
	expect_changed(&a, &c, BIT(DATA));
	/* The same bytes again: the same fingerprint once hashed. */
	put(f->src, "train.csv", "id,x,y\n1,0.5,1\n2,0.7,0\n");
	hash_known(f, "train.csv");
	take(f, &b);
	expect_changed(&a, &b, 0);
}

static void
test_requirements_touch_env_and_submission_touches_validate(void **state)
{
	fixture *f = *state;
	fps a, b;

	take(f, &a);
	put(f->dir, "env/requirements.txt", "numpy\npandas\n");
	put(f->dir, "output/submission.csv", "id,y\n3,0.4\n");
	take(f, &b);
	expect_changed(&a, &b, BIT(ENV) | BIT(VALIDATE));
}

static void
test_target_override_touches_meta_and_profile(void **state)
{
	fixture *f = *state;
	fps a, b;

	take(f, &a);
	f->s->opts.target = xstrdup("x");
	take(f, &b);
	expect_changed(&a, &b, BIT(META) | BIT(PROFILE));
}

static void
test_upstream_success_flows_down(void **state)
{
	fixture *f = *state;
	fps a, b;

	take(f, &a);
	strcpy(f->s->m.st[STAGE_CODE].done_fp, "0123");
	take(f, &b);
	/* ENV follows CODE; TRAIN also reads CODE's result directly. */
	expect_changed(&a, &b, BIT(ENV) | BIT(TRAIN));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stable_when_nothing_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edited_train_py_touches_train_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edited_predict_py_touches_predict_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_code_touches_train_and_predict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget_touches_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_family_touches_code_and_memory_touches_train, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_data_touches_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requirements_touch_env_and_submission_touches_validate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_target_override_touches_meta_and_profile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upstream_success_flows_down, setup, teardown),
	};

	return cmocka_run_group_tests_name("fingerprint", tests, NULL, NULL);
}
