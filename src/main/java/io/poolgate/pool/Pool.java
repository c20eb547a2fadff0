package io.poolgate.pool;

import static io.poolgate.pool.ConnectionState.CLOSED;
import static io.poolgate.pool.ConnectionState.CONNECTING;
import static io.poolgate.pool.ConnectionState.IDLE;
import static io.poolgate.pool.ConnectionState.IN_USE;
import static io.poolgate.pool.ConnectionState.RESETTING;
import static io.poolgate.pool.ConnectionState.VALIDATING;

import io.poolgate.pool.PoolUnavailableException.Reason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * A pool of connections to one backend, lent to borrowers as {@link Lease}s.
 *
 * <p>The pool is a state machine over a list of live connections (each in a {@link ConnectionState}),
 * a LIFO stack of idle ones and a FIFO queue of {@link Waiter}s. Every event (acquire, release,
 * connect success or failure, validation and reset results, a waiter's timeout, housekeeping,
 * close) takes the lock, updates the state and collects {@link Effects}: connector I/O, completed
 * futures, log lines. The effects run after the lock is released, so no borrower code and no I/O
 * ever runs while the state is half changed, and no call blocks.
 *
 * <p>Invariants, at every unlock: {@code inUse + idle + connecting == total <= max}; a connection
 * is lent to at most one lease; a waiter is in the queue until it is served, times out or is
 * cancelled, and is completed exactly once.
 *
 * <p>Sizes: {@code total} never exceeds {@code max}; housekeeping keeps it at least at
 * {@code target} (which starts at {@code min}); idle connections above the target close after
 * the idle timeout.
 */
public final class Pool<C> {

    private static final Logger LOG = Logger.getLogger(Pool.class);

    private enum Phase {
        RUNNING, CLOSING, CLOSED
    }

    private final String name;
    /** How messages name this engine: {@code pool 'main' node 'primary'}. */
    private final String label;
    private final PoolSettings settings;
    private final ReusePolicy reuse;
    private final Connector<C> connector;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final PoolEvents events;

    private final ReentrantLock lock = new ReentrantLock();
    // ---- state guarded by lock ----
    private final Slots<C> slots = new Slots<>();
    private final ArrayDeque<Waiter<C>> waiters = new ArrayDeque<>();
    private final PoolCounters counters = new PoolCounters();
    private int target;
    private Phase phase = Phase.RUNNING;
    private boolean paused;
    /** When set (the scaler sizes the pool), waiters do not open connections past the target. */
    private boolean holdToTarget;
    /** Why the pool takes no work now (its node is drained or its circuit is open); null while it does. */
    private String drained;
    private int pinned;
    /** The queue's one timeout timer: armed, for when, and which arming is current. */
    private boolean sweepArmed;
    private long sweepAt;
    private long sweepGeneration;
    /** Retired connections whose close has not finished yet. */
    private int closing;
    private UtilizationAlarm alarm = UtilizationAlarm.NORMAL;
    private int peakInUse; // since the last housekeeping run
    private Throwable lastConnectFailure;
    private long nextId = 1;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    public Pool(PoolSettings settings, Connector<C> connector, Ticker ticker, Scheduler scheduler) {
        this(settings, connector, ticker, scheduler, PoolEvents.NONE);
    }

    public Pool(PoolSettings settings, Connector<C> connector, Ticker ticker, Scheduler scheduler,
            PoolEvents events) {
        this.events = events;
        this.name = settings.name();
        this.label = "pool '" + name + "' node '" + settings.node().name() + "'";
        this.settings = settings;
        this.reuse = settings.reuse();
        this.connector = new TimedConnector<>(connector, scheduler, settings.timeouts());
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.target = settings.sizes().min();
    }

    public String name() {
        return name;
    }

    public PoolSettings settings() {
        return settings;
    }

