package io.poolgate.neon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Neon's wire format over plain HTTP: what the driver reads (and what it does not send itself, such
 * as typed output), and every refusal in Neon's error shape, leaving the pool whole.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class NeonHttpTest {

    static final String CONNECTION = "postgresql://app:any-key@main.poolgate.local/postgres";
    /** Every field of Neon's error object, in its order. */
    static final List<String> ERROR_FIELDS = List.of("message", "code", "detail", "hint", "position",
            "internalPosition", "internalQuery", "severity", "where", "table", "column", "schema", "dataType",
            "constraint", "file", "line", "routine");

    static RequestSpecification neon() {
        return given().header("Neon-Connection-String", CONNECTION).header("Neon-Raw-Text-Output", "true")
                .header("Neon-Array-Mode", "true").contentType("text/plain;charset=UTF-8");
    }

    static ValidatableResponse sql(String body) {
        return neon().body(body).post("/sql").then().log().ifValidationFails();
    }

    static int inUse(String pool) {
        return given().get("/api/v1/pools/{pool}", pool).then().statusCode(200).extract().path("sizes.inUse");
    }

    @Test
    void answersOneStatementInPostgresText() {
        sql("{\"query\": \"SELECT $1::int + 1 AS n, true AS t, NULL::text AS nothing\", \"params\": [\"41\"]}")
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "*")
                .body("rows[0]", contains("42", "t", null))
                .body("fields[0].name", equalTo("n"))
                .body("fields[0].dataTypeID", equalTo(23))
                .body("fields[0].format", equalTo("text"))
                .body("command", equalTo("SELECT"))
                .body("rowCount", equalTo(1))
                .body("rowAsArray", equalTo(true));
    }

    @Test
    void answersAnErrorWithEveryFieldAsAStringOrNull() {
        ValidatableResponse error = sql("{\"query\": \"SELECT * FROM neon_http_nope\"}")
                .statusCode(400)
                .header("Access-Control-Allow-Origin", "*")
                .body("message", equalTo("relation \"neon_http_nope\" does not exist"))
                .body("code", equalTo("42P01"))
                .body("position", equalTo("15"))
                .body("severity", equalTo("ERROR"))
                .body("routine", equalTo("parserOpenTable"))
                .body("line", startsWith(""))
                .body("hint", nullValue());
        for (String field : ERROR_FIELDS) {
            error.body("$", hasKey(field));
        }
        assertEquals(0, inUse("main"));
    }

    @Test
    void numbersBooleansObjectsAndArraysAreParameterText() {
        sql("{\"query\": \"SELECT $1::numeric, $2::bool, $3::jsonb, $4::int[], $5::text[], $6::json\", \"params\": "
                + "[1.50, false, {\"b\": 1, \"a\": [2]}, [1, null, 3], [\"a b\", \"q\\\"uote\", {\"k\": 1}], {\"x\" :  1}]}")
                .statusCode(200)
                .body("rows[0]", contains("1.50", "f", "{\"a\": [2], \"b\": 1}", "{1,NULL,3}",
                        "{\"a b\",\"q\\\"uote\",\"{\\\"k\\\": 1}\"}", "{\"x\" :  1}"));
    }

    @Test
    void typedOutputWithoutRawTextIsNeonsJson() {
        given().header("Neon-Connection-String", CONNECTION).contentType("application/json")
                .body("{\"query\": \"SELECT 1::int2 AS a, 2::int8 AS b, 1.5::float8 AS c, 'NaN'::float4 AS d, true AS e, "
                        + "'{\\\"k\\\": [1]}'::jsonb AS f, ARRAY[1, NULL] AS g, ARRAY['x', 'y z'] AS h, 1.50::numeric AS i, "
                        + "'[0:1][1:1]={{t},{f}}'::bool[] AS j\"}")
                .post("/sql").then().log().ifValidationFails()
                .statusCode(200)
                .body("rowAsArray", equalTo(false))
                .body("rows[0].a", equalTo(1))
                .body("rows[0].b", equalTo("2"))
                .body("rows[0].c", equalTo(1.5f))
                .body("rows[0].d", equalTo("NaN"))
                .body("rows[0].e", equalTo(true))
                .body("rows[0].f.k", contains(1))
                .body("rows[0].g", contains(1, null))
                .body("rows[0].h", contains("x", "y z"))
                .body("rows[0].i", equalTo("1.50"))
                .body("rows[0].j", contains(contains(true), contains(false)));
    }

    @Test
    void aQueryMaySayItsOwnArrayMode() {
        sql("{\"queries\": [{\"query\": \"SELECT 1 AS one\", \"arrayMode\": false}, {\"query\": \"SELECT 2 AS two\"}]}")
                .statusCode(200)
                .body("results[0].rows[0].one", equalTo("1"))
                .body("results[0].rowAsArray", equalTo(false))
                .body("results[1].rows[0]", contains("2"))
                .body("results[1].rowAsArray", equalTo(true));
    }

    @Test
    void aTransactionEchoesItsOptionsAndAnEmptyOneAnswersNoResults() {
        neon().header("Neon-Batch-Isolation-Level", "RepeatableRead").header("Neon-Batch-Read-Only", "true")
                .header("Neon-Batch-Deferrable", "yes").body("{\"queries\": [{\"query\": \"SHOW transaction_deferrable\"}]}")
                .post("/sql").then().log().ifValidationFails()
                .statusCode(200)
                .header("Neon-Batch-Isolation-Level", "RepeatableRead")
                .header("Neon-Batch-Read-Only", "true")
                .header("Neon-Batch-Deferrable", nullValue())
                .body("results[0].rows[0]", contains("off"));
        sql("{\"queries\": []}").statusCode(200).body("results", equalTo(List.of()));
    }

    @Test
    void commandTagsWithoutACountHaveANullRowCount() {
        sql("{\"queries\": [{\"query\": \"CREATE TEMP TABLE neon_http_t (x int)\"}, "
                + "{\"query\": \"INSERT INTO neon_http_t SELECT generate_series(1, 3)\"}, {\"query\": \"   \"}, "
                + "{\"query\": \"DISCARD TEMP\"}]}")
                .statusCode(200)
                .body("results.command", contains("CREATE", "INSERT", "", "DISCARD"))
                .body("results.rowCount", contains(null, 3, null, null));
    }

    @Test
    void aResultOverTheLimitIs507AndRollsBack() {
        // the test profile's poolgate.limits.max-rows is 1000
        sql("{\"query\": \"SELECT generate_series(1, 1500)\"}").statusCode(507)
                .body("message", startsWith("the result has 1500 rows, more than max-rows (1000)"))
                .body("code", nullValue());
        sql("{\"queries\": [{\"query\": \"CREATE TABLE neon_http_rolled_back (x int)\"}, "
                + "{\"query\": \"SELECT generate_series(1, 1500)\"}]}").statusCode(507);
        sql("{\"query\": \"SELECT to_regclass('neon_http_rolled_back') IS NULL\"}").statusCode(200)
                .body("rows[0]", contains("t"));
        assertEquals(0, inUse("main"));
    }

    @Test
    void aStatementTimeoutIsAnSqlErrorAndTheConnectionComesBack() {
        // pool 'tiny': one connection, statement-timeout 1s
        given().header("Neon-Connection-String", "postgresql://u:k@tiny/db").body("{\"query\": \"SELECT pg_sleep(3)\"}")
                .post("/sql").then().log().ifValidationFails()
                .statusCode(400)
                .body("code", equalTo("57014"))
                .body("message", equalTo("canceling statement due to statement timeout"));
        given().header("Neon-Connection-String", "postgresql://u:k@tiny/db").body("{\"query\": \"SELECT 1\"}")
                .post("/sql").then().statusCode(200);
        assertEquals(0, inUse("tiny"));
    }

    @Test
    void theServerCountsTheParameters() {
        sql("{\"query\": \"SELECT $1::int + $2::int\", \"params\": [\"1\"]}").statusCode(400)
                .body("code", equalTo("08P01"))
                .body("message", equalTo("bind message supplies 1 parameters, but prepared statement \"\" requires 2"));
        sql("{\"query\": \"SELECT 1; SELECT 2\"}").statusCode(400)
                .body("code", equalTo("42601"))
                .body("message", equalTo("cannot insert multiple commands into a prepared statement"));
        assertEquals(0, inUse("main"));
    }

    @Test
    void copyIsRefusedAndLeavesTheConnectionInStep() {
        sql("{\"query\": \"COPY (SELECT 1) TO STDOUT\"}").statusCode(400)
                .body("message", startsWith("COPY ... TO STDOUT is not supported over HTTP"));
        sql("{\"queries\": [{\"query\": \"CREATE TEMP TABLE neon_http_copy (x int)\"}, "
                + "{\"query\": \"COPY neon_http_copy FROM STDIN\"}]}").statusCode(400)
                .body("code", equalTo("57014"))
                .body("message", equalTo("COPY from stdin failed: COPY FROM STDIN is not supported over HTTP"));
        for (int i = 0; i < 6; i++) { // more than the pool's connections: each one still answers in step
            sql("{\"query\": \"SELECT $1::int\", \"params\": [\"" + i + "\"]}").statusCode(200)
                    .body("rows[0]", contains(String.valueOf(i)));
        }
        assertEquals(0, inUse("main"));
    }

    @Test
    void theRestOfTheApiSharesTheConnectionsAfterwards() {
        for (int i = 0; i < 8; i++) { // more than the pool's connections: the text protocol has run on each
            sql("{\"query\": \"SELECT pg_backend_pid()\"}").statusCode(200);
        }
        for (int i = 0; i < 8; i++) {
            given().contentType("application/json").body("{\"sql\": \"SELECT $1::int * 2 AS n\", \"params\": [" + i + "]}")
                    .post("/api/v1/pools/main/query").then().statusCode(200).body("rows[0].n", equalTo(2 * i));
        }
        assertEquals(0, inUse("main"));
    }

    @Test
    void badRequestsAreRefusedInNeonsShape() {
        sql("").statusCode(400).body("message", startsWith("request body is empty"));
        sql("{\"query\": ").statusCode(400).body("message", startsWith("malformed JSON at line 1"));
        sql("[]").statusCode(400).body("message", startsWith("expected a JSON object"));
        sql("{\"params\": []}").statusCode(400).body("message", startsWith("the body has neither 'query' nor 'queries'"));
        sql("{\"query\": 1}").statusCode(400).body("message", equalTo("'query' must be a string, got a number"));
        sql("{\"query\": \"SELECT 1\", \"params\": {}}").statusCode(400)
                .body("message", equalTo("'params' must be an array, got an object"));
        sql("{\"queries\": [{\"params\": []}]}").statusCode(400).body("message", equalTo("queries[0] has no 'query'"));
        sql("{\"queries\": {}}").statusCode(400).body("message", startsWith("'queries' must be an array"));
        sql("{\"query\": \"SELECT 1\", \"arrayMode\": \"yes\"}").statusCode(400)
                .body("message", equalTo("'arrayMode' must be true or false, got a string"));
        sql("{\"query\": \"SELECT '\\u0000'\"}").statusCode(400).body("message", containsString("NUL character"))
                .body("code", nullValue());
        neon().header("Neon-Batch-Isolation-Level", "serializable").body("{\"query\": \"SELECT 1\"}").post("/sql")
                .then().statusCode(400).body("message", startsWith("invalid isolation level"));
        given().body("{\"query\": \"SELECT 1\"}").post("/sql").then().statusCode(400)
                .body("message", startsWith("missing header Neon-Connection-String"));
        given().header("Neon-Connection-String", "mysql://u:k@main/db").body("{\"query\": \"SELECT 1\"}").post("/sql")
                .then().statusCode(400).body("message", startsWith("Neon-Connection-String must start with postgresql://"));
        given().header("Neon-Connection-String", "postgresql://u@main/db").body("{\"query\": \"SELECT 1\"}").post("/sql")
                .then().statusCode(401).body("message", startsWith("no API key"));
        given().header("Neon-Connection-String", "postgresql://u@main/db").header("Authorization", "Bearer key")
                .body("{\"query\": \"SELECT 1\"}").post("/sql").then().statusCode(200);
        given().header("Neon-Connection-String", "postgresql://u:k@nowhere.poolgate.local/db")
                .body("{\"query\": \"SELECT 1\"}").post("/sql").then().statusCode(404)
                .body("message", startsWith("no pool named 'nowhere'"));
        given().header("Neon-Connection-String", "postgresql://u:k@cache/db").body("{\"query\": \"SELECT 1\"}")
                .post("/sql").then().statusCode(400)
                .body("message", equalTo("pool 'cache' is a redis pool; this endpoint needs a postgres pool"));
        assertEquals(0, inUse("main"));
    }

    @Test
    void refusalsBeforeTheResourceAreInNeonsShapeToo() {
        given().get("/sql").then().statusCode(405).header("Access-Control-Allow-Origin", "*")
                .body("message", equalTo("GET is not allowed on /sql")).body("code", nullValue());
        given().post("/sql/v2").then().statusCode(404).body("message", equalTo("no endpoint for POST /sql/v2"));
        byte[] large = ("{\"query\": \"SELECT 1\", \"params\": [\"" + "x".repeat(1024 * 1024) + "\"]}").getBytes();
        neon().body(large).post("/sql").then().statusCode(413)
                .body("message", startsWith("request body of " + large.length + " bytes is over the limit"));
    }

    @Test
    void answersTheCorsPreflight() {
        given().header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST")
                .options("/sql").then().statusCode(204)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Neon-Connection-String"))
                .header("Access-Control-Allow-Headers", containsString("Neon-Batch-Isolation-Level"));
    }
}
