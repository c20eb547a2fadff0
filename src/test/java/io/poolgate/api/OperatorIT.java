package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OperatorTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class OperatorIT extends OperatorTest {
}
