package io.poolgate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.pool.FakeConnector;
import io.poolgate.pool.FakeConnector.Conn;
import io.poolgate.pool.ManualClock;
import io.poolgate.pool.PoolUnavailableException;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Node;
import io.poolgate.topology.TestClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The multiplexer on fake connections, with commands the test answers by hand: how many share a
 * connection, when another opens, when a connection goes back, and how its failures are told apart.
 */
class MultiplexerTest {

    static final Node NODE = new Node("main", "fake://redis-1", Node.Role.PRIMARY, 1);

    /** A connection failure as the client reports it (the test's "breaks" predicate). */
    static final class Broken extends RuntimeException {
        Broken(String message) {
            super(message);
        }
    }

    final ManualClock clock = new ManualClock();
    final FakeConnector connector = FakeConnector.automatic();
    final Cluster<Conn> cluster = TestClusters.of(connector, clock, 1, 10, NODE);
    final Multiplexer<Conn> mux = multiplexer(Duration.ofSeconds(2), Duration.ofSeconds(30));
    /** The connection each command ran on, in order. */
    final List<Conn> ranOn = new ArrayList<>();

    Multiplexer<Conn> multiplexer(Duration timeout, Duration maxHold) {
        return new Multiplexer<>(cluster, clock, () -> true, error -> error instanceof Broken, timeout, maxHold);
    }

    /** Sends a command whose reply the test gives with {@code reply}; null when it may not share. */
    CompletableFuture<String> send(Multiplexer<Conn> on, CompletableFuture<String> reply) {
        return on.run(lease -> {
            ranOn.add(lease.connection());
            return reply;
        });
    }

    int inUse() {
        return cluster.snapshot().inUse();
    }

    static Throwable failure(CompletableFuture<?> result) {
        assertTrue(result.isCompletedExceptionally(), "failed");
        CompletionException e = assertThrows(CompletionException.class, result::join);
        return e.getCause();
    }

