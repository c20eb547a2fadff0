// @neondatabase/serverless (HTTP mode) against poolgate's POST /sql, compared with what `pg` gets
// from the same PostgreSQL directly. Run by io.poolgate.neon.NeonClientTest with:
//   POOLGATE_URL  the gateway, e.g. http://localhost:8081
//   PG_URL        the PostgreSQL behind pool 'main', for pg
//   ZONED_TZ      the time zone pool 'zoned' sets on its connections
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { neon, neonConfig, NeonDbError } from '@neondatabase/serverless';
import pg from 'pg';

const gateway = required('POOLGATE_URL');
const direct = required('PG_URL');
const zonedTz = required('ZONED_TZ');

neonConfig.fetchEndpoint = `${gateway}/sql`;
const sql = neon('postgresql://app:any-key@main.poolgate.local/postgres');
const zoned = neon('postgresql://app:any-key@zoned/postgres');

/** Every value as the text PostgreSQL sent: the same parser for both drivers. */
const rawText = { getTypeParser: () => (value) => value };
const pgClient = new pg.Client({ connectionString: direct });
const pgZoned = new pg.Client({ connectionString: direct });

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

before(async () => {
  await pgClient.connect();
  // pool 'main' runs SET timezone TO 'UTC' on its connections: the same session for pg
  await pgClient.query("SET timezone TO 'UTC'");
  await pgZoned.connect();
  await pgZoned.query(`SET timezone TO '${zonedTz}'`);
  await pgClient.query('DROP TABLE IF EXISTS neon_items');
  await pgClient.query('CREATE TABLE neon_items (id serial PRIMARY KEY, name varchar(20) UNIQUE NOT NULL, price numeric(8,2))');
});

after(async () => {
  await pgClient.query('DROP TABLE IF EXISTS neon_items');
  await pgClient.end();
  await pgZoned.end();
});

function fieldsOf(result) {
  return result.fields.map(({ name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, format }) =>
    ({ name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, format }));
}

/** Parsed values in a comparable form: Buffers as hex (the driver bundles its own Buffer), Dates as ISO. */
function comparable(value) {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  if (typeof value === 'object' && typeof value.toString === 'function' && value.constructor?.name === 'Buffer') {
    return `Buffer(${value.toString('hex')})`;
  }
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  return value;
}

// every common type, as parameters and back
const TYPES = `SELECT $1::int2 AS int2, $2::int4 AS int4, $3::int8 AS int8, $4::numeric AS numeric,
  $5::float4 AS float4, $6::float8 AS float8, $7::bool AS bool, $8::text AS text, $9::bytea AS bytea,
  $10::json AS json, $11::jsonb AS jsonb, $12::uuid AS uuid, $13::date AS date, $14::timestamp AS timestamp,
  $15::timestamptz AS timestamptz, $16::interval AS interval, $17::int4[] AS int4_array,
  $18::text[] AS text_array, $19::text AS nothing, $20::varchar(10) AS varchar, $21::numeric(10,3) AS money_like,
  $22::float8 AS tiny, $23::float8 AS nan, $24::timestamptz AS infinity, $25::jsonb[] AS jsonb_array,
  $26::int4[] AS matrix, $27::time AS time, $28::timetz AS timetz, $29::date AS bc`;
const VALUES = [-32768, 2147483647, '9223372036854775807', '12345678901234567890.123456789', 1.5, 1e21, true,
  'héllo, "quoted" \\ back\nslash 😀', Buffer.from([0, 1, 2, 127, 128, 255]), { a: [1, 2.5, 'x'], b: null },
  { z: 1, a: { nested: true } }, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-02-29', '2024-02-29 12:34:56.789',
  new Date('2024-02-29T12:34:56.789Z'), '1 year 2 mons 3 days 04:05:06.5', [1, 2, 3], ['a', 'b c', null, 'd"e', ''],
  null, 'ten chars!', '3.14159', '1e-7', 'NaN', 'infinity', [{ a: 1 }, { b: [2, "x"] }], [[1, 2], [3, 4]], '13:45:00.5',
  '13:45:00+05:30', '0044-03-15 BC'];