    /**
     * Opens {@code initial} connections in parallel. The stage completes, never exceptionally, once
     * every attempt has succeeded or failed; the pool is usable before that.
     */
    public CompletionStage<Void> warmUp() {
        Effects fx = new Effects();
        List<CompletableFuture<?>> attempts = new ArrayList<>();
        lock.lock();
        try {
            int wanted = Math.min(settings.sizes().initial(), settings.sizes().max()) - slots.total();
            for (int i = 0; i < wanted; i++) {
                attempts.add(startConnect(fx));
            }
        } finally {
            lock.unlock();
        }
        fx.run();
        return CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).handle((ok, error) -> null);
    }

    /**
     * Lends a connection, now if one is idle, else when one is opened or returned (oldest waiter
     * first), else fails with {@link PoolUnavailableException} after the acquire timeout. Never blocks.
     */
    public CompletionStage<Lease<C>> acquire(Owner owner) {
        return acquire(owner, settings.acquireTimeout().toNanos());
    }

    /** {@link #acquire(Owner)} with a wait bound of its own (what is left of a request's budget). */
    public CompletionStage<Lease<C>> acquire(Owner owner, long timeoutNanos) {
        Effects fx = null;
        Lease<C> lent = null;
        CompletionStage<Lease<C>> result = null;
        lock.lock();
        try {
            long now = ticker.nanoTime();
            // 0. the hot path, with nothing to defer: the most recent idle connection that lives on
            //    this thread (no I/O crosses threads then), else the most recent, is fit to lend
            PooledConnection<C> head = slots.nearestIdle();
            if (head != null && phase == Phase.RUNNING && drained == null && !paused && !reuse.isExpired(head, now)
                    && !reuse.needsValidation(head, now)) {
                slots.takeOut(head);
                lent = lend(head, owner, now, 0);
            } else {
                fx = new Effects();
                result = acquire(owner, now, timeoutNanos, fx);
            }
        } finally {
            lock.unlock();
        }
        if (lent != null) {
            events.acquired(0);
            return CompletableFuture.completedFuture(lent);
        }
        fx.run();
        return result;
    }

    private CompletionStage<Lease<C>> acquire(Owner owner, long now, long timeoutNanos, Effects fx) {
        if (phase != Phase.RUNNING) {
            counters.acquireErrors++;
            return CompletableFuture.failedFuture(closedError(0));
        }
        if (drained != null) {
            return CompletableFuture.failedFuture(drainedError());
        }
        // 1. lend the most recently used idle connection that is still fit (none while paused)
        PooledConnection<C> entry = paused ? null : takeIdle(now, fx);
        if (entry != null && !reuse.needsValidation(entry, now)) {
            Lease<C> lease = lend(entry, owner, now, 0);
            fx.add(() -> events.acquired(0));
            return CompletableFuture.completedFuture(lease);
        }
        Waiter<C> waiter = new Waiter<>(owner, now, now + timeoutNanos);
        waiter.future.whenComplete((lease, error) -> {
            if (waiter.future.isCancelled()) {
                cancel(waiter);
            }
        });
        // 2. an idle connection unused for a while is checked first, then lent to this borrower
        if (entry != null) {
            slots.move(entry, VALIDATING); // bounded by the validation timeout; a retry keeps the deadline
            fx.add(() -> validate(entry, waiter));
            return waiter.future;
        }
        // 3. nothing to lend and the queue is full: turn the borrower away at once
        if (waiters.size() >= settings.maxWaiters()) {
            counters.rejected++;
            return CompletableFuture.failedFuture(new PoolUnavailableException(Reason.QUEUE_FULL,
                    label + " wait queue full (max-waiters=" + settings.maxWaiters() + ", in-use="
                            + slots.inUse() + "/" + settings.sizes().max() + ")",
                    0, snapshotLocked(), null));
        }
        // 4. queue up; open a connection if the pool may grow and no pending one is spoken for
        waiters.addLast(waiter);
        armSweep(waiter.deadline, fx);
        fill(fx);
        return waiter.future;
    }

    /** Pops idle connections until one is fit to lend; retires those past their lifetime. */
    private PooledConnection<C> takeIdle(long now, Effects fx) {
        PooledConnection<C> entry;
        while ((entry = slots.pollIdle()) != null) {
            if (!reuse.isExpired(entry, now)) {
                return entry;
            }
            retire(entry, "max lifetime reached", fx);
            fill(fx);
        }
        return null;
    }

    /** Lends {@code entry}; {@code waited} is how long the borrower waited for it (0 when it did not). */
    private Lease<C> lend(PooledConnection<C> entry, Owner owner, long now, long waited) {
        if (entry.state != IN_USE) {
            slots.move(entry, IN_USE);
        }
        if (entry.uses++ == 0) {
            counters.firstUses++;
        }
        counters.acquired++;
        counters.waitNanos += waited;
        Lease<C> lease = new Lease<>(this, entry, owner, now);
        entry.lease = lease;
        peakInUse = Math.max(peakInUse, slots.inUse());
        return lease;
    }

    void release(Lease<C> lease, Outcome outcome) {
        Effects fx = null;
        lock.lock();
        try {
            if (lease.released) {
                throw new IllegalStateException("pool '" + name + "' - " + lease + " released twice");
            }
            lease.released = true;
            lease.onDeadline = null;
            if (lease.pinned) {
                pinned--;
            }
            PooledConnection<C> entry = lease.entry;
            if (!entry.state.isLive()) {
                return; // force-closed by shutdown while lent
            }
            entry.lease = null;
            long now = ticker.nanoTime();
            entry.lastUsedAt = now;
            boolean reusable = !entry.lost && phase == Phase.RUNNING && drained == null && !reuse.isWornOut(entry)
                    && !reuse.isExpired(entry, now);
            // the hot path, with nothing to defer: clean, fit, and nobody waiting
            if (reusable && outcome == Outcome.CLEAN && waiters.isEmpty()) {
                counters.releasedOk++;
                slots.park(entry, now);
                return;
            }
            fx = new Effects();
            if (outcome == Outcome.BROKEN || entry.lost) {
                counters.releasedBroken++;
                retire(entry, "broken", fx);
                fill(fx);
                fx.add(() -> events.failed("a lent connection broke"));
                return;
            }
            if (outcome == Outcome.DIRTY && reusable) {
                slots.move(entry, RESETTING); // counted as released once the reset has succeeded or failed
                fx.add(() -> reset(entry));
                return;
            }
            counters.releasedOk++;
            if (phase != Phase.RUNNING) {
                retire(entry, "pool closing", fx);
            } else if (drained != null) {
                retire(entry, drained, fx);
            } else if (reuse.isWornOut(entry)) {
                retire(entry, "max uses (" + reuse.maxUses() + ") reached", fx);
                fill(fx);
            } else if (!reusable) {
                retire(entry, "max lifetime reached", fx);
                fill(fx);
            } else {
                offer(entry, now, fx);
            }
        } finally {
            lock.unlock();
            if (fx != null) {
                fx.run();
            }
        }
    }

    /** A connection is ready for work: the oldest waiter gets it, else it goes idle (or, drained, it closes). */
    private void offer(PooledConnection<C> entry, long now, Effects fx) {
        if (drained != null) {
            retire(entry, drained, fx);
            return;
        }
        Waiter<C> waiter = paused ? null : waiters.pollFirst();
        if (waiter != null) {
            Lease<C> lease = lend(entry, waiter.owner, now, now - waiter.since);
            fx.add(() -> deliver(waiter, lease));
        } else {
            slots.park(entry, now);
        }
    }

    private void deliver(Waiter<C> waiter, Lease<C> lease) {
        if (waiter.future.complete(lease)) {
            events.acquired(lease.acquiredAt - waiter.since);
        } else {
            lease.release(Outcome.CLEAN); // the borrower gave up in the meantime; the lease was never used
        }
    }

    /** Opens connections for the target size and for waiters no pending connection will serve. */
    private void fill(Effects fx) {
        if (phase != Phase.RUNNING || drained != null) {
            return;
        }
        int max = settings.sizes().max();
        int total = slots.total();
        int forTarget = target - total;
        int growTo = holdToTarget ? target : max;
        int forWaiters = paused ? 0 : Math.min(waiters.size() - slots.connecting(), growTo - total);
        for (int i = Math.max(forTarget, forWaiters); i > 0 && slots.total() < max; i--) {
            startConnect(fx);
        }
    }

    private CompletableFuture<Void> startConnect(Effects fx) {
        long now = ticker.nanoTime();
        PooledConnection<C> entry = new PooledConnection<>(nextId++, settings.node(), now, reuse.expiresAt(now));
        slots.add(entry);
        CompletableFuture<Void> done = new CompletableFuture<>();
        fx.add(() -> connector.connect(entry.node, () -> lost(entry)).whenComplete((connection, error) -> {
            if (error == null) {
                entry.home = Thread.currentThread(); // connectors complete on the connection's I/O thread
                connected(entry, connection);
            } else {
                connectFailed(entry, error);
            }
            done.complete(null);
        }));
        return done;
    }

    private void connected(PooledConnection<C> entry, C connection) {
        Effects fx = new Effects();
        lock.lock();
        try {
            entry.connection = connection;
            counters.created++;
            fx.add(events::connected);
            if (lastConnectFailure != null) {
                fx.add(() -> LOG.infof("pool '%s' - connected to node '%s' again", name, entry.node.name()));
                lastConnectFailure = null;
            }
            if (phase != Phase.RUNNING) {
                retire(entry, "pool closing", fx);
            } else if (entry.lost) {
                retire(entry, "lost right after connecting", fx);
            } else {
                offer(entry, ticker.nanoTime(), fx);
            }
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    private void connectFailed(PooledConnection<C> entry, Throwable error) {
        Effects fx = new Effects();
        lock.lock();
        try {
            slots.connectFailed(entry);
            counters.createFailures++;
            boolean firstFailure = lastConnectFailure == null;
            lastConnectFailure = error;
            String message = "pool '" + name + "' cannot connect to node '" + entry.node.name() + "' ("
                    + entry.node.safeUrl() + "): " + Connector.rootMessage(error);
            fx.add(() -> {
                if (firstFailure) {
                    LOG.warn(message);
                } else {
                    LOG.debug(message);
                }
                events.failed("connect failed: " + Connector.rootMessage(error));
            });
            // Nothing live means nothing will be returned: waiting on would only end in a timeout.
            // With live connections the waiters keep their place; housekeeping retries the connect.
            if (slots.isEmpty()) {
                List<Waiter<C>> failed = new ArrayList<>(waiters);
                waiters.clear();
                counters.acquireErrors += failed.size();
                PoolUnavailableException failure = new PoolUnavailableException(Reason.CONNECT_FAILED, message, 0,
                        snapshotLocked(), error);
                fx.add(() -> failed.forEach(waiter -> fail(waiter, failure)));
            }
            checkClosed(fx);
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    private void validate(PooledConnection<C> entry, Waiter<C> waiter) {
        connector.validate(entry.connection).whenComplete((ok, error) -> {
            Effects fx = new Effects();
            lock.lock();
            try {
                if (!entry.state.isLive()) {
                    // force-closed by shutdown meanwhile; the waiter was failed then
                    fx.add(() -> fail(waiter, closedError(0)));
                } else if (error == null && phase == Phase.RUNNING && drained == null && !entry.lost) {
                    long now = ticker.nanoTime();
                    Lease<C> lease = lend(entry, waiter.owner, now, now - waiter.since);
                    fx.add(() -> deliver(waiter, lease));
                } else {
                    String why = error == null ? phase == Phase.RUNNING ? drained : "pool closing"
                            : "failed validation: " + Connector.rootMessage(error);
                    retire(entry, why, fx);
                    if (error != null) {
                        fx.add(() -> events.failed(why));
                    }
                    if (phase == Phase.RUNNING && drained != null) {
                        PoolUnavailableException failure = drainedError();
                        fx.add(() -> fail(waiter, failure));
                    } else if (phase == Phase.RUNNING) {
                        retry(waiter, fx);
                    } else {
                        counters.acquireErrors++;
                        PoolUnavailableException failure = closedError(0);
                        fx.add(() -> fail(waiter, failure));
                    }
                }
            } finally {
                lock.unlock();
            }
            fx.run();
        });
    }

    /** A borrower whose connection failed validation tries again, keeping its place at the head. */
    private void retry(Waiter<C> waiter, Effects fx) {
        long now = ticker.nanoTime();
        if (now - waiter.deadline >= 0) {
            waiters.addFirst(waiter);
            timeOut(waiter, fx);
            return;
        }
        if (!serveFromIdle(waiter, now, fx)) {
            waiters.addFirst(waiter);
            fill(fx);
        }
    }

    /** Lends an idle connection to {@code waiter} (checked first if it idled a while); false if none is idle. */
    private boolean serveFromIdle(Waiter<C> waiter, long now, Effects fx) {
        PooledConnection<C> entry = takeIdle(now, fx);
        if (entry == null) {
            return false;
        }
        if (reuse.needsValidation(entry, now)) {
            slots.move(entry, VALIDATING);
            fx.add(() -> validate(entry, waiter));
        } else {
            Lease<C> lease = lend(entry, waiter.owner, now, now - waiter.since);
            fx.add(() -> deliver(waiter, lease));
        }
        return true;
    }

    private void reset(PooledConnection<C> entry) {
        connector.reset(entry.connection).whenComplete((ok, error) -> {
            Effects fx = new Effects();
            lock.lock();
            try {
                if (!entry.state.isLive()) {
                    return; // force-closed by shutdown meanwhile
                }
                if (error != null || entry.lost) {
                    counters.releasedBroken++;
                    String why = error == null ? "lost during reset" : "reset failed: " + Connector.rootMessage(error);
                    retire(entry, why, fx);
                    fill(fx);
                    fx.add(() -> events.failed(why));
                } else if (phase != Phase.RUNNING) {
                    counters.releasedOk++;
                    retire(entry, "pool closing", fx);
                } else {
                    counters.releasedOk++;
                    offer(entry, ticker.nanoTime(), fx);
                }
            } finally {
                lock.unlock();
            }
            fx.run();
        });
    }

    /** The backend dropped a connection: an idle one goes now, a lent one when it is returned. */
    private void lost(PooledConnection<C> entry) {
        Effects fx = new Effects();
        lock.lock();
        try {
            entry.lost = true;
            if (entry.state == IDLE) {
                slots.takeOut(entry);
                retire(entry, "closed by the backend", fx);
                fill(fx);
            }
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    private void retire(PooledConnection<C> entry, String reason, Effects fx) {
        slots.retire(entry);
        counters.destroyed++;
        closing++;
        fx.add(() -> {
            LOG.debugf("pool '%s' - closing %s: %s", name, entry, reason);
            CompletionStage<Void> closed = entry.connection == null ? CompletableFuture.completedFuture(null)
                    : connector.closeQuietly(entry.connection);
            closed.whenComplete((ok, error) -> closed(entry));
        });
    }

    /** A retired connection's socket is closed; a closing pool is closed once the last one is. */
    private void closed(PooledConnection<C> entry) {
        Effects fx = new Effects();
        lock.lock();
        try {
            entry.moveTo(CLOSED);
            closing--;
            checkClosed(fx);
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    /**
     * Makes sure a sweep of the queue runs by {@code deadline}. One timer serves every waiter: the
     * waiters share the acquire timeout, so the oldest is the next to time out and a sweep already
     * armed for it covers the newcomer; only a shorter budget arms an earlier one. No timer is
     * armed or cancelled per acquisition.
     */
    private void armSweep(long deadline, Effects fx) {
        if (sweepArmed && sweepAt - deadline <= 0) {
            return;
        }
        sweepArmed = true;
        sweepAt = deadline;
        long generation = ++sweepGeneration;
        long delay = Math.max(0, deadline - ticker.nanoTime());
        fx.add(() -> scheduler.schedule(delay, () -> sweep(generation)));
    }

    /** Times out every waiter past its deadline, and arms the next sweep for the earliest one left. */
    private void sweep(long generation) {
        Effects fx = new Effects();
        lock.lock();
        try {
            if (generation != sweepGeneration) {
                return; // an earlier sweep replaced this one
            }
            sweepArmed = false;
            long now = ticker.nanoTime();
            long next = 0;
            boolean any = false;
            for (Iterator<Waiter<C>> it = waiters.iterator(); it.hasNext();) {
                Waiter<C> waiter = it.next();
                if (now - waiter.deadline >= 0) {
                    it.remove();
                    expire(waiter, fx);
                } else if (!any || waiter.deadline - next < 0) {
                    next = waiter.deadline;
                    any = true;
                }
            }
            if (any) {
                armSweep(next, fx);
            }
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    private void timeOut(Waiter<C> waiter, Effects fx) {
        if (!waiters.remove(waiter)) {
            return; // served already, or being validated for: that ends in a lease or a retry
        }
        expire(waiter, fx);
    }

    /** Fails a waiter taken off the queue past its deadline, with a diagnosis of the pool. */
    private void expire(Waiter<C> waiter, Effects fx) {
        counters.timeouts++;
        long waited = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - waiter.since);
        String cause = lastConnectFailure == null ? "" : "; last connect failure: " + Connector.rootMessage(lastConnectFailure);
        PoolSnapshot state = snapshotLocked();
        PoolUnavailableException failure = new PoolUnavailableException(Reason.TIMEOUT,
                label + " - connection not available, request timed out after " + waited + "ms ("
                        + state.describe() + ")" + cause,
                waited, state, null);
        fx.add(() -> fail(waiter, failure));
    }

    private void cancel(Waiter<C> waiter) {
        lock.lock();
        try {
            waiters.remove(waiter);
        } finally {
            lock.unlock();
        }
    }

    private void fail(Waiter<C> waiter, Throwable failure) {
        waiter.future.completeExceptionally(failure);
    }

    /**
     * Housekeeping, run periodically: retires idle connections past their lifetime or idle above
     * the target, reports leases held past the leak threshold (once each), and tops the pool up.
     */
    public void maintain() {
        Effects fx = new Effects();
        lock.lock();
        try {
            if (phase != Phase.RUNNING) {
                return;
            }
            long now = ticker.nanoTime();
            // oldest idle first: the tail of the stack
            for (Iterator<PooledConnection<C>> it = slots.idleOldestFirst(); it.hasNext();) {
                PooledConnection<C> entry = it.next();
                if (reuse.isExpired(entry, now)) {
                    it.remove();
                    retire(entry, "max lifetime reached", fx);
                } else if (slots.total() > target && reuse.isIdleTooLong(entry, now)) {
                    it.remove();
                    retire(entry, "idle timeout", fx);
                }
            }
            reportLeaks(now, fx);
            expireDeadlines(now, fx);
            checkUtilization(fx);
            fill(fx);
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    /** Leases past the deadline their holder set get its callback, once, outside the lock. */
    private void expireDeadlines(long now, Effects fx) {
        for (PooledConnection<C> entry : slots.live()) {
            Lease<C> lease = entry.lease;
            if (lease != null && lease.onDeadline != null && now - lease.deadline >= 0) {
                Runnable expired = lease.onDeadline;
                lease.onDeadline = null;
                fx.add(expired);
            }
        }
    }

    /** Arms (or re-arms) {@code lease}'s deadline; see {@link Lease#deadline}. */
    void deadline(Lease<C> lease, long inNanos, Runnable onDeadline) {
        lock.lock();
        try {
            if (!lease.released) {
                lease.deadline = ticker.nanoTime() + inNanos;
                lease.onDeadline = onDeadline;
            }
        } finally {
            lock.unlock();
        }
    }

    private void reportLeaks(long now, Effects fx) {
        long threshold = settings.leakThreshold().toNanos();
        if (threshold <= 0) {
            return;
        }
        for (PooledConnection<C> entry : slots.live()) {
            Lease<C> lease = entry.lease;
            if (lease != null && !lease.pinned && !lease.leakReported && now - lease.acquiredAt >= threshold) {
                lease.leakReported = true;
                counters.leaks++;
                long heldMillis = TimeUnit.NANOSECONDS.toMillis(now - lease.acquiredAt);
                String activity = lease.activity();
                fx.add(() -> LOG.warnf("pool '%s' - possible leak: %s held for %dms by %s (leak-threshold=%dms)%s",
                        name, entry, heldMillis, lease.owner, settings.leakThreshold().toMillis(),
                        activity.isEmpty() ? "" : ", running: " + activity));
            }
        }
    }

    /**
     * Holds new acquisitions in the queue (bounded by max-waiters and the acquire timeout) while
     * lent connections finish and come back, like PgBouncer's PAUSE. Returns false if already paused.
     */
    public boolean pause() {
        lock.lock();
        try {
            boolean changed = !paused;
            paused = true;
            return changed;
        } finally {
            lock.unlock();
        }
    }

    /** Lends again: queued borrowers are served in order. Returns false if the pool was not paused. */
    public boolean resume() {
        Effects fx = new Effects();
        boolean changed;
        lock.lock();
        try {
            changed = paused;
            paused = false;
            long now = ticker.nanoTime();
            while (!waiters.isEmpty()) {
                Waiter<C> waiter = waiters.pollFirst();
                if (!serveFromIdle(waiter, now, fx)) {
                    waiters.addFirst(waiter);
                    break;
                }
            }
            fill(fx);
        } finally {
            lock.unlock();
        }
        fx.run();
        return changed;
    }

    /**
     * Takes no new work until {@link #undrain}: waiting and new borrowers fail at once with
     * {@link Reason#DRAINED} (so a balancer can send them to another node), idle connections close
     * now and lent ones when they come back, and nothing new is opened. {@code reason} is quoted in
     * those failures and logs ("drained by the operator", "circuit open").
     */
    public void drain(String reason) {
        Effects fx = new Effects();
        lock.lock();
        try {
            if (phase != Phase.RUNNING) {
                return;
            }
            drained = reason;
            PoolUnavailableException failure = drainedError();
            for (Waiter<C> waiter; (waiter = waiters.pollFirst()) != null;) {
                Waiter<C> failed = waiter;
                fx.add(() -> fail(failed, failure));
            }
            for (PooledConnection<C> entry; (entry = slots.pollIdle()) != null;) {
                retire(entry, reason, fx);
            }
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    /** Takes work again after {@link #drain}, and opens connections up to the target size. */
    public void undrain() {
        Effects fx = new Effects();
        lock.lock();
        try {
            drained = null;
            fill(fx);
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    /**
     * Whether waiters may open connections past the target (up to max, the default) or only up to
     * it: a pool sized by the scaler grows when the scaler raises its target, never on its own.
     */
    public void holdToTarget(boolean hold) {
        Effects fx = new Effects();
        lock.lock();
        try {
            holdToTarget = hold;
            fill(fx);
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    /** Why the pool takes no work, or null while it does. */
    public String drained() {
        lock.lock();
        try {
            return drained;
        } finally {
            lock.unlock();
        }
    }

    /** A borrower's request finished on one of this pool's connections. */
    void completed(long nanos, boolean failed) {
        events.completed(nanos, failed);
    }

    /** Marks a lease as pinned by a session: counted as such, and exempt from leak reports. */
    void pin(Lease<C> lease) {
        lock.lock();
        try {
            if (!lease.released && !lease.pinned) {
                lease.pinned = true;
                pinned++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Every live connection as the status API shows it, oldest first. */
    public List<ConnectionView> connections() {
        lock.lock();
        try {
            long now = ticker.nanoTime();
            long wallNow = System.currentTimeMillis();
            return slots.live().stream().map(e -> ConnectionView.of(e, now, wallNow)).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Sets the size the pool keeps warm, clamped to [min, max]; returns the size set. */
    public int resize(int wanted) {
        Effects fx = new Effects();
        int set;
        lock.lock();
        try {
            set = Math.max(settings.sizes().min(), Math.min(settings.sizes().max(), wanted));
            target = set;
            // shrink at once by closing idle connections, least recently used first
            while (slots.total() > target && slots.idle() > 0) {
                retire(slots.pollLeastRecentlyUsed(), "resized to " + target, fx);
            }
            fill(fx);
        } finally {
            lock.unlock();
        }
        fx.run();
        return set;
    }

    /**
     * Stops lending (new and queued borrowers fail), closes idle connections now and lent ones as
     * they come back, and after {@code deadline} closes whatever is still lent. The stage completes
     * when every connection is closed.
     */
    public CompletionStage<Void> close(Duration deadline) {
        Effects fx = new Effects();
        lock.lock();
        try {
            if (phase == Phase.RUNNING) {
                phase = Phase.CLOSING;
                PoolUnavailableException failure = closedError(0);
                counters.acquireErrors += waiters.size();
                for (Waiter<C> waiter; (waiter = waiters.pollFirst()) != null;) {
                    Waiter<C> failed = waiter;
                    fx.add(() -> fail(failed, failure));
                }
                for (PooledConnection<C> entry; (entry = slots.pollIdle()) != null;) {
                    retire(entry, "pool closing", fx);
                }
                checkClosed(fx);
                if (!slots.isEmpty()) {
                    fx.add(() -> scheduler.schedule(deadline.toNanos(), this::closeLent));
                }
            }
        } finally {
            lock.unlock();
        }
        fx.run();
        return closed;
    }

    private void closeLent() {
        Effects fx = new Effects();
        lock.lock();
        try {
            for (PooledConnection<C> entry : List.copyOf(slots.live())) {
                if (entry.state != CONNECTING) {
                    String owner = entry.lease == null ? "" : " held by " + entry.lease.owner;
                    fx.add(() -> LOG.warnf("pool '%s' - shutdown deadline passed, closing %s%s", name, entry, owner));
                    retire(entry, "shutdown deadline passed", fx);
                }
            }
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    private void checkClosed(Effects fx) {
        if (phase == Phase.CLOSING && slots.isEmpty() && closing == 0) {
            phase = Phase.CLOSED;
            fx.add(() -> closed.complete(null));
        }
    }

    /**
     * Logs a change of utilization level. Judged on the peak since the last housekeeping run, so a
     * pool flapping between levels logs at most one line per run, not one per request.
     */
    private void checkUtilization(Effects fx) {
        UtilizationAlarm next = alarm.next(peakInUse, settings.sizes().max());
        peakInUse = slots.inUse();
        if (next != alarm) {
            String message = label + " utilization " + alarm + " -> " + next + " (in-use=" + slots.inUse() + "/"
                    + settings.sizes().max() + ", waiting=" + waiters.size() + ")";
            boolean rising = next.compareTo(alarm) > 0;
            alarm = next;
            fx.add(() -> {
                if (rising) {
                    LOG.warn(message);
                } else {
                    LOG.info(message);
                }
            });
        }
    }

    UtilizationAlarm alarm() {
        lock.lock();
        try {
            return alarm;
        } finally {
            lock.unlock();
        }
    }

    private PoolUnavailableException drainedError() {
        return new PoolUnavailableException(Reason.DRAINED, label + " takes no work: " + drained, 0, snapshotLocked(),
                null);
    }

    private PoolUnavailableException closedError(long waited) {
        return new PoolUnavailableException(Reason.CLOSED, label + " is shut down", waited,
                snapshotLocked(), null);
    }

    public PoolSnapshot snapshot() {
        lock.lock();
        try {
            return snapshotLocked();
        } finally {
            lock.unlock();
        }
    }

    private PoolSnapshot snapshotLocked() {
        return new PoolSnapshot(name, slots.total(), slots.inUse(), slots.idle(), slots.connecting(), waiters.size(),
                settings.sizes().min(), settings.sizes().max(), target, pinned, paused, counters.snapshot());
    }
}
