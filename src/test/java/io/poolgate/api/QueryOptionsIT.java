package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link QueryOptionsTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class QueryOptionsIT extends QueryOptionsTest {
}