test('every common type round-trips as the same PostgreSQL text that pg gets', async () => {
  const viaGateway = await sql.query(TYPES, VALUES, { fullResults: true, types: rawText });
  const viaPg = await pgClient.query({ text: TYPES, values: VALUES, types: rawText });
  assert.deepEqual(fieldsOf(viaGateway), fieldsOf(viaPg));
  assert.deepEqual(viaGateway.rows, viaPg.rows);
  assert.equal(viaGateway.command, 'SELECT');
  assert.equal(viaGateway.rowCount, 1);
  // a few exact texts, so a difference in both is caught too
  const row = viaGateway.rows[0];
  assert.equal(row.bool, 't');
  assert.equal(row.bytea, '\\x0001027f80ff');
  assert.equal(row.float8, '1e+21');
  assert.equal(row.int4_array, '{1,2,3}');
  assert.equal(row.text_array, '{a,"b c",NULL,"d\\"e",""}');
  assert.equal(row.timestamptz, '2024-02-29 12:34:56.789+00');
  assert.equal(row.interval, '1 year 2 mons 3 days 04:05:06.5');
  assert.equal(row.jsonb, '{"a": {"nested": true}, "z": 1}');
  assert.equal(row.nothing, null);
});

test('every common type parses to the same JavaScript values as with pg', async () => {
  const viaGateway = await sql.query(TYPES, VALUES);
  const viaPg = await pgClient.query(TYPES, VALUES);
  assert.deepEqual(comparable(viaGateway), comparable(viaPg.rows));
  const [row] = viaGateway;
  assert.equal(row.int4, 2147483647);
  assert.equal(row.int8, '9223372036854775807');
  assert.deepEqual(row.json, { a: [1, 2.5, 'x'], b: null });
  assert.deepEqual(row.int4_array, [1, 2, 3]);
  assert.equal(row.timestamptz.toISOString(), '2024-02-29T12:34:56.789Z');
});

test('dataTypeID is the exact OID, also for types the gateway itself does not know', async () => {
  const query = "SELECT int4range(1, 5) AS r, 'pg_class'::regclass AS c, '0/16B3748'::pg_lsn AS l, " +
    "'(1,2)'::point AS p, ARRAY[1.5]::numeric[] AS n, '{\"a\":1}'::json AS j";
  const viaGateway = await sql.query(query, [], { fullResults: true, types: rawText });
  const viaPg = await pgClient.query({ text: query, types: rawText });
  assert.deepEqual(fieldsOf(viaGateway), fieldsOf(viaPg));
  assert.deepEqual(viaGateway.rows, viaPg.rows);
  assert.deepEqual(viaGateway.fields.map((f) => f.dataTypeID), [3904, 2205, 3220, 600, 1231, 114]);
});

test('timestamps come in the session time zone the pool sets', async () => {
  const query = "SELECT '2024-01-15 12:00:00+00'::timestamptz AS winter, '2024-07-15 12:00:00+00'::timestamptz AS summer, " +
    "'1900-01-01 00:00:00+00'::timestamptz AS old, current_setting('TimeZone') AS zone, now()::date - now()::date AS zero";
  const viaGateway = await zoned.query(query, [], { fullResults: true, types: rawText });
  const viaPg = await pgZoned.query({ text: query, types: rawText });
  assert.deepEqual(viaGateway.rows, viaPg.rows);
  assert.equal(viaGateway.rows[0].zone, zonedTz);
  assert.notEqual(viaGateway.rows[0].winter, '2024-01-15 12:00:00+00');
});

test('neon() tagged templates bind values as parameters', async () => {
  const name = "Robert'); DROP TABLE neon_items; --";
  const rows = await sql`SELECT ${name}::text AS name, ${41}::int + 1 AS answer, ${null}::int AS nothing`;
  assert.deepEqual(rows, [{ name, answer: 42, nothing: null }]);
  const count = await pgClient.query('SELECT count(*) FROM neon_items');
  assert.equal(count.rowCount, 1);
});

