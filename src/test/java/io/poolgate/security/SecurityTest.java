package io.poolgate.security;

import static io.poolgate.security.Keys.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With authentication on: who gets in, what each scope and pool grant allows, and how refusals read. */
@QuarkusTest
@TestProfile(SecuredProfile.class)
@WithTestResource(EmbeddedServers.class)
class SecurityTest {

    static final String SELECT = "{\"sql\": \"SELECT 1 AS one\"}";

    @Test
    void noCredentialsIs401WithABearerChallengeAndAProblem() {
        given().contentType(ContentType.JSON).body(SELECT).post("/api/v1/pools/main/query").then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json")
                .body("type", equalTo("urn:poolgate:problem:missing-credentials"))
                .body("detail", containsString("Authorization: Bearer"));
    }

    @Test
    void aHeaderThatIsNotBearerIsMalformed() {
        given().header("Authorization", "Token abc").contentType(ContentType.JSON).body(SELECT)
                .post("/api/v1/pools/main/query").then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("type", equalTo("urn:poolgate:problem:malformed-credentials"));
        given().header("Authorization", "Bearer").contentType(ContentType.JSON).body(SELECT)
                .post("/api/v1/pools/main/query").then()
                .statusCode(401).body("type", equalTo("urn:poolgate:problem:malformed-credentials"));
    }

    @Test
    void anUnknownKeyIs401AndIsNotEchoed() {
        String guess = "pgk-GUESSED-KEY-0000";
        Response refused = as(guess).body(SELECT).post("/api/v1/pools/main/query");
        refused.then().statusCode(401).body("type", equalTo("urn:poolgate:problem:unknown-key"));
        org.junit.jupiter.api.Assertions.assertFalse(refused.asString().contains(guess), refused.asString());
    }

    @Test
    void healthAndTheApiDescriptionStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().header("Authorization", "Bearer not-looked-at").get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void theMetricsKeyClosesMetrics() {
        given().get("/q/metrics").then().statusCode(401);
        as(Keys.METRICS).get("/q/metrics").then().statusCode(200).body(containsString("poolgate_pool_connections"));
        as(Keys.ADMIN).get("/q/metrics").then().statusCode(200);
        as(Keys.READER).get("/q/metrics").then().statusCode(403).body("scope", equalTo("metrics"));
        // the metrics key is good for nothing else
        as(Keys.METRICS).body(SELECT).post("/api/v1/pools/main/query").then().statusCode(403);
    }

    @Test
    void readAndWriteKeysRunSql() {
        as(Keys.READER).body(SELECT).post("/api/v1/pools/main/query").then().statusCode(200).body("rows[0].one",
                equalTo(1));
        as(Keys.WRITER).body(SELECT).post("/api/v1/pools/main/query").then().statusCode(200);
    }

    @Test
    void aReadKeysWriteIsRefusedByPostgresWithA403NamingTheScope() {
        as(Keys.WRITER).body("{\"sql\": \"CREATE TABLE IF NOT EXISTS sec_write (n int)\"}")
                .post("/api/v1/pools/main/query").then().statusCode(200);
        as(Keys.WRITER).body("{\"sql\": \"TRUNCATE sec_write\"}").post("/api/v1/pools/main/query").then()
                .statusCode(200);
        as(Keys.READER).body("{\"sql\": \"INSERT INTO sec_write VALUES (1)\"}").post("/api/v1/pools/main/query")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:poolgate:problem:missing-scope"))
                .body("scope", equalTo("write"))
                .body("pool", equalTo("main"))
                .body("detail", containsString("scope 'read'"))
                .body("detail", containsString("25006"));
        as(Keys.WRITER).body("{\"sql\": \"SELECT count(*)::int AS n FROM sec_write\"}")
                .post("/api/v1/pools/main/query").then().body("rows[0].n", equalTo(0));
    }

    @Test
    void aReadScopesConnectionIsLentAgainOnlyAfterItsTransactionEndedAndItsStateWasReset() {
        // pool 'tiny' has one connection: the writer gets the one the reader used
        String reader = Keys.jwt("fn-tiny-reader", "read", List.of("tiny"), Keys.AUDIENCE, 300L);
        String readerStart = as(reader).body("{\"sql\": \"SELECT set_config('search_path', 'leaked', false) AS p, "
                + "now()::text AS started\"}").post("/api/v1/pools/tiny/query").then().statusCode(200)
                .extract().path("rows[0].started");
        as(Keys.WRITER).body("{\"sql\": \"SELECT now()::text AS started, current_setting('transaction_read_only') "
                + "AS ro, current_setting('search_path') AS path\"}")
                .post("/api/v1/pools/tiny/query").then().statusCode(200)
                .body("rows[0].started", not(equalTo(readerStart))) // another transaction
                .body("rows[0].ro", equalTo("off"))
                .body("rows[0].path", not(containsString("leaked")));
    }

