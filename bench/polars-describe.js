// nodejs-polars: read the CSV, describe, null_count and n_unique.
const pl = require('nodejs-polars');

const df = pl.readCSV(process.argv[2], { inferSchemaLength: 10000 });
df.describe();
df.nullCount();
const u = df.select(pl.all().nUnique()).toRecords()[0];
const out = {};
for (const k of Object.keys(u))
	out[k] = Number(u[k]);
console.log(JSON.stringify(out));