test('query() with fullResults and arrayMode', async () => {
  const full = await sql.query('SELECT $1::int AS a, $2::text AS b', [1, 'x'], { fullResults: true, arrayMode: true });
  assert.deepEqual(full.rows, [[1, 'x']]);
  assert.equal(full.rowAsArray, true);
  assert.equal(full.command, 'SELECT');
  assert.equal(full.rowCount, 1);
  assert.deepEqual(full.fields.map((f) => [f.name, f.dataTypeID]), [['a', 23], ['b', 25]]);
  const arrays = await sql.query('SELECT 1 AS a, 2 AS a', [], { arrayMode: true });
  assert.deepEqual(arrays, [[1, 2]]);
  const objects = neon('postgresql://app:any-key@main/postgres', { fullResults: true });
  const result = await objects`SELECT 'v' AS k`;
  assert.deepEqual(result.rows, [{ k: 'v' }]);
  assert.equal(result.rowAsArray, false);
});

test('command and rowCount come from the command tag, and fields from the table', async () => {
  const insert = await sql.query("INSERT INTO neon_items (name, price) VALUES ('a', 1.5), ('b', 2), ('c', NULL)", [],
    { fullResults: true });
  assert.equal(insert.command, 'INSERT');
  assert.equal(insert.rowCount, 3);
  const update = await sql.query('UPDATE neon_items SET price = price * 2 WHERE price IS NOT NULL', [], { fullResults: true });
  assert.deepEqual([update.command, update.rowCount], ['UPDATE', 2]);
  const returning = await sql.query("INSERT INTO neon_items (name) VALUES ('d') RETURNING id, name, price", [],
    { fullResults: true, types: rawText });
  const pgReturning = await pgClient.query({ text: "INSERT INTO neon_items (name) VALUES ('e') RETURNING id, name, price", types: rawText });
  assert.deepEqual(fieldsOf(returning), fieldsOf(pgReturning));
  assert.ok(returning.fields[0].tableID > 0);
  assert.deepEqual(returning.fields.map((f) => f.columnID), [1, 2, 3]);
  assert.equal(returning.fields[1].dataTypeModifier, 24); // varchar(20)
  const select = await sql.query('SELECT name, price FROM neon_items ORDER BY id', [], { fullResults: true });
  assert.deepEqual([select.command, select.rowCount], ['SELECT', 5]);
  assert.deepEqual(select.rows.map((r) => r.price), ['3.00', '4.00', null, null, null]);
  const remove = await sql.query("DELETE FROM neon_items WHERE name IN ('d', 'e')", [], { fullResults: true });
  assert.deepEqual([remove.command, remove.rowCount], ['DELETE', 2]);
  const ddl = await sql.query('CREATE TEMP TABLE neon_scratch (x int)', [], { fullResults: true });
  assert.deepEqual([ddl.command, ddl.rowCount, ddl.rows, ddl.fields], ['CREATE', null, [], []]);
  const gone = await sql.query("SELECT to_regclass('neon_scratch') AS t", [], { fullResults: true });
  assert.equal(gone.rows[0].t, null); // the temp table went with the reset before the connection was lent again
});

test('an SQL error carries every field pg sees, code and position included', async () => {
  const query = 'SELECT * FROM neon_nope';
  const viaGateway = await sql.query(query).then(() => assert.fail('no error'), (e) => e);
  const viaPg = await pgClient.query(query).then(() => assert.fail('no error'), (e) => e);
  assert.ok(viaGateway instanceof NeonDbError, `not a NeonDbError: ${viaGateway}`);
  assert.equal(viaGateway.message, 'relation "neon_nope" does not exist');
  assert.equal(viaGateway.code, '42P01');
  assert.equal(viaGateway.position, '15');
  assert.equal(viaGateway.severity, 'ERROR');
  for (const field of ['message', 'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery',
    'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine']) {
    assert.equal(viaGateway[field], viaPg[field], `field ${field}`);
  }
});

test('a constraint violation names its schema, table and constraint', async () => {
  await sql`INSERT INTO neon_items (name) VALUES ('unique-one')`;
  const error = await sql`INSERT INTO neon_items (name) VALUES ('unique-one')`.then(() => assert.fail('no error'), (e) => e);
  assert.equal(error.code, '23505');
  assert.equal(error.schema, 'public');
  assert.equal(error.table, 'neon_items');
  assert.equal(error.constraint, 'neon_items_name_key');
  assert.equal(error.detail, 'Key (name)=(unique-one) already exists.');
  assert.equal(error.routine, '_bt_check_unique');
});

