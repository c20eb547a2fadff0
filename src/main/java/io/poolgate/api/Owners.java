package io.poolgate.api;

import io.poolgate.pool.Owner;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicLong;

/** Who is asking: the client's address and the request's id ({@code X-Request-Id}, or one made up). */
public final class Owners {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private Owners() {
    }

    public static Owner of(HttpServerRequest request) {
        String id = request.getHeader("X-Request-Id");
        if (id == null || id.isBlank() || id.length() > 128) {
            id = "r-" + SEQUENCE.incrementAndGet();
        }
        var address = request.remoteAddress();
        return new Owner(address == null ? "unknown" : address.hostAddress(), id);
    }
}
