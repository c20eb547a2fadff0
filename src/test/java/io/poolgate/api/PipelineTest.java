package io.poolgate.api;

import static io.poolgate.api.Gateway.command;
import static io.poolgate.api.Gateway.inUse;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** Redis pipelines (in order, not atomic) and MULTI/EXEC transactions, against a real Redis. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class PipelineTest {

    static ValidatableResponse pipeline(String query, String body) {
        return given().contentType("application/json").body(body).post("/api/v1/pools/cache/pipeline" + query).then();
    }

    @Test
    void runsCommandsInOrderWithOneResultOrErrorEach() {
        pipeline("", """
                [["DEL", "pipe:a", "pipe:s"], ["SET", "pipe:a", "1"], ["INCR", "pipe:a"], ["SET", "pipe:s", "x"],
                 ["INCR", "pipe:s"], ["GET", "pipe:a"], ["GET", "pipe:missing"]]
                """).statusCode(200)
                .body("", hasSize(7))
                .body("[2].result", equalTo(2))
                .body("[4].error", startsWith("ERR value is not an integer"))
                .body("[5].result", equalTo("2"))
                .body("[6].result", nullValue());
    }

    @Test
    void atomicWrapsTheCommandsInMultiExec() {
        pipeline("?atomic=true", "[[\"SET\", \"pipe:t\", \"5\"], [\"INCRBY\", \"pipe:t\", 3], [\"GET\", \"pipe:t\"]]")
                .statusCode(200)
                .body("result", contains("OK", 8, "8"));
    }

    @Test
    void aCommandRefusedWhileQueueingAbortsTheTransaction() {
        command("cache", "[\"SET\", \"pipe:abort\", \"before\"]").statusCode(200);
        pipeline("?atomic=true", "[[\"SET\", \"pipe:abort\", \"after\"], [\"NOSUCHCOMMAND\", \"x\"]]")
                .statusCode(422)
                .body("type", equalTo("urn:poolgate:problem:redis-transaction-aborted"))
                .body("detail", startsWith("transaction aborted, nothing was run: command 1 was refused"));
        command("cache", "[\"GET\", \"pipe:abort\"]").statusCode(200).body("result", equalTo("before"));
        assertEquals(0, inUse("cache"));
    }

    @Test
    void base64EncodingIsBinarySafe() {
        command("cache", "[\"SET\", \"pipe:bin\", \"héllo\"]").statusCode(200);
        given().contentType("application/json").header("Upstash-Encoding", "base64")
                .body("[\"GET\", \"pipe:bin\"]").post("/api/v1/pools/cache/command").then().statusCode(200)
                .body("result", equalTo("aMOpbGxv"));
        given().contentType("application/json").header("Upstash-Encoding", "base64")
                .body("[[\"GET\", \"pipe:bin\"], [\"STRLEN\", \"pipe:bin\"]]").post("/api/v1/pools/cache/pipeline")
                .then().statusCode(200)
                .body("[0].result", equalTo("aMOpbGxv"))
                .body("[1].result", equalTo(6));
    }
}
