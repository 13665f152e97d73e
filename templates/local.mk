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
