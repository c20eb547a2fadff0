package io.poolgate.topology;

import io.poolgate.pool.Ticker;
import java.time.Duration;

/**
 * A node's circuit breaker, in resilience4j's shape with three states:
 *
 * <pre>
 *   CLOSED ──(failure-threshold consecutive failures)──► OPEN ──(open wait over)──► HALF_OPEN
 *     ▲                                                   ▲                          │
 *     └────────(recovery-threshold consecutive successes)─┼──────────────────────────┤
 *                                                         └──────(a failure)─────────┘
 * </pre>
 *
 * CLOSED takes traffic; OPEN takes none; HALF_OPEN takes none either, only the health checker's
 * trial probes. Each re-opening doubles the open wait (from {@code open-wait}, capped at
 * {@code max-open-wait}); closing resets it. Failures are probe failures and what real requests
 * see of a broken connection; successes are probes only. Transitions are reported to the
 * {@link Listener} after the breaker's own lock is released.
 */
public final class Breaker {

    /** The breaker's states and their legal transitions. */
    public enum State {
        CLOSED, OPEN, HALF_OPEN;

        public boolean canMoveTo(State next) {
            return switch (this) {
                case CLOSED -> next == OPEN;
                case OPEN -> next == HALF_OPEN;
                case HALF_OPEN -> next == CLOSED || next == OPEN;
            };
        }

        /** {@code next}, if it may follow this state; throws naming both states otherwise. */
        State to(State next) {
            if (!canMoveTo(next)) {
                throw new IllegalStateException("breaker cannot go from " + this + " to " + next);
            }
            return next;
        }

        /** The gauge value of {@code poolgate_node_circuit_state}: 0 closed, 1 half open, 2 open. */
        public int code() {
            return switch (this) {
                case CLOSED -> 0;
                case HALF_OPEN -> 1;
                case OPEN -> 2;
            };
        }
    }

    /**
     * @param failureThreshold  consecutive failures that open a closed breaker
     * @param recoveryThreshold consecutive trial successes that close a half-open one
     * @param openWait          how long it stays open the first time
     * @param maxOpenWait       the cap of the doubling open wait
     */
    public record Settings(int failureThreshold, int recoveryThreshold, Duration openWait, Duration maxOpenWait) {
    }

    /** Told of each transition, outside the breaker's lock. */
    @FunctionalInterface
    public interface Listener {
        void moved(State from, State to, String why);
    }

    private final Settings settings;
    private final Ticker ticker;
    private final Listener listener;
    // guarded by this
    private State state = State.CLOSED;
    private long since;
    private int failures;
    private int successes;
    private long openWaitNanos;
    private long openUntil;
    private String lastError = "";

    public Breaker(Settings settings, Ticker ticker, Listener listener) {
        this.settings = settings;
        this.ticker = ticker;
        this.listener = listener;
        this.since = ticker.nanoTime();
        this.openWaitNanos = settings.openWait().toNanos();
    }

    /** Whether the node takes traffic now. */
    public synchronized boolean closed() {
        return state == State.CLOSED;
    }

    public synchronized State state() {
        return state;
    }

    /** The ticker time of the last transition (or of creation). */
    public synchronized long since() {
        return since;
    }

    public synchronized int consecutiveFailures() {
        return failures;
    }

    /** The last failure seen, empty if none since the last success. */
    public synchronized String lastError() {
        return lastError;
    }

    /** Nanoseconds until an open breaker lets a trial probe through; 0 unless open. */
    public synchronized long untilTrial() {
        return state == State.OPEN ? Math.max(0, openUntil - ticker.nanoTime()) : 0;
    }

    /** A probe answered in time. */
    public void succeeded() {
        String why = null;
        State from;
        State to;
        synchronized (this) {
            from = state;
            failures = 0;
            lastError = "";
            if (state == State.HALF_OPEN && ++successes >= settings.recoveryThreshold()) {
                why = successes + " consecutive successful probe(s)";
                openWaitNanos = settings.openWait().toNanos();
                move(State.CLOSED);
            }
            to = state;
        }
        report(from, to, why);
    }

    /** A probe failed, or a request saw the node's connection break; {@code error} says how. */
    public void failed(String error) {
        String why = null;
        State from;
        State to;
        synchronized (this) {
            from = state;
            lastError = error;
            switch (state) {
                case CLOSED -> {
                    if (++failures >= settings.failureThreshold()) {
                        why = failures + " consecutive failure(s), last: " + error;
                        open();
                    }
                }
                case HALF_OPEN -> {
                    failures++;
                    openWaitNanos = Math.min(openWaitNanos * 2, settings.maxOpenWait().toNanos());
                    why = "trial failed: " + error;
                    open();
                }
                case OPEN -> failures++; // old news: it is open already
            }
            to = state;
        }
        report(from, to, why);
    }

    /**
     * If the breaker is open and its wait is over, moves it to HALF_OPEN and returns true: the
     * caller runs the trial probe. Returns true as well while half open (the next trial is due).
     */
    public boolean trialDue() {
        State from;
        String why = null;
        synchronized (this) {
            from = state;
            if (state == State.OPEN && ticker.nanoTime() - openUntil >= 0) {
                successes = 0;
                why = "open wait of " + (openWaitNanos / 1_000_000) + "ms over, trying the node";
                move(State.HALF_OPEN);
            }
            if (state != State.HALF_OPEN) {
                return false;
            }
        }
        report(from, State.HALF_OPEN, why);
        return true;
    }

    private void open() {
        successes = 0;
        openUntil = ticker.nanoTime() + openWaitNanos;
        move(State.OPEN);
    }

    private void move(State next) {
        state = state.to(next);
        since = ticker.nanoTime();
    }

    private void report(State from, State to, String why) {
        if (why != null) {
            listener.moved(from, to, why);
        }
    }
}
