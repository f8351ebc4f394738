// The benchmark's DuckDB side: the §3.1 deal KPIs for one period, from the same CSV file, as
// one SQL query; with a column name as a fifth argument, also per value of that column (one
// scan: GROUPING SETS), like `abmkpi report --by COLUMN`. Run from the scratch folder that
// holds node_modules/@duckdb/node-api:
//   node duckdb-kpis.mjs FILE THREADS FROM TO [COLUMN] [check|none] [reference|all]
import { DuckDBInstance } from '@duckdb/node-api';

// duplicates: 'check' (count(DISTINCT deal_id), what abmkpi does too) or 'none', the query the
// issue's reference figures (3.2 s, 240 MiB) match; the distinct costs DuckDB about 2.4x here.
// set: 'reference', the ten KPIs of that query, or 'all', every §3.1 KPI as abmkpi computes
// it (per-type bookings, the weighted pipeline, the repeat customers of each account, ...), for
// bench/run's generated files (stages "Closed Won"/"Closed Lost", percentages 0-100, types
// "New Business"/"Expansion"/"Renewal").
const [file, threads, from, to, by, duplicates = 'check', set = 'reference'] =
  process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const conn = await instance.connect();
const closed = `stage IN ('Closed Won', 'Closed Lost')`;
const won = `stage = 'Closed Won' AND close_date BETWEEN DATE '${from}' AND DATE '${to}'`;
const lost = `stage = 'Closed Lost' AND close_date BETWEEN DATE '${from}' AND DATE '${to}'`;
const created = `created_date BETWEEN DATE '${from}' AND DATE '${to}'`;
const open = `created_date <= DATE '${to}' AND (NOT ${closed} OR close_date > DATE '${to}')`;
const all = set === 'all';
const aggregates = `
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
    ${!all ? '' : `
    sum(amount) FILTER (WHERE ${lost}) AS lost_amount,
    sum(amount) FILTER (WHERE ${won} AND type = 'New Business') AS new_bookings,
    sum(amount) FILTER (WHERE ${won} AND type = 'Expansion') AS expansion_bookings,
    sum(amount) FILTER (WHERE ${won} AND type = 'Renewal') AS renewal_bookings,
    count(*) FILTER (WHERE ${won} AND type = 'Expansion') AS expansion_deals_won,
    sum(amount * probability / 100)
      FILTER (WHERE created_date <= DATE '${to}' AND NOT ${closed}) AS weighted_known,
    sum(amount) FILTER (WHERE created_date <= DATE '${to}' AND ${closed}
                        AND close_date > DATE '${to}') AS weighted_unknown,`}
    ${duplicates === 'none' ? 'count(*) AS rows_scanned'
                            : 'count(*) - count(DISTINCT deal_id) AS duplicate_ids'}`;
const groupBy = by ? `GROUP BY GROUPING SETS ((), (${by}))` : '';
const groupCols = by ? `${by} AS grp, grouping(${by}) AS total,` : '';
const source = `read_csv('${file}', header = true)`;
// Repeat customers (accounts with two wins closed by the end over those with one) need each
// account's wins: per (account, group) for the groups, per account for the total.
const sql = !all ? `SELECT ${groupCols} ${aggregates} FROM ${source} ${groupBy}` : `
  WITH d AS (SELECT * FROM ${source}),
  k AS (SELECT ${groupCols} ${aggregates} FROM d ${groupBy}),
  w AS (SELECT account_id, ${by ? `${by},` : ''} count(*) AS wins FROM d
        WHERE stage = 'Closed Won' AND close_date <= DATE '${to}' GROUP BY ALL),
  r AS (
    ${by ? `SELECT ${by} AS grp, 0 AS total, count(*) FILTER (WHERE wins >= 2) AS two,
              count(*) AS one FROM w GROUP BY ${by} UNION ALL` : ''}
    SELECT ${by ? 'NULL AS grp, 1 AS total,' : ''} count(*) FILTER (WHERE wins >= 2) AS two,
           count(*) AS one
    FROM (SELECT account_id, sum(wins) AS wins FROM w GROUP BY account_id))
  SELECT k.*, r.two, r.one FROM k JOIN r
    ON ${by ? 'k.total = r.total AND k.grp IS NOT DISTINCT FROM r.grp' : 'true'}`;
const reader = await conn.runAndReadAll(sql);
// The §3.1 KPIs made of the sums (SPEC formulas; null where a denominator is 0).
const derive = (k) => {
  const ratio = (a, b) => (a === null || b === null || b === 0 ? null : a / b);
  const n = k.deals_won + k.deals_lost;
  k.win_rate = ratio(k.deals_won, n);
  if (k.win_rate !== null) {  // Wilson score interval
    const z = 1.959963984540054, p = k.win_rate;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    k.win_rate_ci95_low = centre - half;
    k.win_rate_ci95_high = centre + half;
  }
  k.win_rate_by_value = ratio(k.bookings, (k.bookings ?? 0) + (k.lost_amount ?? 0));
  k.avg_deal_size = ratio(k.bookings, k.deals_won);
  k.acv_avg = ratio(k.acv_total, k.deals_won);
  k.weighted_pipeline = (k.weighted_known ?? 0) + (k.win_rate ?? 0) * (k.weighted_unknown ?? 0);
  k.pipeline_velocity = k.win_rate === null || k.avg_deal_size === null ? null
    : ratio(k.open_deals * k.win_rate * k.avg_deal_size, k.sales_cycle_days_avg);
  k.repeat_customer_rate = ratio(k.two, k.one);
  for (const helper of ['lost_amount', 'weighted_known', 'weighted_unknown', 'two', 'one'])
    delete k[helper];
};
const kpis = (row) => {
  const out = {};
  for (const [k, v] of Object.entries(row))
    if (k !== 'grp' && k !== 'total') out[k] = v === null ? null : Number(v);
  if (all) derive(out);
  return out;
};
const rows = reader.getRowObjectsJson();
let out;
if (by) {
  out = kpis(rows.find((r) => Number(r.total) === 1));
  out.groups = {};
  for (const r of rows) if (Number(r.total) === 0) out.groups[String(r.grp)] = kpis(r);
} else {
  out = kpis(rows[0]);
}
console.log(JSON.stringify(out));
