package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CommandTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class CommandIT extends CommandTest {
}
