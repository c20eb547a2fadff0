package io.poolgate.security;

import static io.poolgate.security.Keys.as;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A read key's SQL cannot write, whatever it sends first: each escape is tried before a write on a
 * plain request (then the write on the next one), in a batch, and on a read-only lease; PostgreSQL
 * refuses the write (403) or the escape itself, and the table stays empty.
 */
@QuarkusTest
@TestProfile(SecuredProfile.class)
@WithTestResource(EmbeddedServers.class)
class ReadScopeEscapesTest {

    static final String WRITE = "INSERT INTO escape_t VALUES (1)";

    static boolean schema;

    @BeforeEach
    void schema() {
        if (schema) {
            return;
        }
        schema = true;
        for (String sql : List.of(
                "CREATE TABLE IF NOT EXISTS escape_t (n int)",
                "CREATE SEQUENCE IF NOT EXISTS escape_seq",
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'escape_other') THEN "
                        + "CREATE ROLE escape_other; END IF; END $$",
                "GRANT ALL ON escape_t TO escape_other",
                "CREATE OR REPLACE PROCEDURE escape_proc() LANGUAGE plpgsql AS $$ BEGIN COMMIT; "
                        + "INSERT INTO escape_t VALUES (2); END $$",
                "CREATE OR REPLACE FUNCTION escape_fn() RETURNS int LANGUAGE sql VOLATILE AS "
                        + "'INSERT INTO escape_t VALUES (3) RETURNING n'")) {
            writer(sql).then().statusCode(200);
        }
    }

    @BeforeEach
    void empty() {
        schema();
        writer("TRUNCATE escape_t").then().statusCode(200);
    }

    /** The escapes of issue 11 and more: each one, then a write. */
    @ParameterizedTest
    @ValueSource(strings = {
        "RESET ROLE",
        "SET ROLE escape_other",
        "SET ROLE postgres",
        "SET SESSION AUTHORIZATION escape_other",
        "SET SESSION AUTHORIZATION DEFAULT",
        "SELECT set_config('role', 'escape_other', false)",
        "SELECT set_config('transaction_read_only', 'off', false)",
        "SELECT set_config('default_transaction_read_only', 'off', false)",
        "SET TRANSACTION READ WRITE",
        "SET transaction_read_only = off",
        "SET default_transaction_read_only = off",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        "COMMIT",
        "ROLLBACK",
        "END",
        "COMMIT AND CHAIN",
        "BEGIN READ WRITE",
        "START TRANSACTION READ WRITE",
        "SAVEPOINT s",
        "DO $$ BEGIN COMMIT; INSERT INTO escape_t VALUES (4); END $$",
        "DO $$ BEGIN SET LOCAL transaction_read_only = off; INSERT INTO escape_t VALUES (5); END $$",
        "CALL escape_proc()",
        "SELECT escape_fn()",
        "SELECT nextval('escape_seq')",
        "CREATE TEMP TABLE escape_tmp (n int)",
        "SET statement_timeout = 0"})
    void noEscapeLetsAReadKeyWrite(String escape) {
        List<Integer> statuses = new ArrayList<>();
        // a plain request: the escape, then the write on the next request (each in its own guarded transaction)
        statuses.add(reader(escape).statusCode());
        reader(WRITE).then().statusCode(403).body("scope", equalTo("write"));
        // a batch: the escape, then the write
        as(Keys.READER).body(batch(escape, WRITE)).post("/api/v1/pools/main/batch").then()
                .statusCode(anyOf(equalTo(403), equalTo(422)));
        as(Keys.READER).body(batch(escape, "SELECT 1", WRITE)).post("/api/v1/pools/main/batch").then()
                .statusCode(anyOf(equalTo(403), equalTo(422)));
        // a read-only lease: the escape, then the write, on the same connection
        String lease = as(Keys.READER).post("/api/v1/pools/main/sessions").then().statusCode(201).extract().path("id");
        try {
            onLease(lease, escape);
            int status = as(Keys.READER).body(statement(WRITE)).post("/api/v1/sessions/{id}/query", lease)
                    .statusCode();
            assertEquals(403, status, "the write after '" + escape + "' on a read-only lease");
        } finally {
            as(Keys.READER).delete("/api/v1/sessions/{id}", lease).then().statusCode(204);
        }
        writer("SELECT count(*)::int AS n FROM escape_t").then().body("rows[0].n", equalTo(0));
        statuses.forEach(s -> assertEquals(true, s == 200 || s == 403 || s == 422, "status " + s));
    }

    private static void onLease(String lease, String sql) {
        int status = as(Keys.READER).body(statement(sql)).post("/api/v1/sessions/{id}/query", lease).statusCode();
        assertEquals(true, status == 200 || status == 403 || status == 422, sql + " answered " + status);
    }

    private static io.restassured.response.Response reader(String sql) {
        return as(Keys.READER).body(statement(sql)).post("/api/v1/pools/main/query");
    }

    private static io.restassured.response.Response writer(String sql) {
        return as(Keys.WRITER).body(statement(sql)).post("/api/v1/pools/main/query");
    }

    static String statement(String sql) {
        return "{\"sql\": " + quote(sql) + "}";
    }

    static String batch(String... sql) {
        List<String> items = new ArrayList<>();
        for (String s : sql) {
            items.add(statement(s));
        }
        return "{\"statements\": [" + String.join(", ", items) + "]}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
