package io.poolgate.neon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** Neon's wire format over plain HTTP: the shapes the driver reads, and the refusals. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class NeonHttpTest {

    static final String CONNECTION = "postgresql://app:any-key@main.poolgate.local/postgres";

    static ValidatableResponse sql(String body) {
        return given().header("Neon-Connection-String", CONNECTION).header("Neon-Raw-Text-Output", "true")
                .header("Neon-Array-Mode", "true").contentType("text/plain;charset=UTF-8").body(body)
                .post("/sql").then();
    }

    @Test
    void answersOneStatementInPostgresText() {
        sql("{\"query\": \"SELECT $1::int + 1 AS n, true AS t, NULL::text AS nothing\", \"params\": [\"41\"]}")
                .log().ifValidationFails()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "*")
                .body("rows[0]", contains("42", "t", null))
                .body("fields[0].name", equalTo("n"))
                .body("fields[0].dataTypeID", equalTo(23))
                .body("command", equalTo("SELECT"))
                .body("rowCount", equalTo(1))
                .body("rowAsArray", equalTo(true));
    }

    @Test
    void answersAnErrorWithEveryField() {
        sql("{\"query\": \"SELECT * FROM neon_http_nope\"}").log().ifValidationFails()
                .statusCode(400)
                .body("message", equalTo("relation \"neon_http_nope\" does not exist"))
                .body("code", equalTo("42P01"))
                .body("position", equalTo("15"))
                .body("hint", nullValue());
    }
}
