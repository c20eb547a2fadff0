package io.poolgate.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.poolgate.pool.FakeConnector.Conn;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Several threads borrow and return connections as fast as they can, with random broken, dirty
 * and abandoned (cancelled) borrows, while housekeeping runs; the pool's invariants are checked
 * throughout and everything must be back at the end.
 */
class PoolStressTest {

    static final int THREADS = 4;
    static final int ROUNDS = 20_000;

    @Test
    void invariantsHoldUnderConcurrentAcquireAndRelease() throws Exception {
        FakeConnector connector = FakeConnector.automatic();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        Scheduler scheduler = (delay, task) -> {
            var future = timers.schedule(task, delay, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
        PoolSettings settings = PoolTest.settings(2, 3, 2).withWaiting(Duration.ofSeconds(5), 1000)
                .withReuse(new ReusePolicy(Duration.ofMillis(1), Duration.ZERO, 500, Duration.ofMillis(1)));
        Pool<Conn> pool = new Pool<>(settings, connector, Ticker.SYSTEM, scheduler);
        pool.warmUp().toCompletableFuture().get(5, TimeUnit.SECONDS);

        Queue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong completed = new AtomicLong();
        Thread checker = new Thread(() -> {
            while (running.get()) {
                PoolSnapshot s = pool.snapshot();
                if (s.inUse() + s.idle() + s.connecting() != s.total() || s.total() > s.max() || s.inUse() < 0) {
                    violations.add("inconsistent sizes: " + s);
                }
                pool.maintain();
            }
        });
        checker.start();

        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        CountDownLatch done = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            workers.execute(() -> {
                try {
                    for (int i = 0; i < ROUNDS; i++) {
                        borrowOnce(pool, violations);
                        completed.incrementAndGet();
                    }
                } catch (Throwable e) {
                    violations.add("worker failed: " + e);
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(120, TimeUnit.SECONDS), "workers finished");
        running.set(false);
        checker.join();
        workers.shutdown();

        assertEquals(List.of(), violations.stream().limit(10).toList(), "first violations");
        assertEquals((long) THREADS * ROUNDS, completed.get());
        PoolSnapshot end = pool.snapshot();
        assertEquals(0, end.inUse(), "everything returned: " + end);
        assertEquals(0, end.waiting(), "nobody left waiting: " + end);
        assertTrue(end.total() <= 8);
        pool.close(Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        long open = connector.opened.stream().filter(c -> !c.closed).count();
        assertEquals(0, open, "every connection closed after shutdown");
        timers.shutdownNow();
    }

    private static void borrowOnce(Pool<Conn> pool, Queue<String> violations) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        CompletableFuture<Lease<Conn>> acquiring = pool.acquire(Owner.UNKNOWN).toCompletableFuture();
        if (random.nextInt(50) == 0 && acquiring.cancel(false)) {
            return; // the client hung up while waiting
        }
        Lease<Conn> lease;
        try {
            lease = acquiring.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.CancellationException e) {
            return;
        }
        Conn conn = lease.connection();
        synchronized (conn) {
            conn.borrowers++;
            if (conn.borrowers != 1) {
                violations.add(conn + " lent to " + conn.borrowers + " borrowers at once");
            }
            if (conn.closed) {
                violations.add(conn + " lent after it was closed");
            }
        }
        if (random.nextInt(4) == 0) {
            Thread.onSpinWait();
        }
        synchronized (conn) {
            conn.borrowers--;
        }
        int roll = random.nextInt(100);
        Outcome outcome = roll < 3 ? Outcome.BROKEN : roll < 10 ? Outcome.DIRTY : Outcome.CLEAN;
        lease.release(outcome);
        if (random.nextInt(1000) == 0) {
            try {
                lease.release(Outcome.CLEAN);
                fail("a second release must fail");
            } catch (IllegalStateException expected) {
                // releasing twice fails loudly and changes nothing
            }
        }
    }
}
