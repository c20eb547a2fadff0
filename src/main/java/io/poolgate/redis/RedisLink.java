package io.poolgate.redis;

import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * One pooled Redis connection with what resetting it takes (the node's AUTH and SELECT).
 *
 * @param connection the Vert.x connection
 * @param reset      the requests that bring it back to a fresh state
 */
public record RedisLink(RedisConnection connection, List<Request> reset) {
}
