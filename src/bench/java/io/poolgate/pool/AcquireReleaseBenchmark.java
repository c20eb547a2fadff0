package io.poolgate.pool;

import io.poolgate.topology.Node;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's hot path: acquire an idle connection and release it clean, with a connector that
 * completes at once. Beside it, the same cycle on an {@link ArrayBlockingQueue} of connections (the
 * simplest pool there is, like a Go buffered channel) as a reference measured in the same run.
 *
 * <p>Run: {@code ./mvnw -Pbench} (see bench/README.md). Use {@code -t 2} for two threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
@State(Scope.Benchmark)
public class AcquireReleaseBenchmark {

    static final int SIZE = 8;

    /** A connector whose connections exist at once and never need a reset. */
    static final class InstantConnector implements Connector<Object> {
        @Override
        public CompletionStage<Object> connect(Node node, Runnable onLost) {
            return CompletableFuture.completedFuture(new Object());
        }

        @Override
        public CompletionStage<Void> validate(Object connection) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> reset(Object connection) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> closeQuietly(Object connection) {
            return CompletableFuture.completedFuture(null);
        }
    }

    Pool<Object> pool;
    ArrayBlockingQueue<Object> queue;
    final Owner owner = new Owner("bench", "-");

    @Setup
    public void setUp() {
        Node node = new Node("primary", "fake://bench", Node.Role.PRIMARY, 1);
        PoolSettings settings = new PoolSettings("bench", node, new PoolSettings.Sizes(SIZE, SIZE, SIZE),
                Duration.ofSeconds(5), 1000,
                new ReusePolicy(Duration.ofMinutes(5), Duration.ZERO, 0, Duration.ofMinutes(5)), Duration.ZERO,
                BackendTimeouts.DEFAULT);
        Scheduler never = (delay, task) -> () -> { };
        pool = new Pool<>(settings, new InstantConnector(), Ticker.SYSTEM, never);
        pool.warmUp().toCompletableFuture().join();
        queue = new ArrayBlockingQueue<>(SIZE);
        for (int i = 0; i < SIZE; i++) {
            queue.add(new Object());
        }
    }

    @TearDown
    public void tearDown() {
        pool.close(Duration.ZERO);
    }

    @Benchmark
    public Object poolAcquireRelease() {
        Lease<Object> lease = pool.acquire(owner).toCompletableFuture().join();
        Object connection = lease.connection();
        lease.release(Outcome.CLEAN);
        return connection;
    }

    @Benchmark
    public Object queuePollOffer() throws InterruptedException {
        Object connection = queue.take();
        queue.put(connection);
        return connection;
    }
}
