# templates: the offline baseline, installed to $(pkgdatadir)/templates/
nobase_dist_pkgdata_DATA += \
	templates/baseline/classify.py \
	templates/baseline/features.py \
	templates/baseline/metrics.py \
	templates/baseline/models.py \
	templates/baseline/predict.py \
	templates/baseline/task_binary.py \
	templates/baseline/task_multiclass.py \
	templates/baseline/task_regression.py \
	templates/baseline/train.py \
	templates/baseline/requirements.txt \
	templates/baseline/requirements-xgboost.txt

# The templates run for real on small generated competitions and on the demo.
check_PROGRAMS += tests/templates/write_baseline
tests_templates_write_baseline_LDADD = libautokaggle.a $(DEPS_LIBS)
TESTS += tests/templates/baseline.sh tests/templates/demo.sh
EXTRA_DIST += tests/templates/baseline.sh tests/templates/demo.sh

# The benchmark of TRAIN against one default fit (not run by CI).
EXTRA_DIST += bench/train-bench.sh bench/train_competitions.py bench/default_fit.py \
	bench/train-reference.tsv
