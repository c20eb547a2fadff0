package io.poolgate.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * poolgate's configuration: {@code poolgate.*} in {@code application.yaml}, every key overridable by
 * an environment variable (e.g. {@code POOLGATE_POOLS_MAIN_SIZE_MAX=50}).
 */
@ConfigMapping(prefix = "poolgate")
public interface PoolgateConfig {

    /** The pools, by name. The name is the {@code {pool}} segment of the API paths. */
    Map<String, PoolConfig> pools();

    /** How often each pool's housekeeping runs (idle and lifetime expiry, leak reports, top-up to min). */
    @WithDefault("1s")
    Duration housekeepingInterval();

    /** On shutdown, how long lent connections may take to come back before they are closed anyway. */
    @WithDefault("10s")
    Duration drainTimeout();

    /** Caps on what one request may return. */
    LimitsConfig limits();

    /** Result caps: past them a request gets a clear error instead of the gateway running out of memory. */
    interface LimitsConfig {

        /** Rows one request may return (all statements of a batch together). */
        @WithDefault("10000")
        long maxRows();

        /** Bytes of JSON rows one request may return. */
        @WithDefault("10M")
        MemorySize maxResponseBytes();
    }

    /** One pool of connections to one logical database. */
    interface PoolConfig {

        /** What the pool's nodes speak: {@code postgres} or {@code redis}. */
        Kind kind();

        /** The backend servers; at least one. */
        List<NodeConfig> nodes();

        /** Connection counts. */
        SizeConfig size();

        /** How long a request may wait for a free connection before it gets a 503. */
        @WithDefault("5s")
        Duration acquireTimeout();

        /** How many requests may wait for a connection at once; the next one gets a 503 at once. */
        @WithDefault("1000")
        int maxWaiters();

        /** When connections are checked, reset, retired and replaced. */
        ReuseConfig reuse();

        /** SQL run on every new PostgreSQL connection (and again after each reset), in order. */
        Optional<List<String>> initSql();

        /** PostgreSQL {@code statement_timeout} for every statement on this pool; unset: the server's default. */
        Optional<Duration> statementTimeout();

        /** A connection held longer than this is logged once with its owner and counted as a leak; 0 turns it off. */
        @WithDefault("60s")
        Duration leakThreshold();

        /** How the pool's nodes are probed ({@code SELECT 1} / {@code PING} on a connection of their own). */
        HealthConfig health();

        /** Whether readiness ({@code /q/health/ready}) is DOWN while this pool has no healthy node. */
        @WithDefault("true")
        boolean required();

        /** Session leases: connections pinned to one client across requests. */
        SessionsConfig sessions();
    }

    /** Session lease limits. */
    interface SessionsConfig {

        /**
         * How many connections session leases may pin at once; unset: half of {@code size.max}.
         * Must stay below {@code size.max} so leases never starve one-shot requests.
         */
        Optional<Integer> max();

        /** A lease unused for this long is reclaimed (rolled back, reset, returned); a request may ask for less. */
        @WithDefault("60s")
        Duration idleTimeout();

        /** A lease is reclaimed after this long whatever it does; a request may ask for less. */
        @WithDefault("15m")
        Duration maxLifetime();
    }

    /** Node health probing. */
    interface HealthConfig {

        /** Time between two probes of a node. */
        @WithDefault("10s")
        Duration interval();

        /** A probe not answered within this time counts as failed. */
        @WithDefault("2s")
        Duration timeout();
    }

    /** The kinds of backend. */
    enum Kind {
        POSTGRES, REDIS
    }

    /** One backend server. */
    interface NodeConfig {

        /** Unique name within the pool, used in logs, metrics and the status API. */
        String name();

        /**
         * Connection URL: {@code postgresql://user:password@host:port/database} or
         * {@code redis://[:password@]host:port[/db]}. The password is never logged or shown.
         */
        String url();

        /** {@code primary} (takes writes) or {@code replica} (read-only). */
        @WithDefault("primary")
        NodeRole role();

        /** Relative share of the load for weighted balancing, at least 1. */
        @WithDefault("1")
        int weight();
    }

    /** Node roles as written in configuration. */
    enum NodeRole {
        PRIMARY, REPLICA
    }

    /** Pool size bounds. */
    interface SizeConfig {

        /** Never fewer connections than this (kept open even when idle). */
        @WithDefault("2")
        int min();

        /** Never more connections than this. */
        @WithDefault("10")
        int max();

        /** Connections opened in parallel at start-up; unset: {@code min}. Must lie in [min, max]. */
        Optional<Integer> initial();
    }

    /** Reuse policy. */
    interface ReuseConfig {

        /** An idle connection above the pool's target size is closed after this long. */
        @WithDefault("300s")
        Duration idleTimeout();

        /** A connection is replaced after this long (minus up to 2.5% jitter); 0: never. */
        @WithDefault("3600s")
        Duration maxLifetime();

        /** A connection is replaced after this many borrows; 0: never. */
        @WithDefault("0")
        long maxUses();

        /**
         * Whether a connection whose session state may have changed is fully reset before reuse
         * (PostgreSQL: settings, role, temp tables, prepared statements, locks, LISTENs; Redis: RESET).
         * When false, only an open transaction is rolled back.
         */
        @WithDefault("true")
        boolean resetOnRelease();

        /** A connection idle longer than this is checked (SELECT 1 / PING) before it is lent; 0: always. */
        @WithName("validate-after-idle")
        @WithDefault("5s")
        Duration validateAfterIdle();
    }
}