    @Test
    void concurrentCommandsShareOneConnectionUntilItIsFullThenTheNextLaneOpens() {
        List<CompletableFuture<String>> replies = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < Multiplexer.MAX_IN_FLIGHT; i++) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            replies.add(reply);
            results.add(send(mux, reply));
        }
        assertEquals(1, new HashSet<>(ranOn).size(), "1,024 commands in flight on one connection");
        assertEquals(1, inUse());
        assertEquals(1, cluster.snapshot().counters().acquired());

        CompletableFuture<String> next = new CompletableFuture<>();
        results.add(send(mux, next));
        replies.add(next);
        assertNotSame(ranOn.get(0), ranOn.get(ranOn.size() - 1), "the 1,025th goes to the second lane");
        assertEquals(2, inUse());

        for (int i = Multiplexer.MAX_IN_FLIGHT + 1; i < Multiplexer.MAX_LANES * Multiplexer.MAX_IN_FLIGHT; i++) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            replies.add(reply);
            results.add(send(mux, reply));
        }
        assertEquals(Multiplexer.MAX_LANES, new HashSet<>(ranOn).size());
        assertNull(send(mux, new CompletableFuture<>()), "every lane full: the command takes a connection of its own");
        assertEquals(1, mux.overflowed());
        assertEquals(Multiplexer.MAX_LANES * Multiplexer.MAX_IN_FLIGHT, mux.inFlight());
        assertEquals(Multiplexer.MAX_LANES, mux.connections());

        for (int i = 0; i < replies.size(); i++) {
            replies.get(i).complete("v" + i);
        }
        for (int i = 0; i < results.size(); i++) {
            assertEquals("v" + i, results.get(i).join());
        }
        assertEquals(0, mux.inFlight());
        assertEquals(Multiplexer.MAX_LANES * Multiplexer.MAX_IN_FLIGHT, mux.commands());
    }

    @Test
    void anErrorReplyIsTheCommandsAnswerAndTheConnectionStaysShared() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        CompletableFuture<String> result = send(mux, reply);
        RuntimeException wrongType = new RuntimeException("WRONGTYPE Operation against a key holding the wrong kind");
        reply.completeExceptionally(wrongType);
        assertSame(wrongType, failure(result));
        send(mux, CompletableFuture.completedFuture("ok"));
        assertSame(ranOn.get(0), ranOn.get(1), "the same connection");
        assertEquals(0, cluster.snapshot().counters().releasedBroken());
    }

    @Test
    void aConnectionThatBreaksIsReplacedAndEveryCommandOnItFailsAsLost() {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        CompletableFuture<String> a = send(mux, first);
        CompletableFuture<String> b = send(mux, second);
        first.completeExceptionally(new Broken("Connection is closed"));
        Multiplexer.Failure lost = assertInstanceOf(Multiplexer.Failure.class, failure(a));
        assertFalse(lost.timedOut());
        assertEquals("main", lost.node());
        assertEquals(1, cluster.snapshot().counters().releasedBroken(), "closed at once, not when the rest answer");

        CompletableFuture<String> c = send(mux, CompletableFuture.completedFuture("fresh"));
        assertNotSame(ranOn.get(0), ranOn.get(2), "the next command gets another connection");
        assertEquals("fresh", c.join());

        second.completeExceptionally(new Broken("Connection is closed"));
        assertFalse(assertInstanceOf(Multiplexer.Failure.class, failure(b)).timedOut());
        assertEquals(1, cluster.snapshot().counters().releasedBroken(), "released once");
        assertEquals(1, inUse(), "only the new shared connection is lent");
    }

    @Test
    void aCommandPastTheTimeoutClosesItsConnectionAndEveryCommandOnItFailsAsTimedOut() {
        CompletableFuture<String> stuck = new CompletableFuture<>();
        CompletableFuture<String> behind = new CompletableFuture<>();
        CompletableFuture<String> a = send(mux, stuck);
        CompletableFuture<String> b = send(mux, behind);
        clock.advance(Duration.ofSeconds(1));
        mux.maintain(clock.nanoTime()); // within the 2 s
        assertEquals(0, cluster.snapshot().counters().releasedBroken());
        clock.advance(Duration.ofSeconds(2)); // 3 s in: past the 2 s
        mux.maintain(clock.nanoTime());
        assertEquals(1, cluster.snapshot().counters().releasedBroken(), "closed: the server is silent");
        assertEquals(0, inUse());
        // the client fails what was pending on the closed socket
        stuck.completeExceptionally(new Broken("CONNECTION_CLOSED"));
        behind.completeExceptionally(new Broken("CONNECTION_CLOSED"));
        assertTrue(assertInstanceOf(Multiplexer.Failure.class, failure(a)).timedOut());
        assertTrue(assertInstanceOf(Multiplexer.Failure.class, failure(b)).timedOut());
        assertEquals("ok", send(mux, CompletableFuture.completedFuture("ok")).join());
        assertNotSame(ranOn.get(0), ranOn.get(2));
    }

    @Test
    void anIdleConnectionGoesBack() {
        send(mux, CompletableFuture.completedFuture("v")).join();
        assertEquals(1, inUse());
        mux.maintain(clock.nanoTime());
        assertEquals(1, inUse(), "used just now");
        clock.advance(Duration.ofSeconds(2));
        mux.maintain(clock.nanoTime());
        assertEquals(0, inUse());
        assertEquals(0, mux.connections());
        assertEquals(0, cluster.snapshot().counters().releasedBroken(), "given back clean");
    }

    @Test
    void aConnectionHeldLongEnoughGoesBackOnceItsCommandsHaveAnswered() {
        Multiplexer<Conn> rotating = multiplexer(Duration.ofSeconds(60), Duration.ofSeconds(30));
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> result = send(rotating, slow);
        clock.advance(Duration.ofSeconds(31));
        rotating.maintain(clock.nanoTime());
        assertEquals(1, inUse(), "still answering");
        send(rotating, CompletableFuture.completedFuture("new"));
        assertNotSame(ranOn.get(0), ranOn.get(1), "new commands go to another connection");
        assertEquals(2, inUse());
        slow.complete("late");
        assertEquals("late", result.join());
        assertEquals(1, inUse(), "the old one went back with its last answer");
        assertEquals(1, rotating.connections());
    }

    @Test
    void aNodeThatStopsTakingTrafficGetsItsConnectionBackAndNewCommandsAreRefused() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        CompletableFuture<String> result = send(mux, reply);
        cluster.member("main").drain(true);
        assertThrows(PoolUnavailableException.class, () -> send(mux, new CompletableFuture<>()));
        mux.maintain(clock.nanoTime());
        reply.complete("v");
        assertEquals("v", result.join());
        assertEquals(0, inUse());
    }

    @Test
    void closingStopsSharingAndGivesConnectionsBackOnceAnswered() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        CompletableFuture<String> result = send(mux, reply);
        mux.close();
        assertNull(send(mux, new CompletableFuture<>()), "no sharing after close");
        assertEquals(1, inUse());
        reply.complete("v");
        assertEquals("v", result.join());
        assertEquals(0, inUse());
    }

    @Test
    void onlyTheCallersThatMayShareDo() {
        Multiplexer<Conn> workerThread = new Multiplexer<>(cluster, clock, () -> false, error -> false,
                Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertNull(send(workerThread, new CompletableFuture<>()));
        assertEquals(0, inUse());
    }

    @Test
    void blockingAndStateChangingCommandsAreNotShareable() {
        Set<String> exclusive = Set.of("BLPOP", "brpop", "BLMOVE", "bzpopmin", "XREAD", "WAIT", "EVAL", "FCALL",
                "SELECT", "CLIENT", "AUTH", "HELLO", "MULTI", "WATCH", "SUBSCRIBE", "SCRIPT");
        exclusive.forEach(name -> assertFalse(Multiplexer.shareable(name), name));
        Set.of("GET", "set", "INCR", "HGETALL", "MGET", "PING", "EXPIRE", "ZADD", "XADD", "PUBLISH")
                .forEach(name -> assertTrue(Multiplexer.shareable(name), name));
    }
}
