package io.poolgate.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link WireFormatsSecurityTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class WireFormatsSecurityIT extends WireFormatsSecurityTest {
}
