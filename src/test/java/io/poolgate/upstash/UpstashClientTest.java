package io.poolgate.upstash;

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
 * {@code @upstash/redis} 1.39, unchanged, against the gateway's {@code /upstash/cache}
 * ({@code src/test/node/upstash.test.mjs}): replies of every type, JSON values, base64 on and off,
 * auto-pipelining on and off, pipelines, transactions, scripts, errors.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class UpstashClientTest {

    @TestFactory
    Stream<DynamicTest> theOfficialClientRunsUnchanged() {
        return NodeClients.tests("upstash.test.mjs", Map.of("POOLGATE_URL", RestAssured.baseURI + ":" + RestAssured.port));
    }
}
