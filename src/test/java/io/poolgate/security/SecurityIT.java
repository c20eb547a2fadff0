package io.poolgate.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SecurityTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class SecurityIT extends SecurityTest {
}
