package io.poolgate.upstash;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link UpstashHttpTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class UpstashHttpIT extends UpstashHttpTest {
}
