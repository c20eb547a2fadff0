package io.poolgate.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link PipelineTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class PipelineIT extends PipelineTest {
}