test('an untyped parameter is PostgreSQL\'s to infer, as with pg', async () => {
  const viaGateway = await sql.query('SELECT $1 AS x', ['a'], { fullResults: true });
  const viaPg = await pgClient.query('SELECT $1 AS x', ['a']);
  assert.deepEqual(fieldsOf(viaGateway), fieldsOf(viaPg));
  assert.deepEqual(viaGateway.rows, viaPg.rows);
  const unknown = await sql.query('SELECT pg_typeof($1)', ['a']).then(() => assert.fail('no error'), (e) => e);
  const pgUnknown = await pgClient.query('SELECT pg_typeof($1)', ['a']).then(() => assert.fail('no error'), (e) => e);
  assert.deepEqual([unknown.code, unknown.message], [pgUnknown.code, pgUnknown.message]);
  assert.equal(unknown.code, '42P18');
  const inferred = await sql.query('SELECT 1 WHERE $1 = 2 AND $2 > now()', ['2', '2000-01-01 00:00']);
  assert.deepEqual(inferred, []);
  const bad = await sql.query('SELECT $1::int AS x', ['4.5']).then(() => assert.fail('no error'), (e) => e);
  assert.equal(bad.code, '22P02');
  assert.equal(bad.message, 'invalid input syntax for type integer: "4.5"');
});

test('sql.transaction() runs in one transaction with the isolation level and read-only', async () => {
  const [isolation, readOnly, deferrable] = await sql.transaction([
    sql`SHOW transaction_isolation`, sql`SHOW transaction_read_only`, sql`SHOW transaction_deferrable`],
  { isolationLevel: 'Serializable', readOnly: true, deferrable: true });
  assert.deepEqual([isolation, readOnly, deferrable],
    [[{ transaction_isolation: 'serializable' }], [{ transaction_read_only: 'on' }], [{ transaction_deferrable: 'on' }]]);
  const [repeatable] = await sql.transaction((tx) => [tx`SHOW transaction_isolation`], { isolationLevel: 'RepeatableRead' });
  assert.deepEqual(repeatable, [{ transaction_isolation: 'repeatable read' }]);
  const refused = await sql.transaction([sql`INSERT INTO neon_items (name) VALUES ('read-only')`], { readOnly: true })
    .then(() => assert.fail('no error'), (e) => e);
  assert.equal(refused.code, '25006');
  const same = await sql.transaction([sql`SELECT txid_current() AS a`, sql`SELECT txid_current() AS b`]);
  assert.equal(same[0][0].a, same[1][0].b);
  assert.deepEqual(await sql.transaction([]), []);
});

test('a failed transaction rolls back everything', async () => {
  const error = await sql.transaction([
    sql`INSERT INTO neon_items (name) VALUES ('rolled-back')`,
    sql`SELECT 1 / 0`,
  ]).then(() => assert.fail('no error'), (e) => e);
  assert.equal(error.code, '22012');
  const left = await pgClient.query("SELECT count(*)::int AS n FROM neon_items WHERE name = 'rolled-back'");
  assert.equal(left.rows[0].n, 0);
  const results = await sql.transaction([
    sql`INSERT INTO neon_items (name, price) VALUES ('kept', 9.99) RETURNING price`,
    sql.query('SELECT count(*)::int AS n FROM neon_items WHERE name = $1', ['kept'], { arrayMode: true, fullResults: true }),
  ]);
  assert.deepEqual(results[0], [{ price: '9.99' }]);
  assert.deepEqual(results[1].rows, [[1]]);
  assert.equal(results[1].rowAsArray, true);
});

test('concurrent requests share the pool', async () => {
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => sql`SELECT ${i}::int AS i, pg_sleep(0.01)`));
  assert.deepEqual(answers.map((rows) => rows[0].i), Array.from({ length: 40 }, (_, i) => i));
});
