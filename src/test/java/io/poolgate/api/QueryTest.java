package io.poolgate.api;

import static io.poolgate.api.Gateway.query;
import static io.poolgate.api.Gateway.sql;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** SQL over HTTP against a real PostgreSQL: JSON in, PostgreSQL types, JSON out. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class QueryTest {

    @Test
    void selectsOneRowWithColumnsAndTiming() {
        sql("SELECT 1 AS one").statusCode(200)
                .body("columns.name", contains("one"))
                .body("columns.type", contains("int4"))
                .body("rows", hasSize(1))
                .body("rows[0].one", equalTo(1))
                .body("rowCount", equalTo(1))
                .body("durationMs", greaterThanOrEqualTo(0f));
    }

    @Test
    void columnNamesAreEscapedJsonStrings() {
        // the columns are written without a JSON generator: quotes, backslashes, control characters
        // and non-ASCII names must still come out as the names PostgreSQL gave
        query("main", "{\"sql\": \"SELECT 1 AS \\\"a\\\"\\\"b\\\\c\\\", 2 AS \\\"tab\\tné\\\"\"}").statusCode(200)
                .body("columns.name", contains("a\"b\\c", "tab\tné"))
                .body("rows[0].values()", contains(1, 2));
    }

    @Test
    void mapsEveryJsonTypeToPostgresAndBack() {
        query("main", """
                {"sql": "SELECT $1::int AS i, $2::bigint AS big, $3::float8 AS f, $4::numeric AS num, $5::text AS t, \
                $6::bool AS b, $7::int AS nothing, $8::jsonb AS doc, $9::timestamptz AS ts, $10::date AS d, \
                $11::bytea AS bytes, $12::int[] AS ints, $13::text[] AS texts, $14::uuid AS id, \
                $15::interval AS span, $16::time AS clock",
                 "params": [7, 9007199254740993, 1.5, "123456789.123456789", "héllo", true, null,
                            {"a": [1, "x", null]}, "2024-02-29T12:34:56.789Z", "2024-02-29",
                            "AAEC/w==", [1, 2, 3], ["a", "b"], "123e4567-e89b-12d3-a456-426614174000",
                            "P1DT2H30M", "13:45:00"]}
                """).statusCode(200)
                .body("rows[0].i", equalTo(7))
                .body("rows[0].big", equalTo(9007199254740993L))
                .body("rows[0].f", equalTo(1.5f))
                .body("rows[0].num", equalTo("123456789.123456789"))
                .body("rows[0].t", equalTo("héllo"))
                .body("rows[0].b", equalTo(true))
                .body("rows[0].nothing", nullValue())
                .body("rows[0].doc.a[1]", equalTo("x"))
                .body("rows[0].ts", equalTo("2024-02-29T12:34:56.789Z"))
                .body("rows[0].d", equalTo("2024-02-29"))
                .body("rows[0].bytes", equalTo("AAEC/w=="))
                .body("rows[0].ints", contains(1, 2, 3))
                .body("rows[0].texts", contains("a", "b"))
                .body("rows[0].id", equalTo("123e4567-e89b-12d3-a456-426614174000"))
                .body("rows[0].span", equalTo("P1DT2H30M"))
                .body("rows[0].clock", equalTo("13:45:00"))
                .body("columns.type", contains("int4", "int8", "float8", "numeric", "text", "bool", "int4", "jsonb",
                        "timestamptz", "date", "bytea", "int4[]", "text[]", "uuid", "interval", "time"));
    }

    @Test
    void acceptsStringsForNumbersAndBooleansLikeTextParameters() {
        query("main", "{\"sql\": \"SELECT $1::int + 1 AS n, $2::bool AS b\", \"params\": [\"41\", \"yes\"]}")
                .statusCode(200)
                .body("rows[0].n", equalTo(42))
                .body("rows[0].b", equalTo(true));
    }

    @Test
    void keepsNumericPrecisionAndNamesNonFiniteFloats() {
        sql("SELECT 0.1::numeric + 0.2::numeric AS exact, 'NaN'::float8 AS nan, 'Infinity'::float8 AS inf")
                .statusCode(200)
                .body("rows[0].exact", equalTo("0.3"))
                .body("rows[0].nan", equalTo("NaN"))
                .body("rows[0].inf", equalTo("Infinity"));
    }

    @Test
    void reportsRowsAffectedByWrites() {
        sql("CREATE TABLE IF NOT EXISTS query_test_items (id int PRIMARY KEY, name text)").statusCode(200);
        sql("DELETE FROM query_test_items").statusCode(200);
        query("main", "{\"sql\": \"INSERT INTO query_test_items VALUES ($1, $2), ($3, $4)\","
                + " \"params\": [1, \"a\", 2, \"b\"]}").statusCode(200)
                .body("rowCount", equalTo(2))
                .body("rows", hasSize(0));
        sql("SELECT name FROM query_test_items ORDER BY id").statusCode(200)
                .body("rows.name", contains("a", "b"));
    }

    @Test
    void aParameterOfTheWrongShapeIsABadRequestNamingIt() {
        query("main", "{\"sql\": \"SELECT $1::timestamptz\", \"params\": [\"yesterday-ish\"]}")
                .statusCode(400)
                .body("type", equalTo("urn:poolgate:problem:bad-parameter"))
                .body("detail", startsWith("parameter $1: expected a timestamp with time zone (ISO-8601"));
    }

    @Test
    void tooFewParametersIsABadRequest() {
        query("main", "{\"sql\": \"SELECT $1::int, $2::int\", \"params\": [1]}")
                .statusCode(400)
                .body("detail", startsWith("The number of parameters"));
    }

    @Test
    void twoStatementsInOneQueryAreRefusedByTheServer() {
        sql("SELECT 1; SELECT 2").statusCode(422)
                .body("sqlstate", equalTo("42601"))
                .body("detail", equalTo("cannot insert multiple commands into a prepared statement"));
    }

    @Test
    void initSqlRunsOnEveryConnection() {
        sql("SHOW work_mem").statusCode(200).body("rows[0].work_mem", equalTo("8MB"));
    }
}
