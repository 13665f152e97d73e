# share: what is installed under $(pkgdatadir) and read at run time, found
# by paths_data_file() under share/ in the source tree.

# the offline baseline, installed to $(pkgdatadir)/templates/baseline
baselinedir = $(pkgdatadir)/templates/baseline
dist_baseline_DATA = \
	share/templates/baseline/classify.py \
	share/templates/baseline/features.py \
	share/templates/baseline/metrics.py \
	share/templates/baseline/models.py \
	share/templates/baseline/predict.py \
	share/templates/baseline/task_binary.py \
	share/templates/baseline/task_multiclass.py \
	share/templates/baseline/task_regression.py \
	share/templates/baseline/train.py \
	share/templates/baseline/requirements.txt \
	share/templates/baseline/requirements-xgboost.txt

# the ENV stage's venv helper and the sample run's data, installed to
# $(pkgdatadir)/exec
akexecdir = $(pkgdatadir)/exec
dist_akexec_DATA = share/exec/venv_setup.py share/exec/sample_data.py

# an example of the workbench's keys file, every action with its default keys
dist_pkgdata_DATA = share/keys.example

# The templates run for real on small generated competitions and on the demo.
check_PROGRAMS += tests/templates/write_baseline
tests_templates_write_baseline_LDADD = libautokaggle.a $(DEPS_LIBS)
TESTS += tests/templates/baseline.sh tests/templates/demo.sh
EXTRA_DIST += tests/templates/baseline.sh tests/templates/demo.sh

# The benchmark of TRAIN against one default fit (not run by CI).
EXTRA_DIST += bench/train-bench.sh bench/train_competitions.py bench/default_fit.py \
	bench/train-reference.tsv
