package io.poolgate.neon;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link NeonHttpTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class NeonHttpIT extends NeonHttpTest {
}
