// The benchmark's DuckDB side: the same §3.1 deal KPIs for one period, from the same CSV file,
// with a duplicate-id check, as one SQL query. Run from the scratch folder that holds
// node_modules/@duckdb/node-api:  node duckdb-kpis.mjs FILE THREADS FROM TO
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads, from, to] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const conn = await instance.connect();
const won = `stage = 'Closed Won' AND close_date BETWEEN DATE '${from}' AND DATE '${to}'`;
const lost = `stage = 'Closed Lost' AND close_date BETWEEN DATE '${from}' AND DATE '${to}'`;
const created = `created_date BETWEEN DATE '${from}' AND DATE '${to}'`;
const open = `created_date <= DATE '${to}' AND (stage NOT IN ('Closed Won', 'Closed Lost') OR close_date > DATE '${to}')`;
const sql = `
  SELECT
    count(*) FILTER (WHERE ${won}) AS deals_won,
    count(*) FILTER (WHERE ${lost}) AS deals_lost,
    sum(amount) FILTER (WHERE ${won}) AS bookings,
    sum(amount * 12 / contract_months) FILTER (WHERE ${won}) AS acv_total,
    avg(close_date - created_date) FILTER (WHERE ${won}) AS sales_cycle_days_avg,
    median(close_date - created_date) FILTER (WHERE ${won}) AS sales_cycle_days_median,
    count(*) FILTER (WHERE ${created}) AS deals_created,
    sum(amount) FILTER (WHERE ${created}) AS created_pipeline,
    count(*) FILTER (WHERE ${open}) AS open_deals,
    sum(amount) FILTER (WHERE ${open}) AS open_pipeline,
    count(*) - count(DISTINCT deal_id) AS duplicate_ids
  FROM read_csv('${file}', header = true)`;
const reader = await conn.runAndReadAll(sql);
const row = reader.getRowObjectsJson()[0];
const out = {};
for (const [k, v] of Object.entries(row)) out[k] = v === null ? null : Number(v);
console.log(JSON.stringify(out));
