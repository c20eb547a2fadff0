package io.poolgate.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ReadScopeEscapesTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class ReadScopeEscapesIT extends ReadScopeEscapesTest {
}
