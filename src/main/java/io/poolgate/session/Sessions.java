package io.poolgate.session;

import io.poolgate.config.ConfigValidator;
import io.poolgate.config.PoolgateConfig;
import io.poolgate.pool.Lease;
import io.poolgate.pool.Outcome;
import io.poolgate.pool.Owner;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.RoleLogin;
import io.poolgate.topology.Route;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Every open session lease: opened over HTTP, used one request at a time, released by the client
 * or reclaimed (rolled back, reset, returned) when idle or too old. Ids carry 144 random bits.
 * Ended leases are remembered (the last 10,000) so a late request learns why, not just "404".
 */
@Singleton
public class Sessions {

    private static final Logger LOG = Logger.getLogger(Sessions.class);
    private static final int REMEMBERED = 10_000;

    private final PoolgateConfig config;
    private final Vertx vertx;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SessionLease> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pinnedByPool = new ConcurrentHashMap<>();
    /** Why a lease ended, told only to whoever held it. */
    private record Ended(String holder, String reason) {
    }

    private final Map<String, Ended> ended = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ended> eldest) {
            return size() > REMEMBERED;
        }
    });
    private long reclaimTimer = -1;

    Sessions(PoolgateConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        reclaimTimer = vertx.setPeriodic(config.housekeepingInterval().toMillis(), id -> reclaim());
    }

    /** Before the pools close (they stop at the default priority): every lease is rolled back and returned. */
    void stop(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        if (reclaimTimer >= 0) {
            vertx.cancelTimer(reclaimTimer);
        }
        List.copyOf(active.keySet()).forEach(id -> end(id, "released: the gateway is shutting down"));
    }

    /**
     * Pins a connection of {@code pool} to a new lease. {@code idleTimeout} and {@code maxLifetime}
     * are capped by the pool's configuration; null takes it.
     */
    public CompletionStage<SessionLease> open(Cluster<?> pool, Owner owner, SessionLease.Holder holder,
            Duration idleTimeout, Duration maxLifetime, Route route, RoleLogin login) {
        PoolgateConfig.PoolConfig poolConfig = config.pools().get(pool.name());
        int limit = ConfigValidator.sessionLimit(poolConfig);
        AtomicInteger pinned = pinnedByPool.computeIfAbsent(pool.name(), name -> new AtomicInteger());
        if (pinned.incrementAndGet() > limit) {
            pinned.decrementAndGet();
            throw new SessionException(SessionException.Kind.LIMIT, null, "pool '" + pool.name()
                    + "' already pins " + limit + " connection(s) to session leases (sessions.max=" + limit
                    + "); release one, or raise poolgate.pools." + pool.name() + ".sessions.max");
        }
        Duration idle = cap(idleTimeout, poolConfig.sessions().idleTimeout());
        Duration life = cap(maxLifetime, poolConfig.sessions().maxLifetime());
        return pool.acquire(owner, route, login).handle((lease, error) -> {
            if (error != null) {
                pinned.decrementAndGet();
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
            }
            lease.pin();
            SessionLease session = new SessionLease(newId(), pool, lease, idle, life, holder);
            lease.describe("session " + session.id());
            active.put(session.id(), session);
            LOG.debugf("session %s opened on pool '%s' node '%s' by %s", session.id(), pool.name(),
                    lease.node().name(), owner);
            return session;
        });
    }

    private static Duration cap(Duration wanted, Duration max) {
        return wanted == null || wanted.compareTo(max) > 0 ? max : wanted;
    }

    private String newId() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return "s_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The lease with {@code id} opened by {@code holder}; 404- or 410-style failure if there is none.
     * A lease someone else opened is unknown to {@code holder}, ended or not.
     */
    public SessionLease get(String id, String holder) {
        SessionLease session = active.get(id);
        if (session != null && session.heldBy(holder)) {
            return session;
        }
        Ended end = session == null ? ended.get(id) : null;
        if (end != null && java.util.Objects.equals(end.holder(), holder)) {
            throw new SessionException(SessionException.Kind.ENDED, id, "session " + id + " has ended: " + end.reason());
        }
        throw new SessionException(SessionException.Kind.UNKNOWN, id, "no session " + id
                + " (never opened here, or ended long ago)");
    }

    /** Runs {@code work} on the lease, unless another request is running on it (409-style failure). */
    public <R> CompletionStage<R> use(String id, String holder, Function<SessionLease, CompletionStage<R>> work) {
        SessionLease session = get(id, holder);
        if (!session.begin()) {
            throw new SessionException(SessionException.Kind.BUSY, id, "session " + id
                    + " is busy with another request; requests on a session run one at a time");
        }
        CompletionStage<R> running;
        try {
            running = work.apply(session);
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        return running.whenComplete((result, error) -> session.end());
    }

    /** Releases the lease: its connection is rolled back, reset and returned to the pool. */
    public void release(String id, String holder) {
        get(id, holder);
        end(id, "released by the client");
    }

    /**
     * Ends the lease because its connection broke or its backend stopped answering: the connection
     * is closed and replaced, and later requests on the lease get 410 with {@code reason}.
     */
    public void lose(String id, String reason) {
        SessionLease session = active.get(id);
        if (session != null) {
            LOG.infof("session %s on pool '%s' ended: %s", id, session.pool().name(), reason);
        }
        end(id, "lost: " + reason, Outcome.BROKEN);
    }

    private void end(String id, String reason) {
        end(id, reason, Outcome.DIRTY);
    }

    private void end(String id, String reason, Outcome outcome) {
        SessionLease session = active.remove(id);
        if (session == null) {
            return;
        }
        ended.put(id, new Ended(session.holder(), reason));
        pinnedByPool.get(session.pool().name()).decrementAndGet();
        Lease<?> lease = session.lease();
        lease.release(outcome);
        LOG.debugf("session %s on pool '%s' ended: %s", id, session.pool().name(), reason);
    }

    /** Housekeeping: leases idle past their timeout or past their lifetime are reclaimed. */
    void reclaim() {
        long now = System.nanoTime();
        for (SessionLease session : List.copyOf(active.values())) {
            String reason = session.reclaimReason(now);
            if (reason != null && session.begin()) { // never under a running request
                LOG.infof("session %s on pool '%s' %s", session.id(), session.pool().name(), reason);
                end(session.id(), reason);
            }
        }
    }
}
