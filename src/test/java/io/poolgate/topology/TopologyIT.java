package io.poolgate.topology;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link TopologyTest} against the packaged gateway (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class TopologyIT extends TopologyTest {
}
