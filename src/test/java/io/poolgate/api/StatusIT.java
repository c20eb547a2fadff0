package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link StatusTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class StatusIT extends StatusTest {
}
