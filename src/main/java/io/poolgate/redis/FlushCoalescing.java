package io.poolgate.redis;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.impl.PooledRedisConnection;
import io.vertx.redis.client.impl.RedisStandaloneConnection;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Makes a Redis connection write once per event-loop turn instead of once per command.
 *
 * <p>The Vert.x Redis client flushes its socket after every command it sends. A connection the
 * {@link Multiplexer} shares carries the commands of every request an event loop read in one turn,
 * so those flushes are as many {@code write} system calls (13% of the gateway's CPU samples in the
 * profile of issue 12). Netty's {@link FlushConsolidationHandler}, placed in front of the client's
 * handler, turns the flushes of one turn into one: outside a read of the connection it schedules a
 * single flush on the event loop, which runs once the loop has handled every socket it woke for;
 * during a read (replies arriving) it flushes when the read is complete; after 256 flushes it writes
 * at once. What hiredis does for Webdis, and node-redis per tick. Nothing changes for a connection
 * with one command at a time but when its bytes leave: later in the same loop turn.
 *
 * <p>The client keeps its socket private, so it is read reflectively (registered for native
 * images); if a client version changes that, connections work as before, uncoalesced, one warning
 * says so, and the status's {@code multiplexing.coalesced} stays below {@code connections}.
 */
@RegisterForReflection(targets = RedisStandaloneConnection.class, fields = true, methods = false)
final class FlushCoalescing {

    private static final Logger LOG = Logger.getLogger(FlushCoalescing.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** Name of the handler in the connection's pipeline. */
    static final String HANDLER = "poolgate-flush-coalescing";

    /** Flushes after which the handler writes without waiting for the end of the turn (Netty's default). */
    static final int MAX_FLUSHES_PER_WRITE = 256;

    private FlushCoalescing() {
    }

    /** Installs the handler on the connection's socket (once, at connect); returns whether it could. */
    static boolean install(RedisConnection connection) {
        try {
            RedisConnection actual = connection instanceof PooledRedisConnection pooled ? pooled.actual() : connection;
            if (!(actual instanceof RedisStandaloneConnection)) {
                return false;
            }
            Field field = RedisStandaloneConnection.class.getDeclaredField("netSocket");
            field.setAccessible(true);
            NetSocket socket = (NetSocket) field.get(actual);
            if (!(socket instanceof NetSocketInternal internal)) {
                return false;
            }
            ChannelHandlerContext context = internal.channelHandlerContext();
            ChannelPipeline pipeline = context.pipeline();
            pipeline.addBefore(context.name(), HANDLER, new FlushConsolidationHandler(MAX_FLUSHES_PER_WRITE, true));
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // LinkageError: a native image without the reflection registration
            if (WARNED.compareAndSet(false, true)) {
                LOG.warnf("Redis writes are not coalesced (one write per command; commands still work): "
                        + "the Redis client's socket could not be reached: %s", e.toString());
            }
            return false;
        }
    }
}
