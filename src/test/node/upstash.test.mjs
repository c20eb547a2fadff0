// @upstash/redis against poolgate's Upstash REST API at /upstash/<pool>. Run by
// io.poolgate.upstash.UpstashClientTest with:
//   POOLGATE_URL  the gateway, e.g. http://localhost:8081
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from '@upstash/redis';

const gateway = process.env.POOLGATE_URL;
if (!gateway) {
  throw new Error('environment variable POOLGATE_URL is not set');
}
const url = `${gateway}/upstash/cache`;
const token = 'any-token';

/** The client as most code creates it: base64 answers and auto-pipelining, both on by default. */
const redis = new Redis({ url, token });
/** Neither base64 nor auto-pipelining: one HTTP request per command, strings as JSON text. */
const plain = new Redis({ url, token, responseEncoding: false, enableAutoPipelining: false });
/** Values as Redis holds them, not parsed as JSON. */
const raw = new Redis({ url, token, automaticDeserialization: false, enableAutoPipelining: false });
const clients = { 'base64 and auto-pipelining': redis, 'plain JSON, one request per command': plain };

let n = 0;
const key = (name) => `upstash-test:${process.pid}:${n++}:${name}`;

for (const [how, client] of Object.entries(clients)) {
  test(`replies of every type (${how})`, async () => {
    const k = key('string');
    assert.equal(await client.set(k, 'value'), 'OK');
    assert.equal(await client.get(k), 'value');
    assert.equal(await client.get(key('missing')), null);
    assert.equal(await client.type(k), 'string');
    assert.equal(await client.ping(), 'PONG');
    assert.equal(await client.echo('héllo 😀'), 'héllo 😀');
    const counter = key('counter');
    assert.equal(await client.incr(counter), 1);
    assert.equal(await client.incrby(counter, 41), 42);
    assert.equal(await client.exists(k, counter, key('none')), 2);
    const list = key('list');
    assert.equal(await client.rpush(list, 'a', 'b', 'OK', ''), 4);
    assert.deepEqual(await client.lrange(list, 0, -1), ['a', 'b', 'OK', '']);
    assert.deepEqual(await client.mget(k, key('none'), counter), ['value', null, 42]);
    const hash = key('hash');
    assert.equal(await client.hset(hash, { field: 'v', number: 7 }), 2);
    assert.deepEqual(await client.hgetall(hash), { field: 'v', number: 7 });
    const zset = key('zset');
    assert.equal(await client.zadd(zset, { score: 1.5, member: 'one' }, { score: 2, member: 'two' }), 2);
    assert.deepEqual(await client.zrange(zset, 0, -1, { withScores: true }), ['one', 1.5, 'two', 2]);
    const stream = key('stream');
    const id = await client.xadd(stream, '*', { field: 'value' });
    assert.match(id, /^\d+-\d+$/);
    assert.deepEqual(await client.xrange(stream, '-', '+'), { [id]: { field: 'value' } });
    const [cursor, keys] = await client.scan(0, { match: `${k}*`, count: 1000 });
    assert.equal(typeof cursor, 'string');
    assert.ok(Array.isArray(keys));
    assert.equal(await client.del(k, counter, list, hash, zset, stream), 6);
  });

  test(`JSON values and JavaScript numbers (${how})`, async () => {
    const k = key('json');
    const value = { name: 'ünïcode 😀', list: [1, 2.5, true, null], nested: { ok: 'OK' } };
    await client.set(k, value);
    assert.deepEqual(await client.get(k), value);
    await client.set(k, 1e21);
    assert.equal(await raw.get(k), '1e+21');
    await client.set(k, 0.1);
    assert.equal(await raw.get(k), '0.1');
    await client.set(k, 10);
    assert.equal(await raw.get(k), '10');
    await client.set(k, false);
    assert.equal(await raw.get(k), 'false');
    assert.equal(await client.incrbyfloat(k + ':f', 1.5), 1.5);
    assert.equal(await raw.incrbyfloat(k + ':f', 1e-7), '1.5000001'); // Redis's own text for the sum
    await client.set(k, 'x', { ex: 10 });
    const ttl = await client.ttl(k);
    assert.ok(ttl > 0 && ttl <= 10, `ttl ${ttl}`);
  });

  test(`a WRONGTYPE error keeps Redis's text (${how})`, async () => {
    const k = key('wrongtype');
    await client.set(k, 'x');
    const error = await client.lpush(k, 'y').then(() => assert.fail('no error'), (e) => e);
    assert.equal(error.name, 'UpstashError');
    assert.match(error.message, /WRONGTYPE Operation against a key holding the wrong kind of value/);
  });
}

