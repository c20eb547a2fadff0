package io.poolgate.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The Upstash and Neon endpoints behind the same gate as the rest: refused credentials answer in
 * the format's own error shape, and a read key stays read-only there too (PostgreSQL refuses its
 * writes inside the gateway's read-only transactions; Redis commands must be flagged readonly).
 */
@QuarkusTest
@TestProfile(SecuredProfile.class)
@WithTestResource(EmbeddedServers.class)
class WireFormatsSecurityTest {

    static String connectionString(String key) {
        return "postgresql://app:" + key + "@main.poolgate.local/postgres";
    }

    @Test
    void upstashRefusalsAreUpstashErrors() {
        given().contentType("application/json").body("[\"GET\", \"k\"]").post("/upstash/cache").then()
                .statusCode(401).body("error", containsString("Authorization: Bearer"));
        given().header("Authorization", "Bearer " + Keys.MAIN_ONLY).contentType("application/json")
                .body("[\"GET\", \"k\"]").post("/upstash/cache").then().statusCode(403)
                .body("error", containsString("cache"));
    }

    @Test
    void aReadKeyReadsButCannotWriteThroughUpstash() {
        given().header("Authorization", "Bearer " + Keys.WRITER).contentType("application/json")
                .body("[\"SET\", \"wire-read\", \"v\"]").post("/upstash/cache").then().statusCode(200);
        given().header("Authorization", "Bearer " + Keys.READER).contentType("application/json")
                .body("[\"GET\", \"wire-read\"]").post("/upstash/cache").then().statusCode(200)
                .body("result", equalTo("v"));
        given().header("Authorization", "Bearer " + Keys.READER).contentType("application/json")
                .body("[\"SET\", \"wire-read\", \"changed\"]").post("/upstash/cache").then().statusCode(403)
                .body("error", containsString("scope 'read'"));
        given().header("Authorization", "Bearer " + Keys.READER).contentType("application/json")
                .body("[[\"GET\", \"wire-read\"], [\"DEL\", \"wire-read\"]]").post("/upstash/cache/pipeline").then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + Keys.WRITER).contentType("application/json")
                .body("[\"GET\", \"wire-read\"]").post("/upstash/cache").then().statusCode(200)
                .body("result", equalTo("v"));
    }

    @Test
    void aReadKeyReadsButCannotWriteThroughNeon() {
        given().header("Neon-Connection-String", connectionString(Keys.WRITER)).contentType("text/plain")
                .body("{\"query\": \"CREATE TABLE IF NOT EXISTS wire_read (id int)\", \"params\": []}").post("/sql")
                .then().statusCode(200);
        given().header("Neon-Connection-String", connectionString(Keys.READER)).contentType("text/plain")
                .body("{\"query\": \"SELECT count(*) AS n FROM wire_read\", \"params\": []}").post("/sql").then()
                .statusCode(200).body("rows[0].n", equalTo("0"));
        given().header("Neon-Connection-String", connectionString(Keys.READER)).contentType("text/plain")
                .body("{\"query\": \"INSERT INTO wire_read VALUES (1)\", \"params\": []}").post("/sql").then()
                .statusCode(403).body("message", containsString("scope 'read'"));
        // a transaction that COMMITs and then writes: the guard opens a new read-only transaction first
        given().header("Neon-Connection-String", connectionString(Keys.READER)).contentType("text/plain")
                .body("{\"queries\": [{\"query\": \"COMMIT\", \"params\": []}, "
                        + "{\"query\": \"INSERT INTO wire_read VALUES (2)\", \"params\": []}]}").post("/sql").then()
                .statusCode(403);
        given().header("Neon-Connection-String", connectionString(Keys.READER)).contentType("text/plain")
                .header("Neon-Batch-Read-Only", "false")
                .body("{\"queries\": [{\"query\": \"SET TRANSACTION READ WRITE\", \"params\": []}, "
                        + "{\"query\": \"INSERT INTO wire_read VALUES (3)\", \"params\": []}]}").post("/sql").then()
                .statusCode(403);
        given().header("Neon-Connection-String", connectionString(Keys.WRITER)).contentType("text/plain")
                .body("{\"query\": \"SELECT count(*) AS n FROM wire_read\", \"params\": []}").post("/sql").then()
                .statusCode(200).body("rows[0].n", equalTo("0")).body("rows[0].x", nullValue());
    }
}
