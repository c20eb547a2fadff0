package io.poolgate.redis;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link MultiplexingTest} against the packaged gateway (the native binary when built with -Dnative):
 * also shows that the Redis client's socket is reached there (registered for reflection), so shared
 * connections coalesce their writes in the native binary too.
 */
@QuarkusIntegrationTest
class MultiplexingIT extends MultiplexingTest {
}
