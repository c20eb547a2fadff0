package io.poolgate.api;

import static io.poolgate.api.Gateway.eventually;
import static io.poolgate.api.Gateway.inUse;
import static io.poolgate.api.Gateway.sql;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Connections come back clean on every path: session state a statement leaves behind is reset,
 * an open transaction is rolled back, and a client that hangs up mid-statement gets its backend
 * query cancelled.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class ReleaseTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void sessionSettingsDoNotLeakToTheNextRequest() {
        // with max 5 connections, 20 rounds make sure the changed connections are lent again
        for (int i = 0; i < 20; i++) {
            sql("SET work_mem TO '1MB'").statusCode(200);
            sql("SHOW work_mem").statusCode(200).body("rows[0].work_mem", equalTo("8MB"));
        }
    }

    @Test
    void aTransactionLeftOpenIsRolledBack() {
        sql("CREATE TABLE IF NOT EXISTS release_test (n int)").statusCode(200);
        sql("TRUNCATE release_test").statusCode(200);
        for (int i = 0; i < 10; i++) {
            sql("BEGIN").statusCode(200);
            sql("INSERT INTO release_test VALUES (1)").statusCode(200);
        }
        // each INSERT ran alone (autocommit) unless it landed on a connection left in a transaction
        sql("SELECT count(*)::int AS n FROM release_test").statusCode(200).body("rows[0].n", equalTo(10));
        sql("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'")
                .statusCode(200).body("rows[0].n", equalTo(0));
    }

    @Test
    void aClientHangingUpMidStatementCancelsItAndGetsTheConnectionBack() throws Exception {
        String body = "{\"sql\": \"SELECT pg_sleep(30)\"}";
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/pools/main/query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertTrue(eventually(Duration.ofSeconds(5), () -> sleeping() == 1), "the statement is running");
        }
        // the socket is closed: the gateway must cancel the statement and take the connection back
        assertTrue(eventually(Duration.ofSeconds(10), () -> sleeping() == 0), "the statement was cancelled");
        assertTrue(eventually(Duration.ofSeconds(10), () -> inUse("main") == 0), "the connection came back");
        sql("SELECT 1 AS ok").statusCode(200).body("rows[0].ok", equalTo(1));
    }

    private static int sleeping() {
        return sql("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'"
                + " AND state = 'active'").statusCode(200).extract().path("rows[0].n");
    }

    @Test
    void poolIsWholeAfterAFailedStatement() {
        sql("SELECT 1/0").statusCode(422).body("sqlstate", equalTo("22012"));
        assertEquals(0, inUse("main"));
    }
}
