package io.poolgate.observe;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link MetricsTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class MetricsIT extends MetricsTest {
}
