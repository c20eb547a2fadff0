package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ReleaseTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class ReleaseIT extends ReleaseTest {
}
