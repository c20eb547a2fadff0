package io.poolgate.api;

import static io.poolgate.api.Gateway.inUse;
import static io.poolgate.api.Gateway.sql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batches run in one transaction on one connection: all or nothing. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class BatchTest {

    static ValidatableResponse batch(String body) {
        return given().contentType("application/json").body(body).post("/api/v1/pools/main/batch").then();
    }

    @BeforeEach
    void table() {
        sql("CREATE TABLE IF NOT EXISTS batch_test (id int PRIMARY KEY, name text)").statusCode(200);
        sql("TRUNCATE batch_test").statusCode(200);
    }

    @Test
    void runsEveryStatementAndAnswersOneResultEach() {
        batch("""
                {"statements": [
                  {"sql": "INSERT INTO batch_test VALUES ($1, $2)", "params": [1, "a"]},
                  {"sql": "INSERT INTO batch_test VALUES ($1, $2)", "params": [2, "b"]},
                  {"sql": "SELECT name FROM batch_test ORDER BY id"}]}
                """).statusCode(200)
                .body("results", hasSize(3))
                .body("results[0].rowCount", equalTo(1))
                .body("results[2].rows.name", contains("a", "b"));
    }

    @Test
    void aFailingStatementRollsBackTheWholeBatchAndNamesItsIndex() {
        batch("""
                {"statements": [
                  {"sql": "INSERT INTO batch_test VALUES (1, 'a')"},
                  {"sql": "INSERT INTO batch_test VALUES (1, 'duplicate')"},
                  {"sql": "INSERT INTO batch_test VALUES (3, 'c')"}]}
                """).statusCode(422)
                .body("statementIndex", equalTo(1))
                .body("sqlstate", equalTo("23505"))
                .body("detail", startsWith("duplicate key value violates unique constraint"));
        sql("SELECT count(*)::int AS n FROM batch_test").statusCode(200).body("rows[0].n", equalTo(0));
        assertEquals(0, inUse("main"));
    }

    @Test
    void aBadParameterInABatchIsABadRequestNamingTheStatement() {
        batch("""
                {"statements": [
                  {"sql": "INSERT INTO batch_test VALUES (1, 'a')"},
                  {"sql": "SELECT $1::date", "params": ["not a date"]}]}
                """).statusCode(400)
                .body("statementIndex", equalTo(1))
                .body("detail", startsWith("parameter $1: expected a date"));
        sql("SELECT count(*)::int AS n FROM batch_test").statusCode(200).body("rows[0].n", equalTo(0));
    }

    @Test
    void runsAtTheRequestedIsolationLevel() {
        batch("{\"statements\": [{\"sql\": \"SHOW transaction_isolation\"}], \"isolation\": \"serializable\"}")
                .statusCode(200)
                .body("results[0].rows[0].transaction_isolation", equalTo("serializable"));
    }

    @Test
    void aReadOnlyBatchCannotWrite() {
        batch("{\"statements\": [{\"sql\": \"INSERT INTO batch_test VALUES (1, 'a')\"}], \"readOnly\": true}")
                .statusCode(422)
                .body("sqlstate", equalTo("25006"))
                .body("statementIndex", equalTo(0));
    }
}
