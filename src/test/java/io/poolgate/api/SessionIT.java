package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SessionTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class SessionIT extends SessionTest {
}
