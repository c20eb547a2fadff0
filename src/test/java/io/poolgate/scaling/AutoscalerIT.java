package io.poolgate.scaling;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link AutoscalerTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class AutoscalerIT extends AutoscalerTest {
}
