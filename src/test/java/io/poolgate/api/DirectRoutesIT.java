package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link DirectRoutesTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class DirectRoutesIT extends DirectRoutesTest {
}
