package io.poolgate.redis;

import io.poolgate.pool.Connector;
import io.poolgate.topology.Node;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One Redis connection per pooled connection, speaking RESP2.
 *
 * <p>The Vert.x Redis client only hands out connections through its own slot table; poolgate sizes
 * that table above the pool's maximum so it never makes a borrower wait, and owns each connection's
 * lifetime: retiring one closes its socket ({@code forceClose}), it is never parked in the Vert.x
 * table. Reset is {@code RESET} (Redis 6.2+: leaves MULTI/WATCH, pub/sub and tracking, back to DB 0,
 * de-authenticates) followed by the URL's {@code AUTH} and {@code SELECT}.
 */
final class RedisConnector implements Connector<RedisLink> {

    private static final Logger LOG = Logger.getLogger(RedisConnector.class);

    private final Vertx vertx;
    private final String pool;
    private final int slots;
    private final Map<Node, Redis> clients = new ConcurrentHashMap<>();
    private final Map<Node, List<Request>> resets = new ConcurrentHashMap<>();

    RedisConnector(Vertx vertx, String pool, int maxSize) {
        this.vertx = vertx;
        this.pool = pool;
        this.slots = 2 * maxSize + 2; // room for connections still closing
    }

    @Override
    public CompletionStage<RedisLink> connect(Node node, Runnable onLost) {
        Redis client = clients.computeIfAbsent(node, n -> Redis.createClient(vertx, options(n.url(), slots)));
        return client.connect().map(connection -> {
            boolean coalesced = FlushCoalescing.install(connection);
            CompletableFuture<Void> ended = new CompletableFuture<>();
            connection.endHandler(ignored -> {
                ended.complete(null);
                onLost.run();
            });
            connection.exceptionHandler(error -> {
                LOG.debugf("pool '%s' node '%s' connection failed: %s", pool, node.name(), error.getMessage());
                onLost.run();
            });
            return new RedisLink(connection, resets.computeIfAbsent(node, RedisConnector::resetRequests), ended,
                    coalesced);
        }).toCompletionStage();
    }

    /**
     * {@code rediss://}: TLS, the server's certificate checked against the JVM's CAs and its name
     * against the host (Vert.x alone would not check the name).
     */
    static RedisOptions options(String url, int slots) {
        RedisOptions options = new RedisOptions()
                .setConnectionString(url)
                .setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolSize(slots)
                .setMaxPoolWaiting(slots);
        if (url.startsWith("rediss:")) {
            options.getNetClientOptions().setHostnameVerificationAlgorithm("HTTPS");
        }
        return options;
    }

    @Override
    public CompletionStage<Void> validate(RedisLink link) {
        return link.connection().send(Request.cmd(Command.PING)).<Void>mapEmpty().toCompletionStage();
    }

    @Override
    public CompletionStage<Void> reset(RedisLink link) {
        return link.connection().batch(link.reset()).<Void>mapEmpty().toCompletionStage();
    }

    @Override
    public CompletionStage<Void> closeQuietly(RedisLink link) {
        RedisConnection connection = link.connection();
        try {
            if (connection instanceof PooledRedisConnection pooled) {
                pooled.actual().forceClose(); // really close the socket, not just give the slot back
            } else {
                connection.close();
            }
        } catch (RuntimeException e) {
            LOG.debugf("pool '%s' closing a connection failed: %s", pool, e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        return link.ended();
    }

    /** Closes every node's client (its slot table); the pool has closed every socket before. */
    @Override
    public CompletionStage<Void> shutdown() {
        clients.values().forEach(Redis::close);
        clients.clear();
        return CompletableFuture.completedFuture(null);
    }

    /** RESET, then re-authenticate and re-select as the node's URL says. */
    static List<Request> resetRequests(Node node) {
        URI uri = URI.create(node.url());
        List<Request> requests = new ArrayList<>();
        requests.add(Request.cmd(Command.RESET));
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : userInfo.substring(0, colon);
            String password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
            requests.add(user.isEmpty() ? Request.cmd(Command.AUTH).arg(password)
                    : Request.cmd(Command.AUTH).arg(user).arg(password));
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1 && !path.equals("/0")) {
            requests.add(Request.cmd(Command.SELECT).arg(path.substring(1)));
        }
        return List.copyOf(requests);
    }
}