test('auto-pipelining sends concurrent commands as one pipeline', async () => {
  const k = key('auto');
  const before = redis.pipelineCounter;
  const answers = await Promise.all([redis.set(k, 'v'), redis.incr(k + ':n'), redis.get(k), redis.incr(k + ':n')]);
  assert.deepEqual(answers, ['OK', 1, 'v', 2]);
  const pipelines = redis.pipelineCounter - before;
  assert.ok(pipelines >= 1 && pipelines <= 2, `${pipelines} pipelines for 4 commands`); // one for reads, one for writes
});

test('pipeline() runs in order; keepErrors keeps each command\'s error', async () => {
  const k = key('pipeline');
  const results = await plain.pipeline().set(k, 'x').lpush(k, 'y').get(k).get(key('missing')).exec({ keepErrors: true });
  assert.equal(results.length, 4);
  assert.deepEqual(results[0], { result: 'OK', error: undefined });
  assert.match(results[1].error, /^WRONGTYPE/);
  assert.deepEqual(results[2], { result: 'x', error: undefined });
  assert.deepEqual(results[3], { result: null, error: undefined });
  const thrown = await plain.pipeline().set(k, 'x').lpush(k, 'y').exec().then(() => assert.fail('no error'), (e) => e);
  assert.match(thrown.message, /^Command 2 \[ lpush \] failed: WRONGTYPE/);
  const encoded = await redis.pipeline().set(k, 'é').get(k).ping().exec();
  assert.deepEqual(encoded, ['OK', 'é', 'PONG']);
});

test('multi() runs the commands atomically on one connection', async () => {
  const k = key('multi');
  assert.deepEqual(await redis.multi().incr(k).incr(k).get(k).exec(), [1, 2, 2]);
  const results = await plain.multi().set(k, 'x').lpush(k, 'y').get(k).exec({ keepErrors: true });
  assert.equal(results[0].result, 'OK');
  assert.match(results[1].error, /^WRONGTYPE/);
  assert.equal(results[2].result, 'x');
});

test('eval, evalsha, and createScript() falling back from NOSCRIPT to EVAL', async () => {
  assert.deepEqual(await redis.eval('return {1, ARGV[1], {KEYS[1], "OK"}}', [key('k')], ['a']),
    [1, 'a', [`upstash-test:${process.pid}:${n - 1}:k`, 'OK']]);
  assert.equal(await plain.eval("return redis.status_reply('FINE')", [], []), 'FINE');
  await redis.scriptFlush();
  const unknown = await plain.evalsha('0123456789abcdef0123456789abcdef01234567', [], [])
    .then(() => assert.fail('no error'), (e) => e);
  assert.match(unknown.message, /NOSCRIPT/);
  const script = redis.createScript('return ARGV[1] .. "!"');
  assert.equal(await script.exec([], ['hello']), 'hello!'); // EVALSHA answers NOSCRIPT, the client sends EVAL
  assert.equal(await script.evalsha([], ['again']), 'again!'); // now Redis knows the script
  const plainScript = plain.createScript('return tonumber(ARGV[1]) * 2');
  await plain.scriptFlush();
  assert.equal(await plainScript.exec([], ['21']), 42);
});

test('every answer carries a fresh sync token for read-your-writes', async () => {
  const client = new Redis({ url, token, enableAutoPipelining: false });
  assert.equal(client.readYourWritesSyncToken, '');
  await client.set(key('ryw'), 'v');
  const first = client.readYourWritesSyncToken;
  assert.ok(first, 'no upstash-sync-token after a write');
  assert.equal(await client.get(key('ryw-missing')), null);
  assert.ok(client.readYourWritesSyncToken && client.readYourWritesSyncToken !== first, 'the token is not fresh');
});

test('a missing pool and a missing token are refused in Upstash\'s shape', async () => {
  const nowhere = new Redis({ url: `${gateway}/upstash/nowhere`, token, enableAutoPipelining: false });
  const missing = await nowhere.get('k').then(() => assert.fail('no error'), (e) => e);
  assert.match(missing.message, /^no pool named 'nowhere'/);
  const anonymous = await fetch(url, { method: 'POST', body: '["PING"]' });
  assert.equal(anonymous.status, 401);
  assert.match((await anonymous.json()).error, /^Unauthorized/);
  assert.ok(anonymous.headers.get('upstash-sync-token'));
});

test('subscribe() is refused with a clear error', async () => {
  const subscriber = redis.subscribe([key('news')]);
  const error = await new Promise((resolve) => subscriber.on('error', resolve));
  assert.match(error.message, /^SUBSCRIBE and PSUBSCRIBE \(Server-Sent Events\) are not supported by poolgate/);
  await subscriber.unsubscribe();
});
