package io.poolgate.topology;

import io.poolgate.pool.Connector;
import io.poolgate.pool.Scheduler;
import io.poolgate.pool.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Probes one node with {@code SELECT 1} / {@code PING} on a connection of its own (outside the
 * pool, so a full or broken pool cannot hide a healthy node or the reverse) and tells the node's
 * {@link Member}. A probe that fails, does not answer within the timeout, or answers slower than
 * {@code max-latency} counts as failed; one that fails drops the connection, and the next probe
 * opens a new one. A connection that is lost or dropped is forgotten only if it is still the probe's
 * own: a late connect closed by an earlier probe that timed out reports its loss after the next one
 * has opened, and must not make the probe forget (and so leak) the connection it now has.
 */
public final class NodeProbe<C> {

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final Node node;
    private final Connector<C> connector;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final Duration timeout;
    private final Duration maxLatency;
    private final Member<?> member;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicReference<C> connection = new AtomicReference<>();
    private volatile boolean closed;
    /** The latest connect: completes once it failed, was adopted, or what it opened was closed. */
    private volatile CompletableFuture<Void> connecting = DONE.toCompletableFuture();
    private volatile long lastStarted = Long.MIN_VALUE;

    public NodeProbe(Connector<C> connector, Scheduler scheduler, Ticker ticker, Duration timeout, Duration maxLatency,
            Member<?> member) {
        this.node = member.node();
        this.connector = connector;
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.timeout = timeout;
        this.maxLatency = maxLatency;
        this.member = member;
    }

    public Member<?> member() {
        return member;
    }

    /** The ticker time the last probe started; {@code Long.MIN_VALUE} before the first. */
    long lastStarted() {
        return lastStarted;
    }

    /** The server's connection limits and use, read on the probe's connection; empty without one or for Redis. */
    public CompletionStage<java.util.Optional<io.poolgate.pool.ServerLoad>> serverLoad() {
        C current = connection.get();
        if (current == null) {
            return CompletableFuture.completedFuture(java.util.Optional.empty());
        }
        return connector.serverLoad(current);
    }

    /** Starts one probe unless the previous one is still running. Never blocks. */
    public void probe() {
        if (closed || !inFlight.compareAndSet(false, true)) {
            return;
        }
        lastStarted = ticker.nanoTime();
        CompletableFuture<Long> attempt = new CompletableFuture<>();
        Scheduler.Timer timer = scheduler.schedule(timeout.toNanos(), () -> attempt.completeExceptionally(
                new IllegalStateException("no answer within " + timeout.toMillis() + "ms")));
        C current = connection.get();
        if (current != null) {
            query(current, attempt);
        } else {
            AtomicReference<C> mine = new AtomicReference<>();
            CompletableFuture<Void> settled = new CompletableFuture<>();
            connecting = settled;
            connector.connect(node, () -> lost(mine.get())).whenComplete((opened, error) -> {
                CompletionStage<Void> done = DONE;
                if (error != null) {
                    attempt.completeExceptionally(error);
                } else if (attempt.isDone() || closed) {
                    done = connector.closeQuietly(opened); // answered too late, or shut down meanwhile
                } else {
                    mine.set(opened);
                    connection.set(opened);
                    if (closed) {
                        done = drop(); // close() ran between the check and the adoption
                        attempt.completeExceptionally(new IllegalStateException("probe closed"));
                    } else {
                        query(opened, attempt);
                    }
                }
                done.whenComplete((ignored, failure) -> settled.complete(null));
            });
        }
        attempt.whenComplete((took, error) -> {
            timer.cancel();
            if (error != null) {
                drop();
                member.probeFailed(Connector.rootMessage(error));
            } else if (took > maxLatency.toNanos()) {
                member.probeSlow(took, "answered in " + took / 1_000_000 + "ms, over max-latency ("
                        + maxLatency.toMillis() + "ms)");
            } else {
                member.probeSucceeded(took);
            }
            inFlight.set(false);
        });
    }

    /** The probe's request; its latency is the answer's, not the connect's (which the timeout bounds). */
    private void query(C on, CompletableFuture<Long> attempt) {
        long start = ticker.nanoTime();
        connector.validate(on).whenComplete((ok, error) -> {
            if (error == null) {
                attempt.complete(ticker.nanoTime() - start);
            } else {
                attempt.completeExceptionally(error);
            }
        });
    }

    /** The backend dropped {@code which}: forgotten if it is still the probe's connection. */
    private void lost(C which) {
        if (which != null) {
            connection.compareAndSet(which, null);
        }
    }

    private CompletionStage<Void> drop() {
        C current = connection.getAndSet(null);
        return current == null ? CompletableFuture.completedFuture(null) : connector.closeQuietly(current);
    }

    /**
     * Closes the probe's connection; no probe runs after this. The stage completes once it is closed
     * and a connect still in flight has completed and what it opened is closed too (the connector's
     * connect timeout bounds that wait), so nothing is left to close after the event loops stop.
     */
    public CompletionStage<Void> close() {
        closed = true;
        return CompletableFuture.allOf(drop().toCompletableFuture(), connecting);
    }
}
