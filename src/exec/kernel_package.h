#ifndef AK_KERNEL_PACKAGE_H
#define AK_KERNEL_PACKAGE_H

#include "util/err.h"

/* A run's code packaged to run where Kaggle runs it, in a kernel whose
 * working directory is /kaggle/working and whose competition data is
 * mounted at /kaggle/input/SLUG: every file of code/ (config.yaml with
 * its data paths rewritten there), then TRAIN and PREDICT, then
 * submission.csv in the working directory, where Kaggle takes it from.
 * Every file passes through the redactor: nothing secret is packaged. */

typedef enum kernel_package_kind {
	KERNEL_PACKAGE_NOTEBOOK,   /* .ipynb, nbformat 4: a markdown cell naming the run,
	                              a cell per file (%%writefile), one that runs them */
	KERNEL_PACKAGE_SCRIPT,     /* one .py that writes the files and runs them */
} kernel_package_kind;

/* The package of the run in run_dir (its run.json says the competition:
 * the slug of a Kaggle source, else the local directory's name), as text
 * to write to a file; caller frees. NULL with ERR_INPUT when the run has
 * no code yet or uses what a kernel cannot have (a --metric-file). */
char *kernel_package(const char *run_dir, kernel_package_kind kind, ak_err *e);

#endif
