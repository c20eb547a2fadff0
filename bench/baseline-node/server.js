'use strict';
// The Node.js baseline of bench/run.sh: what a Node developer writes to serve a query and a cache read
// as JSON. fastify, a pg.Pool of 20, and node-redis. Configured by environment variables:
//   PORT, PG_URL (postgresql://...), REDIS_URL (redis://...),
//   REDIS_POOL: unset = one node-redis client (it pipelines concurrent commands on its connection,
//   the usage node-redis documents); a number N = createClientPool with at most N connections.
const fastify = require('fastify')({ logger: false });
const pg = require('pg');
const { createClient, createClientPool } = require('redis');

const pool = new pg.Pool({ connectionString: process.env.PG_URL, max: 20 });
const redisPool = process.env.REDIS_POOL ? Number(process.env.REDIS_POOL) : 0;
const redis = redisPool > 0
  ? createClientPool({ url: process.env.REDIS_URL }, { minimum: 1, maximum: redisPool })
  : createClient({ url: process.env.REDIS_URL });

const ROWS = 'SELECT id, name, score, created_at FROM bench_rows WHERE id >= $1 ORDER BY id LIMIT 10';

fastify.get('/select1', async () => {
  const { rows } = await pool.query('SELECT 1 AS value');
  return rows[0];
});

fastify.get('/rows', async (request) => {
  const { rows } = await pool.query(ROWS, [Number(request.query.from)]);
  return rows;
});

fastify.get('/redis/:key', async (request) => {
  return { result: await redis.get(request.params.key) };
});

async function main() {
  redis.on('error', (err) => console.error('redis:', err.message));
  await redis.connect();
  await fastify.listen({ port: Number(process.env.PORT || 8082), host: '127.0.0.1' });
  console.log(`listening on ${process.env.PORT || 8082}`);
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, async () => {
    await fastify.close();
    await pool.end();
    await redis.close();
    process.exit(0);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
