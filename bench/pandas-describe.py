"""pandas: read_csv, describe, isna and nunique (Debian's python3-pandas)."""
import json
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1])
df.describe(include="all")
df.isna().sum()
print(json.dumps({k: int(v) for k, v in df.nunique().items()}))
