"""One default scikit-learn HistGradientBoosting fit, as a Kaggle user
would write it in a hurry: read train.csv, code the string columns as
integers, fit with every parameter at its default, predict test.csv.
bench/train-bench.sh times this whole process (imports included) as the
unit that the templates' TRAIN is measured against.

    default_fit.py COMPETITION_DIR TARGET ID binary|multiclass|regression
"""

import sys

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor


def main():
    comp, target, id_col, task = sys.argv[1:5]
    train = pd.read_csv(comp + "/train.csv")
    test = pd.read_csv(comp + "/test.csv")
    X = train.drop(columns=[target, id_col])
    Xt = test[X.columns].copy()
    for col in X.columns[X.dtypes == object]:
        codes, levels = pd.factorize(X[col])
        X[col] = codes
        Xt[col] = pd.Index(levels).get_indexer(Xt[col])
    model = HistGradientBoostingRegressor() if task == "regression" \
        else HistGradientBoostingClassifier()
    model.fit(X, train[target])
    model.predict(Xt)


if __name__ == "__main__":
    main()
