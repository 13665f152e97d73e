"""Writes the competitions of bench/train-bench.sh into OUTDIR, each a
directory with train.csv, test.csv, sample_submission.csv and
competition.json, the same on every run:

  wine           178 rows, 3 classes, accuracy          (scikit-learn's bundled data)
  breast_cancer  569 rows, binary, AUC                  (scikit-learn's bundled data)
  diabetes       442 rows, regression, RMSE             (scikit-learn's bundled data)
  digits         1,797 rows, 10 classes, accuracy       (scikit-learn's bundled data)
  sales          100,000 train rows (25,000 test), regression, RMSE: dates, two
                 high-cardinality string codes, categories, missing values

A fifth of each bundled data set is held out as test.csv.

    train_competitions.py OUTDIR
"""

import json
import os
import sys

import numpy as np
import pandas as pd
from sklearn import datasets


def save(out, name, train, test, target, id_col, metric, title):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    train.to_csv(os.path.join(d, "train.csv"), index=False)
    test.drop(columns=[target]).to_csv(os.path.join(d, "test.csv"), index=False)
    fill = train[target].iloc[0] if metric == "Categorization Accuracy" else 0.5
    pd.DataFrame({id_col: test[id_col], target: fill}).to_csv(
        os.path.join(d, "sample_submission.csv"), index=False)
    meta = {"ref": name, "title": title, "evaluationMetric": metric,
            "category": "bench", "description": "bench/train-bench.sh"}
    with open(os.path.join(d, "competition.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)


def bundled(out, name, loader, metric, title):
    data = loader(as_frame=True)
    df = data.frame.rename(columns={data.frame.columns[-1]: "target"})
    df.columns = [str(c).replace(" ", "_") for c in df.columns]
    df.insert(0, "id", np.arange(1, len(df) + 1))
    test_rows = np.random.default_rng(2024).permutation(len(df))[: len(df) // 5]
    is_test = np.zeros(len(df), dtype=bool)
    is_test[test_rows] = True
    save(out, name, df[~is_test], df[is_test], "target", "id", metric, title)


def sales(out, n_train=100_000, n_test=25_000):
    """Daily sales of items in stores: a store and an item effect that the
    codes carry, a season, a weekly cycle, a trend, price and promotions."""
    rng = np.random.default_rng(7)
    n = n_train + n_test
    n_stores, n_items = 1500, 6000
    store_pop = rng.zipf(1.6, n_stores).clip(1, 200).astype(float)
    item_pop = rng.zipf(1.4, n_items).clip(1, 500).astype(float)
    store = rng.choice(n_stores, n, p=store_pop / store_pop.sum())
    item = rng.choice(n_items, n, p=item_pop / item_pop.sum())
    store_effect = rng.normal(0, 0.5, n_stores)
    item_effect = rng.normal(0, 0.7, n_items)
    item_family = rng.integers(0, 25, n_items)
    city_of_store = rng.integers(0, 40, n_stores)
    day = rng.integers(0, 6 * 365, n)
    date = pd.Timestamp("2018-01-01") + pd.to_timedelta(day, unit="D")
    price = np.round(np.exp(rng.normal(1.5, 0.6, n_items))[item] * rng.uniform(0.9, 1.1, n), 2)
    promo = rng.random(n) < 0.15
    channel = rng.choice(["store", "online", "app", "phone"], n, p=[0.6, 0.25, 0.1, 0.05])
    temperature = np.round(15 + 10 * np.sin(2 * np.pi * (day - 100) / 365)
                           + rng.normal(0, 4, n), 1)
    rating = np.round(rng.uniform(1, 5, n_items), 1)[item]
    f = (1.5 + store_effect[store] + item_effect[item]
         + 0.3 * np.sin(2 * np.pi * day / 365) + 0.15 * (date.dayofweek.to_numpy() >= 5)
         + 0.0002 * day - 0.25 * np.log(price) + 0.4 * promo * (1 + 0.5 * (item_family[item] < 5))
         + 0.1 * (channel == "online") + 0.02 * np.maximum(temperature - 20, 0) * (item_family[item] % 3 == 0)
         + 0.1 * (rating - 3))
    sold = np.round(np.exp(f + rng.normal(0, 0.35, n)), 2)
    df = pd.DataFrame({
        "id": rng.permutation(n) + 1,
        "date": date.strftime("%Y-%m-%d"),
        "store": ["ST%04d" % s for s in store],
        "item": ["SKU-%05d" % i for i in item],
        "family": ["fam_%02d" % item_family[i] for i in item],
        "city": ["city_%02d" % city_of_store[s] for s in store],
        "channel": channel,
        "price": price,
        "promo": np.where(promo, "True", "False"),
        "temperature": np.where(rng.random(n) < 0.05, np.nan, temperature),
        "rating": np.where(rng.random(n) < 0.1, np.nan, rating),
        "sales": sold,
    })
    save(out, "sales", df.iloc[:n_train], df.iloc[n_train:], "sales", "id",
         "Root Mean Squared Error", "bench: daily sales")


def main():
    out = sys.argv[1]
    bundled(out, "wine", datasets.load_wine, "Categorization Accuracy", "bench: wine")
    bundled(out, "breast_cancer", datasets.load_breast_cancer,
            "Area Under Receiver Operating Characteristic Curve", "bench: breast cancer")
    bundled(out, "diabetes", datasets.load_diabetes, "Root Mean Squared Error", "bench: diabetes")
    bundled(out, "digits", datasets.load_digits, "Categorization Accuracy", "bench: digits")
    sales(out)


if __name__ == "__main__":
    main()
