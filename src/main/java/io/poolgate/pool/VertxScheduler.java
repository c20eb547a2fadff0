package io.poolgate.pool;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Timers on Vert.x's timer wheel (millisecond resolution, never blocking). */
public final class VertxScheduler implements Scheduler {

    private final Vertx vertx;

    public VertxScheduler(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos + 999_999));
        long id = vertx.setTimer(millis, ignored -> task.run());
        return () -> vertx.cancelTimer(id);
    }
}
