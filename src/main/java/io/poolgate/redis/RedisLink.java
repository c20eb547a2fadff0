package io.poolgate.redis;

import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One pooled Redis connection with what resetting it takes (the node's AUTH and SELECT).
 *
 * @param connection the Vert.x connection
 * @param reset      the requests that bring it back to a fresh state
 * @param ended      completes when the connection's socket has closed
 * @param coalesced  whether the connection writes once per event-loop turn ({@link FlushCoalescing})
 */
public record RedisLink(RedisConnection connection, List<Request> reset, CompletableFuture<Void> ended,
        boolean coalesced) {
}
