package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link QueryTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class QueryIT extends QueryTest {
}