    @Test
    void aKeyForOnePoolGets403OnAnother() {
        as(Keys.MAIN_ONLY).body("[\"GET\", \"k\"]").post("/api/v1/pools/cache/command").then()
                .statusCode(403)
                .body("type", equalTo("urn:poolgate:problem:missing-pool"))
                .body("pool", equalTo("cache"))
                .body("detail", containsString("key 'main-only' is not granted pool 'cache'"));
        as(Keys.MAIN_ONLY).get("/api/v1/pools/cache").then().statusCode(403).body("pool", equalTo("cache"));
        as(Keys.MAIN_ONLY).body(SELECT).post("/api/v1/pools/main/query").then().statusCode(200);
        as(Keys.READER).body(SELECT).post("/api/v1/pools/tiny/query").then().statusCode(403);
    }

    @Test
    void theOperatorApiNeedsTheAdminScope() {
        as(Keys.WRITER).get("/api/v1/pools").then().statusCode(403)
                .body("scope", equalTo("admin"))
                .body("detail", containsString("key 'writer' lacks scope 'admin'"));
        as(Keys.READER).post("/api/v1/pools/main/pause").then().statusCode(403);
        as(Keys.WRITER).get("/api/v1/pools/main/sessions").then().statusCode(403);
        as(Keys.ADMIN).get("/api/v1/pools").then().statusCode(200)
                .body("pools.name", org.hamcrest.Matchers.hasItems("main", "cache", "tiny"));
        as(Keys.ADMIN).get("/api/v1/pools/main/sessions").then().statusCode(200);
        // admin is the operator's: it runs no SQL
        as(Keys.ADMIN).body(SELECT).post("/api/v1/pools/main/query").then().statusCode(403)
                .body("scope", equalTo("read"));
    }

