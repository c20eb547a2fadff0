package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link BatchTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class BatchIT extends BatchTest {
}
