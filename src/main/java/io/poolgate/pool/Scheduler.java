package io.poolgate.pool;

/** Runs a task once after a delay; the pool uses it for acquire timeouts. Tests fire timers by hand. */
@FunctionalInterface
public interface Scheduler {

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Timer {
        /** Best effort: the task may already be running. */
        void cancel();
    }

    Timer schedule(long delayNanos, Runnable task);
}