    @Test
    void theStatusPageAsksBrowsersForTheKeyAsABasicPassword() {
        given().get("/").then().statusCode(401).header("WWW-Authenticate", containsString("Basic realm=\"poolgate\""));
        given().auth().preemptive().basic("operator", Keys.ADMIN).get("/").then().statusCode(200)
                .contentType(containsString("text/html"));
        given().auth().preemptive().basic("operator", Keys.ADMIN).get("/api/v1/pools").then().statusCode(200);
        given().auth().preemptive().basic("operator", Keys.WRITER).get("/").then().statusCode(403);
        given().get("/status.js").then().statusCode(401);
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfter() {
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 10 && limited == 0; i++) {
            Response response = as(Keys.LIMITED).body(SELECT).post("/api/v1/pools/main/query");
            if (response.statusCode() == 429) {
                limited++;
                retryAfter = response.header("Retry-After");
                response.then().contentType("application/problem+json")
                        .body("type", equalTo("urn:poolgate:problem:rate-limited"))
                        .body("detail", containsString("key 'limited'"));
            } else {
                response.then().statusCode(200);
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(1, limited, "burst 3 at 1/s: 10 quick requests must hit the limit");
        org.junit.jupiter.api.Assertions.assertTrue(Integer.parseInt(retryAfter) >= 1, retryAfter);
    }

    @Test
    void aSessionLeaseIsUnknownToOtherKeys() {
        String id = as(Keys.WRITER).post("/api/v1/pools/main/sessions").then().statusCode(201).extract().path("id");
        try {
            as(Keys.OTHER_WRITER).get("/api/v1/sessions/{id}", id).then().statusCode(404)
                    .body("type", equalTo("urn:poolgate:problem:unknown-session"));
            as(Keys.OTHER_WRITER).body(SELECT).post("/api/v1/sessions/{id}/query", id).then().statusCode(404);
            as(Keys.OTHER_WRITER).delete("/api/v1/sessions/{id}", id).then().statusCode(404);
            as(Keys.WRITER).body(SELECT).post("/api/v1/sessions/{id}/query", id).then().statusCode(200);
        } finally {
            as(Keys.WRITER).delete("/api/v1/sessions/{id}", id).then().statusCode(204);
        }
        as(Keys.OTHER_WRITER).get("/api/v1/sessions/{id}", id).then().statusCode(404);
        as(Keys.WRITER).get("/api/v1/sessions/{id}", id).then().statusCode(410);
    }

    @Test
    void aSignedTokenGrantsItsScopeAndPools() {
        String token = Keys.jwt("fn-orders", "read", List.of("main"), Keys.AUDIENCE, 300L);
        as(token).body(SELECT).post("/api/v1/pools/main/query").then().statusCode(200);
        as(token).body("{\"sql\": \"CREATE TEMP TABLE t (n int)\"}").post("/api/v1/pools/main/query").then()
                .statusCode(403).body("scope", equalTo("write"));
        as(token).body("[\"GET\", \"k\"]").post("/api/v1/pools/cache/command").then().statusCode(403)
                .body("detail", containsString("token 'fn-orders' is not granted pool 'cache'"));
        String writer = Keys.jwt("fn-admin", "write admin", null, Keys.AUDIENCE, 300L);
        as(writer).body("[\"SET\", \"jwt-k\", \"v\"]").post("/api/v1/pools/cache/command").then().statusCode(200);
        as(writer).get("/api/v1/pools").then().statusCode(200);
    }

    @Test
    void aTokenThatIsExpiredForAnotherAudienceWithoutExpOrBadlySignedIs401() {
        as(Keys.jwt("fn", "read", null, Keys.AUDIENCE, -120L)).body(SELECT).post("/api/v1/pools/main/query").then()
                .statusCode(401).body("type", equalTo("urn:poolgate:problem:expired-token"));
        as(Keys.jwt("fn", "read", null, "someone-else", 300L)).body(SELECT).post("/api/v1/pools/main/query").then()
                .statusCode(401).body("type", equalTo("urn:poolgate:problem:wrong-audience"));
        as(Keys.jwt("fn", "read", null, Keys.AUDIENCE, null)).body(SELECT).post("/api/v1/pools/main/query").then()
                .statusCode(401).body("type", equalTo("urn:poolgate:problem:invalid-token"))
                .body("detail", containsString("exp"));
        String forged = Keys.sign("{\"sub\":\"x\",\"aud\":\"" + Keys.AUDIENCE + "\",\"iss\":\"" + Keys.ISSUER
                + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + ",\"scope\":\"write\"}",
                "a-different-secret-of-at-least-32-bytes!!");
        Response refused = as(forged).body(SELECT).post("/api/v1/pools/main/query");
        refused.then().statusCode(401).body("type", equalTo("urn:poolgate:problem:invalid-token"))
                .body(not(containsString(forged)));
    }

    @Test
    void aReadKeyMayOnlySendCommandsRedisFlagsReadonly() {
        as(Keys.WRITER).body("[\"SET\", \"sec-k\", \"v\"]").post("/api/v1/pools/cache/command").then().statusCode(200);
        as(Keys.READER).body("[\"GET\", \"sec-k\"]").post("/api/v1/pools/cache/command").then().statusCode(200)
                .body("result", equalTo("v"));
        as(Keys.READER).body("[\"SET\", \"sec-k\", \"w\"]").post("/api/v1/pools/cache/command").then()
                .statusCode(403).body("scope", equalTo("write")).body("detail", containsString("SET"));
        as(Keys.READER).body("[\"EVAL\", \"return redis.call('SET', KEYS[1], 'w')\", 1, \"sec-k\"]")
                .post("/api/v1/pools/cache/command").then().statusCode(403).body("detail", containsString("EVAL"));
        as(Keys.READER).body("[[\"GET\", \"sec-k\"], [\"DEL\", \"sec-k\"]]").post("/api/v1/pools/cache/pipeline").then()
                .statusCode(403).body("detail", containsString("DEL"));
        as(Keys.READER).body("[[\"GET\", \"sec-k\"], [\"FLUSHALL\"]]").post("/api/v1/pools/cache/pipeline?atomic=true")
                .then().statusCode(403);
        as(Keys.READER).body("[[\"GET\", \"sec-k\"], [\"STRLEN\", \"sec-k\"]]").post("/api/v1/pools/cache/pipeline")
                .then().statusCode(200).body("[1].result", equalTo(1));
        as(Keys.WRITER).body("[\"GET\", \"sec-k\"]").post("/api/v1/pools/cache/command").then().body("result",
                equalTo("v"));
    }

    @Test
    void aReadOnlyRedisLeaseRefusesWrites() {
        String id = as(Keys.READER).post("/api/v1/pools/cache/sessions").then().statusCode(201).extract().path("id");
        try {
            as(Keys.READER).body("[\"GET\", \"sec-lease\"]").post("/api/v1/sessions/{id}/command", id).then()
                    .statusCode(200);
            as(Keys.READER).body("[\"SET\", \"sec-lease\", \"x\"]").post("/api/v1/sessions/{id}/command", id).then()
                    .statusCode(403);
            as(Keys.READER).body("[\"MULTI\"]").post("/api/v1/sessions/{id}/command", id).then().statusCode(403);
        } finally {
            as(Keys.READER).delete("/api/v1/sessions/{id}", id).then().statusCode(204);
        }
        as(Keys.WRITER).body("[\"EXISTS\", \"sec-lease\"]").post("/api/v1/pools/cache/command").then()
                .body("result", equalTo(0));
    }
}
