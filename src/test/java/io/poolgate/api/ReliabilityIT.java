package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ReliabilityTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class ReliabilityIT extends ReliabilityTest {
}
