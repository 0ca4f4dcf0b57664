#!/usr/bin/python3
"""The pandas side of bench/analytics_bench.cpp: same generated data, same query.

Prints `analytics_pandas rows=.. groups=.. seconds=.. count=.. sum=..`.
"""
import argparse
import sys
import time

import numpy as np
import pandas as pd

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=10_000_000)
ap.add_argument("--items", type=int, default=100_000)
args = ap.parse_args()

print(f"generating {args.rows} fact rows, {args.items} items...", file=sys.stderr)
i = np.arange(args.rows, dtype=np.int64)
facts = pd.DataFrame({
    "id": i,
    "item_id": ((i * 2654435761) % args.items).astype(np.int32),
    "amount": ((i * 40503) % 100000) / 100.0,
})
items_idx = np.arange(args.items, dtype=np.int64)
items = pd.DataFrame({
    "item_id": items_idx.astype(np.int32),
    "category": ["cat_%d" % (x % 100) for x in items_idx],
})

start = time.perf_counter()
joined = facts.merge(items, on="item_id", how="inner")
result = joined.groupby("category").agg(n=("amount", "size"), total=("amount", "sum"),
                                        mean=("amount", "mean"))
seconds = time.perf_counter() - start
print("analytics_pandas rows=%d groups=%d seconds=%.3f count=%d sum=%.2f" %
      (args.rows, len(result), seconds, int(result["n"].sum()), float(result["total"].sum())))
