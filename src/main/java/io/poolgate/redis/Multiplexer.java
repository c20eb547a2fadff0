package io.poolgate.redis;

import io.poolgate.pool.Lease;
import io.poolgate.pool.Outcome;
import io.poolgate.pool.Owner;
import io.poolgate.pool.Ticker;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Member;
import io.poolgate.topology.Route;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Many requests' stateless commands on few connections, the way Webdis, node-redis and Lettuce
 * work: per event loop and node, one connection lent by the node's engine to the multiplexer, on
 * which concurrent commands are pipelined: each is sent without waiting for the replies before it,
 * and Redis answers in order (another connection opens, up to {@link #MAX_LANES}, while one has
 * {@link #MAX_IN_FLIGHT} commands in flight). What changes the connection's state or blocks it
 * (transactions, blocking pops, pub/sub, SELECT, CLIENT, scripts that may block...) is not
 * {@link #shareable} and keeps a connection of its own, lent for its request as before.
 *
 * <p>The pool's accounting stays true: a shared connection is lent (owner {@code multiplexer}) for
 * as long as it is shared, so it counts as in use, within the pool's size and its node's breaker.
 * It is given back when no command has used it for {@link #IDLE_NANOS}, after it has been held for
 * {@code maxHold} (below the leak threshold, and so connections keep rotating), when its node stops
 * taking traffic, and at shutdown, each time once the commands on it have answered. A command that
 * has waited for its reply longer than the command timeout closes the connection: every command
 * still on it fails ({@link Failure#timedOut()}), and the next ones get a fresh connection. A
 * connection that breaks is closed and replaced the same way ({@link Failure}, not timed out).
 */
public final class Multiplexer<C> {

    /** Commands in flight on one shared connection; beyond it, the next lane's connection takes them. */
    public static final int MAX_IN_FLIGHT = 1024;
    /**
     * Shared connections per event loop and node, opened one after the other as each fills up; a
     * command that finds them all full takes a connection of its own.
     */
    public static final int MAX_LANES = 4;
    /** A shared connection unused for this long goes back to the pool. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final Owner OWNER = new Owner("multiplexer", "commands of concurrent requests");

    /**
     * Commands that block the connection, change its state, or only make sense across commands:
     * never shared. {@link RedisCommands} refuses some of them anyway (pub/sub, MONITOR, RESET...).
     */
    private static final Set<String> EXCLUSIVE = Set.of(
            // blocking
            "blpop", "brpop", "brpoplpush", "blmove", "blmpop", "bzpopmin", "bzpopmax", "bzmpop", "xread",
            "xreadgroup", "wait", "waitaof",
            // scripts and functions may run long, and a blocked script blocks whatever follows it
            "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro",
            // connection state, transactions, replies out of request/reply order
            "select", "client", "auth", "hello", "readonly", "readwrite", "swapdb", "multi", "exec", "discard",
            "watch", "unwatch", "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe",
            "sunsubscribe", "monitor", "quit", "reset", "sync", "psync", "replconf", "debug", "shutdown",
            "failover", "asking", "object", "script");

    /**
     * Why a shared command failed with its connection: the node's name, whether the command timed
     * out (else the connection broke), and the driver's error as the cause.
     */
    public static final class Failure extends RuntimeException {
        private final String node;
        private final boolean timedOut;

        Failure(String node, boolean timedOut, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.node = node;
            this.timedOut = timedOut;
        }

        public String node() {
            return node;
        }

        public boolean timedOut() {
            return timedOut;
        }
    }

    /**
     * A shared connection's place: event loop, node, lane. Looked up on every shared command, so its
     * {@code equals} and {@code hashCode} are written out: a record's generated ones go through
     * {@code ObjectMethods} method handles, which a native image interprets at run time (LambdaForm
     * interpreter, a reflective field lookup per component): 128 against 89 µs of CPU per Redis GET
     * on the native binary, side by side in bench/profile.sh (bench/README, issue 12).
     */
    private record Key(Thread loop, int node, int lane) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.loop == loop && key.node == node && key.lane == lane;
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(loop) * 31 + node) * 31 + lane;
        }
    }

    private final Cluster<C> cluster;
    private final Ticker ticker;
    private final BooleanSupplier sharing;
    private final Predicate<Throwable> breaks;
    private final long timeoutNanos;
    private final long maxHoldNanos;
    private final Map<Key, Shared> links = new ConcurrentHashMap<>();
    /** Connections no longer shared whose last commands have not answered yet. */
    private final Set<Shared> retiring = ConcurrentHashMap.newKeySet();
    private final LongAdder commands = new LongAdder();
    private final LongAdder overflowed = new LongAdder();
    private volatile boolean closed;

    /**
     * @param sharing        whether the calling thread may share (an event loop: the shared connections
     *                       are per thread, and worker threads are many)
     * @param breaks         whether a command's failure means its connection broke (else it is an answer)
     * @param commandTimeout how long a command may wait for its reply before its connection is closed
     * @param maxHold        how long one connection is shared before it is given back and another taken
     */
    public Multiplexer(Cluster<C> cluster, Ticker ticker, BooleanSupplier sharing, Predicate<Throwable> breaks,
            java.time.Duration commandTimeout, java.time.Duration maxHold) {
        this.cluster = cluster;
        this.ticker = ticker;
        this.sharing = sharing;
        this.breaks = breaks;
        this.timeoutNanos = commandTimeout.toNanos();
        this.maxHoldNanos = maxHold.toNanos();
    }

    /** The pool whose connections are shared. */
    public String pool() {
        return cluster.name();
    }

    /** Whether the command {@code name} (any case) may share a connection with other requests' commands. */
    public static boolean shareable(String name) {
        return !EXCLUSIVE.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Runs {@code work} (one stateless command) on a shared connection of a node the balancer picks,
     * or returns null when this call cannot share (not an event loop, multiplexer closed, or every
     * lane full): the caller lends a connection of its own. Fails like an
     * acquisition when no node can take it, with a {@link Failure} when the connection broke or timed
     * out, and otherwise with what the command answered.
     */
    public <R> CompletableFuture<R> run(Function<Lease<C>, CompletionStage<R>> work) {
        if (closed || !sharing.getAsBoolean()) {
            return null;
        }
        Member<C> member = cluster.choose(Route.WRITE);
        Thread loop = Thread.currentThread();
        for (int lane = 0; lane < MAX_LANES; lane++) {
            Key key = new Key(loop, member.index(), lane);
            for (int attempt = 0; attempt < 3; attempt++) {
                Shared shared = links.computeIfAbsent(key, k -> new Shared(k, member));
                Entry entry = shared.enter();
                if (entry == Entry.ENTERED) {
                    commands.increment();
                    return shared.run(work);
                }
                if (entry == Entry.FULL) {
                    break; // the next lane
                }
                links.remove(key, shared); // retired: a fresh one in its place
            }
        }
        overflowed.increment();
        return null;
    }

    /** Commands run on shared connections. */
    public long commands() {
        return commands.sum();
    }

    /** Commands that found every lane full and took a connection of their own. */
    public long overflowed() {
        return overflowed.sum();
    }

    /** Connections lent to the multiplexer now. */
    public int connections() {
        return connectionsWhere(connection -> true);
    }

    /** Shared connections held now whose connection satisfies {@code test}. */
    public int connectionsWhere(Predicate<C> test) {
        int n = 0;
        for (Shared shared : links.values()) {
            n += shared.holdingWhere(test) ? 1 : 0;
        }
        for (Shared shared : retiring) {
            n += shared.holdingWhere(test) ? 1 : 0;
        }
        return n;
    }

    /** Commands sent and not yet answered, on every shared connection. */
    public int inFlight() {
        int n = 0;
        for (Shared shared : links.values()) {
            n += shared.inFlight();
        }
        for (Shared shared : retiring) {
            n += shared.inFlight();
        }
        return n;
    }

    /**
     * Housekeeping, on a timer: closes a connection whose oldest command is overdue, gives back the
     * idle ones, those held for long enough and those of nodes that stopped taking traffic.
     */
    public void maintain(long now) {
        for (Map.Entry<Key, Shared> entry : links.entrySet()) {
            Shared shared = entry.getValue();
            if (shared.maintain(now)) {
                links.remove(entry.getKey(), shared);
                retiring.add(shared); // its commands still in flight keep their bound
            }
        }
        retiring.removeIf(shared -> {
            shared.maintain(now);
            return shared.done();
        });
    }

    /** No more sharing: each connection goes back once its commands have answered. */
    public void close() {
        closed = true;
        for (Shared shared : links.values()) {
            shared.retire();
            retiring.add(shared);
        }
        links.clear();
    }

    private enum Entry {
        ENTERED, FULL, RETIRED
    }

    /** One connection shared by the commands of one event loop for one node. */
    private final class Shared {
        final Key key;
        final Member<C> member;
        final CompletableFuture<Lease<C>> lease;
        final long since = ticker.nanoTime();
        // guarded by this
        final ArrayDeque<long[]> sent = new ArrayDeque<>();
        int inFlight;
        long lastUsed = since;
        boolean retired;
        boolean timedOut;
        boolean released;

        Shared(Key key, Member<C> member) {
            this.key = key;
            this.member = member;
            this.lease = member.engine().acquire(OWNER).toCompletableFuture();
            lease.whenComplete((acquired, error) -> {
                if (error != null) {
                    retire(); // the next command tries again; maintain() forgets this one
                } else {
                    acquired.describe("commands of concurrent requests, pipelined");
                }
            });
        }

        /** The lent connection, or null while acquiring and when the acquisition failed. */
        Lease<C> acquired() {
            return lease.isDone() && !lease.isCompletedExceptionally() ? lease.join() : null;
        }

        synchronized Entry enter() {
            if (retired) {
                return Entry.RETIRED;
            }
            if (inFlight >= MAX_IN_FLIGHT) {
                return Entry.FULL;
            }
            inFlight++;
            lastUsed = ticker.nanoTime();
            return Entry.ENTERED;
        }

        synchronized boolean holdingWhere(Predicate<C> test) {
            Lease<C> held = acquired();
            return held != null && !released && test.test(held.connection());
        }

        synchronized int inFlight() {
            return inFlight;
        }

        /** Given back, or never lent. */
        synchronized boolean done() {
            return released || lease.isCompletedExceptionally();
        }

        <R> CompletableFuture<R> run(Function<Lease<C>, CompletionStage<R>> work) {
            CompletableFuture<R> result = new CompletableFuture<>();
            lease.whenComplete((acquired, error) -> {
                if (error != null) {
                    exit(null, null, false);
                    result.completeExceptionally(unwrap(error));
                    return;
                }
                long[] mark = { ticker.nanoTime() };
                synchronized (this) {
                    sent.addLast(mark);
                }
                CompletionStage<R> running;
                try {
                    running = work.apply(acquired);
                } catch (RuntimeException e) {
                    running = CompletableFuture.failedFuture(e);
                }
                running.whenComplete((reply, failure) -> {
                    Throwable cause = failure == null ? null : unwrap(failure);
                    boolean broken = cause != null && breaks.test(cause);
                    boolean expired = exit(acquired, mark, broken);
                    if (cause == null) {
                        acquired.recordRequest(ticker.nanoTime() - mark[0], false);
                        result.complete(reply);
                    } else if (broken || expired) {
                        result.completeExceptionally(new Failure(member.name(), expired, cause));
                    } else {
                        acquired.recordRequest(ticker.nanoTime() - mark[0], true);
                        result.completeExceptionally(cause);
                    }
                });
            });
            return result;
        }

        /**
         * One command is done; gives the connection back when it was the last of a retired one, at
         * once when it broke. Answers whether the connection had timed out.
         */
        private boolean exit(Lease<C> acquired, long[] mark, boolean broken) {
            Outcome release = null;
            boolean expired;
            synchronized (this) {
                inFlight--;
                if (mark != null) {
                    sent.remove(mark);
                }
                expired = timedOut;
                retired |= broken;
                if (acquired != null && !released && (broken || (retired && inFlight == 0))) {
                    released = true;
                    release = broken || timedOut ? Outcome.BROKEN : Outcome.CLEAN;
                }
            }
            if (broken) {
                links.remove(key, this);
            }
            if (release != null) {
                acquired.release(release);
            }
            return expired;
        }

        /** No new commands; the connection goes back once those on it have answered. */
        void retire() {
            Lease<C> acquired = acquired();
            synchronized (this) {
                retired = true;
                if (acquired == null || released || inFlight > 0) {
                    return;
                }
                released = true;
            }
            acquired.release(Outcome.CLEAN);
        }

        /** Answers whether this connection is no longer shared. */
        boolean maintain(long now) {
            if (!lease.isDone()) {
                return false;
            }
            Lease<C> acquired = acquired();
            boolean close = false;
            synchronized (this) {
                if (acquired == null) {
                    return true;
                }
                long[] oldest = sent.peekFirst();
                if (oldest != null && now - oldest[0] > timeoutNanos && !released) {
                    timedOut = true;
                    retired = true;
                    released = true;
                    close = true;
                } else if (inFlight == 0 && now - lastUsed > IDLE_NANOS) {
                    retired = true;
                } else if (now - since > maxHoldNanos || !member.available() || closed) {
                    retired = true;
                }
            }
            if (close) {
                acquired.release(Outcome.BROKEN); // closes the socket: every command on it fails
                return true;
            }
            if (retired) {
                retire();
                return true;
            }
            return false;
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
