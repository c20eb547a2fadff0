package io.poolgate.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RoleLoginsTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class RoleLoginsIT extends RoleLoginsTest {
}
