#ifndef AK_BLOCKS_H
#define AK_BLOCKS_H

#include <stddef.h>

#include "util/err.h"

/* The files in an LLM's reply: its fenced code blocks, each mapped to the
 * file it declares, by the fence's info string ("```python code/train.py"),
 * the line just above it ("### code/train.py", "**train.py**:") or its
 * own first line ("# file: train.py"). Only the pipeline's kinds of file
 * are taken: a Python module (code/NAME.py), code/config.yaml and
 * env/requirements.txt; any directory the model wrote is dropped, so a
 * name can never leave the run's code/ or env/. */

typedef struct codegen_block {
	char *path;   /* relative to the run directory: "code/train.py" */
	char *text;   /* the block's content, ending in a newline */
} codegen_block;

/* The named blocks of reply, in order, a later block of the same file
 * replacing an earlier one; *n may be 0 (no block named a file). -1 with
 * e set only when the pattern engine fails. Free with codegen_blocks_free. */
int codegen_blocks_parse(const char *reply, size_t len, codegen_block **out, size_t *n, ak_err *e);
void codegen_blocks_free(codegen_block *b, size_t n);
/* The block of b whose path is path, or NULL. */
const codegen_block *codegen_block_find(const codegen_block *b, size_t n, const char *path);

/* The run-relative path a declared name maps to ("src/Train.py" ->
 * "code/Train.py", "requirements.txt" -> "env/requirements.txt"), or NULL
 * when it is not a file of the pipeline. Caller frees. */
char *codegen_block_path(const char *name, size_t len);

#endif
