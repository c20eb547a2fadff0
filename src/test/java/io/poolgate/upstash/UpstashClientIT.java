package io.poolgate.upstash;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link UpstashClientTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class UpstashClientIT extends UpstashClientTest {
}
