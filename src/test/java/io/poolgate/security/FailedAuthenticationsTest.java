package io.poolgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bucket4j.TimeMeter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-address limit on failed authentications, on a clock the test moves. */
class FailedAuthenticationsTest {

    /** A clock moved by hand. */
    static final class ManualTime implements TimeMeter {
        long nanos = TimeUnit.HOURS.toNanos(1);

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void advanceSeconds(long seconds) {
            nanos += TimeUnit.SECONDS.toNanos(seconds);
        }
    }

    final ManualTime clock = new ManualTime();
    final FailedAuthentications failures = new FailedAuthentications(3, 6, clock); // 6 per minute: one every 10 s

    @Test
    void anAddressMayFailUpToTheBurst() {
        failures.failed("10.0.0.1", Refusal.Reason.UNKNOWN_KEY);
        failures.failed("10.0.0.1", Refusal.Reason.UNKNOWN_KEY);
        assertEquals(0, failures.waitSeconds("10.0.0.1"));
    }

    @Test
    void pastTheBurstItWaitsForTheRefill() {
        for (int i = 0; i < 3; i++) {
            failures.failed("10.0.0.1", Refusal.Reason.UNKNOWN_KEY);
        }
        assertEquals(10, failures.waitSeconds("10.0.0.1"));
        clock.advanceSeconds(4); // 6 s to go
        assertEquals(6, failures.waitSeconds("10.0.0.1"));
        clock.advanceSeconds(6); // one failure forgiven
        assertEquals(0, failures.waitSeconds("10.0.0.1"));
    }

    @Test
    void otherAddressesAreNotSlowedDown() {
        for (int i = 0; i < 5; i++) {
            failures.failed("10.0.0.1", Refusal.Reason.MALFORMED_CREDENTIALS);
        }
        assertEquals(0, failures.waitSeconds("10.0.0.2"));
    }
}
