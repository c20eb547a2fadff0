package io.poolgate.pool;

import static io.poolgate.pool.ConnectionState.CLOSED;
import static io.poolgate.pool.ConnectionState.CONNECTING;
import static io.poolgate.pool.ConnectionState.EXPIRED;
import static io.poolgate.pool.ConnectionState.IDLE;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The pool's data structure: every live connection, the idle ones as a LIFO stack (most recently
 * used on top, so the least used ones age out), and counts by state that {@link #move} keeps right.
 * It knows nothing of backends, borrowers or policy; the pool's lock guards it.
 * Invariant: {@code inUse + idle + connecting == total}.
 */
final class Slots<C> {

    private final List<PooledConnection<C>> live = new ArrayList<>();
    private final ArrayDeque<PooledConnection<C>> idle = new ArrayDeque<>();
    private int connecting;
    private int inUse;

    int total() {
        return live.size();
    }

    int inUse() {
        return inUse;
    }

    int idle() {
        return idle.size();
    }

    int connecting() {
        return connecting;
    }

    boolean isEmpty() {
        return live.isEmpty();
    }

    /** Every live connection, oldest first (read-only). */
    List<PooledConnection<C>> live() {
        return Collections.unmodifiableList(live);
    }

    /** A connection being opened. */
    void add(PooledConnection<C> entry) {
        live.add(entry);
        connecting++;
    }

    /** Moves a connection to its next state, keeping the counts right; an idle one must be taken out first. */
    void move(PooledConnection<C> entry, ConnectionState next) {
        boolean wasConnecting = entry.state == CONNECTING;
        boolean wasBusy = entry.isBusy();
        entry.moveTo(next);
        if (wasConnecting) {
            connecting--;
        }
        inUse += (entry.isBusy() ? 1 : 0) - (wasBusy ? 1 : 0);
    }

    /** Puts a connection on top of the idle stack. */
    void park(PooledConnection<C> entry, long now) {
        move(entry, IDLE);
        entry.lastUsedAt = now;
        idle.addFirst(entry);
    }

    /**
     * The most recently used idle connection whose I/O runs on the calling thread (an event loop),
     * else the most recently used one; null if none is idle. Lending a connection of the caller's
     * own event loop keeps a request's HTTP and backend I/O on one thread.
     */
    PooledConnection<C> nearestIdle() {
        Thread caller = Thread.currentThread();
        for (PooledConnection<C> entry : idle) {
            if (entry.home == caller) {
                return entry;
            }
        }
        return idle.peekFirst();
    }

    /** Takes a connection returned by {@link #nearestIdle} off the idle stack. */
    void takeOut(PooledConnection<C> entry) {
        if (entry == idle.peekFirst()) {
            idle.pollFirst();
        } else {
            idle.removeFirstOccurrence(entry);
        }
    }

    /** Pops the most recently used idle connection; null if none. */
    PooledConnection<C> pollIdle() {
        return idle.pollFirst();
    }

    /** Pops the least recently used idle connection; null if none. */
    PooledConnection<C> pollLeastRecentlyUsed() {
        return idle.pollLast();
    }

    /** Idle connections from the least recently used; {@code remove()} takes one off the stack. */
    Iterator<PooledConnection<C>> idleOldestFirst() {
        return idle.descendingIterator();
    }

    /** Retires a connection (it no longer counts toward the pool's size); it must not be idle. */
    void retire(PooledConnection<C> entry) {
        move(entry, EXPIRED);
        live.remove(entry);
    }

    /** A connection whose connect failed: gone without ever having been usable. */
    void connectFailed(PooledConnection<C> entry) {
        connecting--;
        entry.moveTo(CLOSED);
        live.remove(entry);
    }
}
