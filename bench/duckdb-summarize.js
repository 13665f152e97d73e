// DuckDB's SUMMARIZE over read_csv_auto; prints {column: approx_unique}.
// With --exact, prints exact count(DISTINCT) per column instead (slow).
const { DuckDBInstance } = require('@duckdb/node-api');

(async () => {
	const path = process.argv[2].replace(/'/g, "''");
	const exact = process.argv[3] === '--exact';
	const db = await DuckDBInstance.create(':memory:');
	const con = await db.connect();
	const src = `read_csv_auto('${path}')`;
	const out = {};
	if (!exact) {
		const r = await con.runAndReadAll(`SUMMARIZE SELECT * FROM ${src}`);
		for (const row of r.getRowObjectsJson())
			out[row.column_name] = Number(row.approx_unique);
	} else {
		const cols = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`))
			.getRowObjectsJson().map((r) => r.column_name);
		const q = cols.map((c) => `count(DISTINCT "${c}") AS "${c}"`).join(', ');
		const row = (await con.runAndReadAll(`SELECT ${q} FROM ${src}`)).getRowObjectsJson()[0];
		for (const c of cols)
			out[c] = Number(row[c]);
	}
	console.log(JSON.stringify(out));
})();
