package io.poolgate.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A ticker and a scheduler that move only when the test says so. */
public final class ManualClock implements Ticker, Scheduler {

    private long now = 1_000_000_000L;
    private final List<Task> tasks = new ArrayList<>();

    private final class Task implements Timer {
        final long due;
        final Runnable runnable;
        boolean cancelled;

        Task(long due, Runnable runnable) {
            this.due = due;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Timer schedule(long delayNanos, Runnable task) {
        Task t = new Task(now + delayNanos, task);
        tasks.add(t);
        return t;
    }

    /** Moves time forward, running every timer that falls due, in order. */
    public void advance(Duration duration) {
        long until;
        synchronized (this) {
            until = now + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.cancelled && t.due <= until)
                        .min(Comparator.comparingLong(t -> t.due)).orElse(null);
                if (next == null) {
                    now = until;
                    return;
                }
                tasks.remove(next);
                now = Math.max(now, next.due);
            }
            next.runnable.run();
        }
    }

    synchronized long pendingTimers() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
