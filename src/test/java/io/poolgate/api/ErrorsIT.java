package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ErrorsTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class ErrorsIT extends ErrorsTest {
}
