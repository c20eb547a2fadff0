package io.poolgate.api;

import static io.poolgate.api.Gateway.command;
import static io.poolgate.api.Gateway.inUse;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.restassured.RestAssured.given;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Redis over HTTP against a real Redis. */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class CommandTest {

    @Test
    void setsAndGetsAString() {
        command("cache", "[\"SET\", \"command-test:k\", \"v\"]").statusCode(200).body("result", equalTo("OK"));
        command("cache", "[\"GET\", \"command-test:k\"]").statusCode(200).body("result", equalTo("v"));
    }

    @Test
    void integersArraysAndNilBecomeJson() {
        command("cache", "[\"DEL\", \"command-test:n\", \"command-test:list\"]").statusCode(200);
        command("cache", "[\"INCRBY\", \"command-test:n\", 5]").statusCode(200).body("result", equalTo(5));
        command("cache", "[\"RPUSH\", \"command-test:list\", \"a\", \"b\"]").statusCode(200).body("result", equalTo(2));
        command("cache", "[\"LRANGE\", \"command-test:list\", 0, -1]").statusCode(200)
                .body("result", contains("a", "b"));
        command("cache", "[\"GET\", \"command-test:missing\"]").statusCode(200).body("result", nullValue());
    }

    @Test
    void aRedisErrorIsUnprocessable() {
        command("cache", "[\"SET\", \"command-test:str\", \"x\"]").statusCode(200);
        command("cache", "[\"LPUSH\", \"command-test:str\", \"y\"]").statusCode(422)
                .body("type", equalTo("urn:poolgate:problem:redis-error"))
                .body("redisError", equalTo("WRONGTYPE"));
        assertEquals(0, inUse("cache"));
    }

    @Test
    void selectingAnotherDatabaseDoesNotLeakToTheNextRequest() {
        command("cache", "[\"SET\", \"command-test:db\", \"zero\"]").statusCode(200);
        for (int i = 0; i < 10; i++) {
            command("cache", "[\"SELECT\", 1]").statusCode(200);
            command("cache", "[\"GET\", \"command-test:db\"]").statusCode(200).body("result", equalTo("zero"));
        }
    }

    @Test
    void badCommandsAreBadRequests() {
        command("cache", "[]").statusCode(400).body("detail", startsWith("a Redis command is a non-empty JSON array"));
        command("cache", "{\"cmd\": \"GET\"}").statusCode(400);
        command("cache", "[\"GET\", {\"a\": 1}]").statusCode(400)
                .body("detail", equalTo("command element 1 must be a string or number, got object"));
        command("cache", "[\"SUBSCRIBE\", \"ch\"]").statusCode(400)
                .body("detail", equalTo("command SUBSCRIBE is not allowed: it would take over the connection"));
        command("cache", "[\"MULTI\"]").statusCode(400).body("detail", startsWith("command MULTI spans several"));
        command("main", "[\"GET\", \"k\"]").statusCode(400)
                .body("detail", equalTo("pool 'main' is a postgres pool; this endpoint needs a redis pool"));
    }

    @Test
    void theWrongNumberOfArgumentsIsABadRequestNamingTheCommand() {
        // the Redis client refuses these before sending; the answer is Redis's own error, never a 500
        command("cache", "[\"GET\"]").statusCode(400).body("type", equalTo("urn:poolgate:problem:bad-command"))
                .body("detail", equalTo("ERR wrong number of arguments for 'get' command"));
        command("cache", "[\"SET\", \"a\"]").statusCode(400)
                .body("detail", equalTo("ERR wrong number of arguments for 'set' command"));
        command("cache", "[\"HSET\", \"h\"]").statusCode(400)
                .body("detail", equalTo("ERR wrong number of arguments for 'hset' command"));
        // in a pipeline, like any Redis error, it is that command's entry
        given().contentType("application/json").body("[[\"SET\", \"arity\", \"v\"], [\"GET\"]]")
                .post("/api/v1/pools/cache/pipeline").then().statusCode(200)
                .body("[0].result", equalTo("OK"))
                .body("[1].error", equalTo("ERR wrong number of arguments for 'get' command"));
        assertEquals(0, inUse("cache"));
    }
}
