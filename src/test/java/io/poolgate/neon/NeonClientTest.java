package io.poolgate.neon;

import io.poolgate.EmbeddedServers;
import io.poolgate.NodeClients;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code @neondatabase/serverless} 1.2 in HTTP mode, unchanged, against the gateway's {@code /sql},
 * each answer compared with what {@code pg} gets from the same PostgreSQL directly
 * ({@code src/test/node/neon.test.mjs}).
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class NeonClientTest {

    /** The time zone the test profile's pool 'zoned' sets on its connections. */
    static final String ZONED_TZ = "America/St_Johns";

    @TestFactory
    Stream<DynamicTest> theOfficialDriverRunsUnchanged() {
        return NodeClients.tests("neon.test.mjs", Map.of(
                "POOLGATE_URL", RestAssured.baseURI + ":" + RestAssured.port,
                "PG_URL", EmbeddedServers.urls().get("postgres"),
                "ZONED_TZ", ZONED_TZ));
    }
}
