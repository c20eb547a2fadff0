package io.poolgate.security;

import static io.poolgate.security.Keys.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A burst of bad keys from one address is slowed down with 429s, even when the next key is right;
 * and a route family's own error shape (a {@link io.poolgate.api.WireFormat}) keeps the gate's statuses and headers.
 */
@QuarkusTest
@TestProfile(ThrottledProfile.class)
@WithTestResource(EmbeddedServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThrottlingTest {

    @Test
    @Order(1) // before the address is slowed down
    void refusalsUnderAnotherPrefixKeepStatusAndHeadersInTheirOwnShape() {
        given().get(ErrorShapeFormat.PREFIX + "anything").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/json")
                .body("error", containsString("needs credentials"));
        as(Keys.WRITER).get(ErrorShapeFormat.PREFIX + "anything").then().statusCode(403)
                .body("error", containsString("lacks scope 'admin'"));
    }

    @Test
    @Order(2)
    void aBurstOfBadKeysIsAnswered429AndSlowsTheAddressDown() {
        String sql = "{\"sql\": \"SELECT 1\"}";
        for (int i = 0; i < 3; i++) {
            as("pgk-BAD-" + i).body(sql).post("/api/v1/pools/main/query").then().statusCode(401);
        }
        as("pgk-BAD-4").body(sql).post("/api/v1/pools/main/query").then().statusCode(429)
                .header("Retry-After", equalTo("60"))
                .body("type", equalTo("urn:poolgate:problem:too-many-failed-authentications"));
        // while slowed down, credentials are not looked at: a right key waits too
        as(Keys.WRITER).body(sql).post("/api/v1/pools/main/query").then().statusCode(429);
        // requests without credentials, and health probes, are not slowed down
        given().get("/q/health/live").then().statusCode(200);
    }
}
