package io.poolgate.neon;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link NeonClientTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class NeonClientIT extends NeonClientTest {
}
