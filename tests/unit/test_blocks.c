#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/blocks.h"
#include "pipeline/chat.h"

/* An LLM reply's files: how models name their blocks, what is refused,
 * and the decisions JSON of the strategy chat. */

static codegen_block *
parse(const char *reply, size_t *n)
{
	codegen_block *b;
	ak_err e;

	assert_int_equal(codegen_blocks_parse(reply, strlen(reply), &b, n, &e), 0);
	return b;
}

static void
test_names_in_every_place(void **state)
{
	const char *reply =
		"Plan.\n\n"
		"```python code/train.py\nprint('train')\n```\n\n"
		"### features.py\n\n```python\nX = 1\n```\n\n"
		"```\n# file: src/predict.py\nprint('p')\n```\n"
		"**config.yaml**:\n~~~yaml\nfolds: 3\n~~~\n"
		"```text requirements.txt\nlightgbm\n```\n";
	codegen_block *b;
	size_t n;

	(void)state;
	b = parse(reply, &n);
	assert_int_equal(n, 5);
	assert_string_equal(b[0].path, "code/train.py");
	assert_string_equal(b[0].text, "print('train')\n");
	assert_string_equal(b[1].path, "code/features.py");
	assert_string_equal(b[2].path, "code/predict.py");
	assert_string_equal(b[2].text, "# file: src/predict.py\nprint('p')\n");
	assert_string_equal(b[3].path, "code/config.yaml");
	assert_string_equal(b[3].text, "folds: 3\n");
	assert_string_equal(b[4].path, "env/requirements.txt");
	codegen_blocks_free(b, n);
}

static void
test_unnamed_and_foreign_blocks_are_dropped(void **state)
{
	const char *reply = "```python\nprint(1)\n```\n"
			    "```bash run.sh\nrm -rf /\n```\n"
			    "```python ../../etc/evil.py\nx = 1\n```\n"
			    "```python .hidden.py\nx = 2\n```\n";
	codegen_block *b;
	size_t n;

	(void)state;
	b = parse(reply, &n);
	/* The directories go: ../../etc/evil.py is code/evil.py. */
	assert_int_equal(n, 1);
	assert_string_equal(b[0].path, "code/evil.py");
	codegen_blocks_free(b, n);
	b = parse("no code at all", &n);
	assert_int_equal(n, 0);
	codegen_blocks_free(b, n);
}

static void
test_a_later_block_replaces_an_earlier_one(void **state)
{
	codegen_block *b;
	size_t n;

	(void)state;
	b = parse("```python train.py\nold\n```\nBetter:\n```python train.py\nnew\n```\n", &n);
	assert_int_equal(n, 1);
	assert_string_equal(b[0].text, "new\n");
	assert_ptr_equal(codegen_block_find(b, n, "code/train.py"), &b[0]);
	assert_null(codegen_block_find(b, n, "code/predict.py"));
	codegen_blocks_free(b, n);
}

static void
test_decisions(void **state)
{
	const char *reply = "Here:\n```json\n{\"features\": [\"ratio\", 7], \"model_family\": \"lightgbm\", "
			    "\"validation\": 5, \"user_fixed\": [\"lightgbm\"], \"extra\": {}}\n```\n";
	ak_err e;
	cJSON *d = chat_decisions_parse(reply, strlen(reply), &e);
	char *text;

	(void)state;
	assert_non_null(d);
	text = cJSON_PrintUnformatted(d);
	assert_string_equal(text, "{\"features\":[],\"constraints\":[],\"user_fixed\":[\"lightgbm\"],"
				  "\"model_family\":\"lightgbm\",\"validation\":\"\",\"notes\":\"\"}");
	free(text);
	cJSON_Delete(d);
	assert_null(chat_decisions_parse("no JSON here", 12, &e));
	assert_non_null(strstr(e.msg, "no JSON object"));
	assert_null(chat_decisions_parse("{not json}", 10, &e));
	assert_null(chat_decisions_parse("[1, 2]", 6, &e));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_in_every_place),
		cmocka_unit_test(test_unnamed_and_foreign_blocks_are_dropped),
		cmocka_unit_test(test_a_later_block_replaces_an_earlier_one),
		cmocka_unit_test(test_decisions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
