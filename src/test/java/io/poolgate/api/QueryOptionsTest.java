package io.poolgate.api;

import static io.poolgate.api.Gateway.inUse;
import static io.poolgate.api.Gateway.query;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** readOnly, rowMode and the result caps of /query (test profile: max-rows 1000, max-response-bytes 256K). */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class QueryOptionsTest {

    @Test
    void readOnlyIsEnforcedByPostgresItself() {
        query("main", "{\"sql\": \"CREATE TABLE read_only_test (n int)\", \"readOnly\": true}").statusCode(422)
                .body("sqlstate", equalTo("25006"))
                .body("detail", equalTo("cannot execute CREATE TABLE in a read-only transaction"));
        query("main", "{\"sql\": \"SELECT 1 AS one\", \"readOnly\": true}").statusCode(200)
                .body("rows[0].one", equalTo(1));
        assertEquals(0, inUse("main"));
    }

    @Test
    void arrayRowModeAnswersRowsAsArraysInColumnOrder() {
        query("main", "{\"sql\": \"SELECT 1 AS a, 'x' AS a\", \"rowMode\": \"array\"}").statusCode(200)
                .body("columns.name", contains("a", "a"))
                .body("rows[0]", contains(1, "x"));
    }

    @Test
    void aResultOverMaxRowsIsRefusedWithAClearError() {
        query("main", "{\"sql\": \"SELECT g FROM generate_series(1, 1000) g\"}").statusCode(200)
                .body("rows", hasSize(1000));
        query("main", "{\"sql\": \"SELECT g FROM generate_series(1, 1001) g\"}").statusCode(507)
                .body("type", equalTo("urn:poolgate:problem:result-too-large"))
                .body("detail", startsWith("the result has 1001 rows, more than max-rows (1000)"));
        assertEquals(0, inUse("main"));
    }

    @Test
    void aResultOverMaxResponseBytesIsRefused() {
        query("main", "{\"sql\": \"SELECT repeat('x', 1000) AS big FROM generate_series(1, 300)\"}").statusCode(507)
                .body("detail", startsWith("the result is larger than max-response-bytes (262144 bytes"));
    }
}
