package io.poolgate.topology;

import io.poolgate.pool.Connector;
import io.poolgate.pool.Scheduler;
import io.poolgate.pool.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Probes one node with {@code SELECT 1} / {@code PING} on a connection of its own (outside the
 * pool, so a full or broken pool cannot hide a healthy node or the reverse). A probe that fails or
 * does not answer within the timeout drops the connection; the next probe opens a new one.
 */
public final class NodeProbe<C> {

    private final Node node;
    private final Connector<C> connector;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final Duration timeout;
    private final NodeHealth health;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile C connection;
    private volatile boolean closed;

    public NodeProbe(Connector<C> connector, Scheduler scheduler, Ticker ticker, Duration timeout, NodeHealth health) {
        this.node = health.node();
        this.connector = connector;
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.timeout = timeout;
        this.health = health;
    }

    public NodeHealth health() {
        return health;
    }

    /** Starts one probe unless the previous one is still running. Never blocks. */
    public void probe() {
        if (closed || !inFlight.compareAndSet(false, true)) {
            return;
        }
        long start = ticker.nanoTime();
        CompletableFuture<Void> attempt = new CompletableFuture<>();
        Scheduler.Timer timer = scheduler.schedule(timeout.toNanos(), () -> attempt.completeExceptionally(
                new IllegalStateException("no answer within " + timeout.toMillis() + "ms")));
        C current = connection;
        if (current != null) {
            connector.validate(current).whenComplete((ok, error) -> complete(attempt, error));
        } else {
            connector.connect(node, this::lost).whenComplete((opened, error) -> {
                if (error != null) {
                    complete(attempt, error);
                } else if (attempt.isDone() || closed) {
                    connector.closeQuietly(opened); // answered too late, or shut down meanwhile
                } else {
                    connection = opened;
                    connector.validate(opened).whenComplete((ok, failure) -> complete(attempt, failure));
                }
            });
        }
        attempt.whenComplete((ok, error) -> {
            timer.cancel();
            if (error == null) {
                health.succeeded(ticker.nanoTime() - start);
            } else {
                drop();
                health.failed(Connector.rootMessage(error));
            }
            inFlight.set(false);
        });
    }

    private static void complete(CompletableFuture<Void> attempt, Throwable error) {
        if (error == null) {
            attempt.complete(null);
        } else {
            attempt.completeExceptionally(error);
        }
    }

    private void lost() {
        connection = null;
    }

    private void drop() {
        C current = connection;
        connection = null;
        if (current != null) {
            connector.closeQuietly(current);
        }
    }

    /** Closes the probe's connection; no probe runs after this. */
    public void close() {
        closed = true;
        drop();
    }
}
