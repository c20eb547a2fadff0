package io.poolgate.pool;

import java.time.Duration;

/**
 * How long the pool waits on the backend for its own work on a connection. A frozen server (a host
 * stopped, not dead) accepts TCP connections and then answers nothing, so none of these waits may
 * be left to the server or the network.
 *
 * @param connect  opening a connection, its authentication and init SQL; past it the attempt is abandoned
 * @param validate the check of a connection idle for a while before it is lent
 * @param reset    the clean-up of a connection whose session state may have changed
 */
public record BackendTimeouts(Duration connect, Duration validate, Duration reset) {

    /** Generous bounds for tests and benchmarks that do not care. */
    public static final BackendTimeouts DEFAULT = new BackendTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(2),
            Duration.ofSeconds(5));
}
