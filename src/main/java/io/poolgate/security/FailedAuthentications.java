package io.poolgate.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Slows down guessing: each client address has a token bucket of failed authentications
 * ({@code burst}, refilled {@code per-minute}); while it is empty, the address's requests with
 * credentials get 429 before their credentials are looked at. Each address is logged at most
 * once a minute while it fails.
 */
final class FailedAuthentications {

    private static final Logger LOG = Logger.getLogger(FailedAuthentications.class);
    /** Addresses remembered at most; past it, addresses whose bucket is full again are forgotten. */
    private static final int MAX_ADDRESSES = 10_000;
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** One address's failures. */
    private static final class Source {
        final Bucket bucket;
        long loggedAt;
        long failures;

        Source(Bucket bucket) {
            this.bucket = bucket;
        }
    }

    private final int burst;
    private final int perMinute;
    private final TimeMeter clock;
    private final Map<String, Source> sources = new ConcurrentHashMap<>();

    FailedAuthentications(int burst, int perMinute, TimeMeter clock) {
        this.burst = burst;
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Seconds {@code address} must wait before presenting credentials again; 0 if it may now. */
    long waitSeconds(String address) {
        Source source = sources.get(address);
        if (source == null || source.bucket.getAvailableTokens() > 0) {
            return 0;
        }
        long nanos = source.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L));
    }

    /** Counts a failure of {@code address}, naming {@code reason} in the (rate-limited) log line. */
    void failed(String address, Refusal.Reason reason) {
        if (sources.size() >= MAX_ADDRESSES) {
            sources.values().removeIf(s -> s.bucket.getAvailableTokens() >= burst);
        }
        Source source = sources.computeIfAbsent(address, a -> new Source(Bucket.builder()
                .withCustomTimePrecision(clock)
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build()));
        source.bucket.tryConsume(1);
        long now = clock.currentTimeNanos();
        synchronized (source) {
            source.failures++;
            if (source.loggedAt == 0 || now - source.loggedAt >= LOG_EVERY_NANOS) {
                LOG.warnf("failed authentication from %s (%s); %d failure(s) from there since the last report, "
                        + "%d of %d allowed at once remain", address, reason.slug(), source.failures,
                        source.bucket.getAvailableTokens(), burst);
                source.loggedAt = now;
                source.failures = 0;
            }
        }
    }
}
