package io.poolgate.upstash;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code upstash-sync-token} every answer carries, for the client's read-your-writes: it sends
 * the last token it got with its next request, and that request must not see a state older than
 * the write the token came with.
 *
 * <p>With one Redis node per pool this holds by itself: every request reads the only copy, after
 * every write the gateway has answered. A token is then just fresh: this gateway's random prefix and
 * a counter. A pool with several Redis nodes balances commands over them as independent servers,
 * so there a read may miss a write made through another node, token or not. Once Redis replicas
 * are routed, a token will name the primary's replication offset
 * after the request ({@code INFO replication}'s {@code master_repl_offset}, read on the same
 * connection right after the commands), and a request carrying one is served by a replica only once
 * that replica's {@code slave_repl_offset} has reached it, by the primary otherwise.
 */
@Singleton
final class SyncTokens {

    static final String HEADER = "upstash-sync-token";

    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    SyncTokens() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        this.prefix = HexFormat.of().formatHex(random) + "-";
    }

    String next() {
        return prefix + Long.toString(sequence.incrementAndGet(), 36);
    }
}
