package io.poolgate.observe;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link HealthTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class HealthIT extends HealthTest {
}
