// A load ramp of concurrent HTTP clients against poolgate, sampled every second.
//
//   node bench/ramp/ramp.mjs --url http://127.0.0.1:18080 --pool main --out ramp.csv
//        [--base 10] [--peak 200] [--seconds 180] [--sql "SELECT pg_sleep(0.02)"]
//
// Shape: base clients for 10% of the run, a linear climb to peak over 35%, peak for 15%, a linear
// fall back to base over 30%, base for the last 10%. Every second it writes one CSV row: elapsed
// seconds, clients, the pool's target / total / in use / waiters (GET /api/v1/pools/{pool}), the p99
// acquire wait of that second (from the poolgate_pool_acquire_seconds histogram of /q/metrics), the
// requests completed, their p99 latency as the client saw it, and errors (non-200 answers and socket
// errors). At the end it prints a JSON summary: p99 and p50 latency over the run, errors, requests,
// and the connections held (total) on average and at most. Node's own http module only: no npm deps.
import http from 'node:http';
import fs from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []));
const url = new URL(args.url ?? 'http://127.0.0.1:18080');
const pool = args.pool ?? 'main';
const base = Number(args.base ?? 10);
const peak = Number(args.peak ?? 200);
const seconds = Number(args.seconds ?? 180);
const sql = args.sql ?? 'SELECT pg_sleep(0.02)';
const out = args.out ?? 'ramp.csv';

const agent = new http.Agent({keepAlive: true, maxSockets: peak + 10});
const body = JSON.stringify({sql});

function request(method, path, payload) {
  return new Promise(resolve => {
    const started = process.hrtime.bigint();
    const req = http.request({host: url.hostname, port: url.port, path, method, agent,
      headers: payload ? {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload)} : {}},
    res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({status: res.statusCode, body: Buffer.concat(chunks).toString(),
        ms: Number(process.hrtime.bigint() - started) / 1e6}));
    });
    req.on('error', e => resolve({status: -1, body: String(e), ms: Number(process.hrtime.bigint() - started) / 1e6}));
    req.setTimeout(30_000, () => req.destroy(new Error('client timeout')));
    if (payload) {
      req.write(payload);
    }
    req.end();
  });
}

function clientsAt(t) {
  const f = t / seconds;
  const ramp = (from, to, x) => Math.round(from + (to - from) * x);
  if (f < 0.10) return base;
  if (f < 0.45) return ramp(base, peak, (f - 0.10) / 0.35);
  if (f < 0.60) return peak;
  if (f < 0.90) return ramp(peak, base, (f - 0.60) / 0.30);
  return base;
}

function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
}

// cumulative bucket counts of poolgate_pool_acquire_seconds for the pool: [[le, count], ...]
async function acquireBuckets() {
  const res = await request('GET', '/q/metrics');
  const rows = [];
  for (const line of res.body.split('\n')) {
    if (line.startsWith('poolgate_pool_acquire_seconds_bucket{') && line.includes(`pool="${pool}"`)) {
      const le = /le="([^"]+)"/.exec(line)[1];
      rows.push([le === '+Inf' ? Infinity : Number(le), Number(line.slice(line.lastIndexOf(' ') + 1))]);
    }
  }
  return rows.sort((a, b) => a[0] - b[0]);
}

function p99Between(before, after) {
  const deltas = after.map(([le, count], i) => [le, count - (before[i]?.[1] ?? 0)]);
  const total = deltas.length ? deltas[deltas.length - 1][1] : 0;
  if (total <= 0) return 0;
  const rank = Math.ceil(total * 0.99);
  const hit = deltas.find(([, count]) => count >= rank);
  return hit ? (hit[0] === Infinity ? 10_000 : hit[0] * 1000) : 0;
}

let wanted = clientsAt(0);
let running = true;
let second = {latencies: [], errors: 0};
const all = [];
let errors = 0;
let active = 0;

async function client(index) {
  while (running) {
    if (index >= wanted) {
      await new Promise(r => setTimeout(r, 50));
      continue;
    }
    const res = await request('POST', `/api/v1/pools/${pool}/query`, body);
    if (res.status === 200) {
      second.latencies.push(res.ms);
      all.push(res.ms);
    } else {
      second.errors++;
      errors++;
    }
  }
}

const csv = fs.createWriteStream(out);
csv.write('second,clients,target,total,in_use,waiters,acquire_p99_ms,requests,latency_p99_ms,errors\n');
const totals = [];
const clients = [];
for (let i = 0; i < peak; i++) {
  clients.push(client(i));
}
const start = Date.now();
let buckets = await acquireBuckets();
for (let t = 1; t <= seconds; t++) {
  await new Promise(r => setTimeout(r, start + t * 1000 - Date.now()));
  wanted = clientsAt(t);
  const done = second;
  second = {latencies: [], errors: 0};
  const [status, now] = await Promise.all([request('GET', `/api/v1/pools/${pool}`), acquireBuckets()]);
  const s = JSON.parse(status.body);
  totals.push(s.sizes.total);
  csv.write([t, wanted, s.sizes.target, s.sizes.total, s.sizes.inUse, s.waiters, p99Between(buckets, now).toFixed(2),
    done.latencies.length, percentile(done.latencies, 0.99).toFixed(2), done.errors].join(',') + '\n');
  buckets = now;
}
running = false;
await Promise.all(clients);
csv.end();
agent.destroy();
console.log(JSON.stringify({pool, base, peak, seconds, sql, requests: all.length, errors,
  latencyP50Ms: +percentile(all, 0.5).toFixed(2), latencyP99Ms: +percentile(all, 0.99).toFixed(2),
  connectionsAvg: +(totals.reduce((a, b) => a + b, 0) / totals.length).toFixed(1),
  connectionsMax: Math.max(...totals)}));
