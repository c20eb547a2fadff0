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

        /**
         * How long one SQL statement may run; unset: 60s. Set as PostgreSQL's {@code statement_timeout}
         * on every connection, and held by the gateway too: a statement not answered by then plus
         * {@code deadline-grace} is cancelled and answered with a 504 (a frozen server enforces nothing).
         */
        Optional<Duration> statementTimeout();

        /** How long one Redis command may take before the gateway answers 504 and closes its connection. */
        @WithDefault("10s")
        Duration commandTimeout();

        /**
         * Redis: whether stateless commands of concurrent requests share a few connections, pipelined
         * (one per event loop and node); blocking, transactional and state-changing commands, pipelines
         * and sessions keep connections of their own. Ignored by PostgreSQL pools.
         */
        @WithDefault("true")
        boolean multiplex();

        /**
         * The margin past a statement's timeout before the gateway acts on its own: it sends a cancel
         * request and answers 504; if the backend has still not answered one more grace later, the
         * connection is closed.
         */
        @WithDefault("1s")
        Duration deadlineGrace();

        /** How long opening a connection (TCP, TLS, authentication, init SQL) may take before it is abandoned. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** How long the check of a connection idle for a while may take before it is closed and replaced. */
        @WithDefault("2s")
        Duration validationTimeout();

        /** How long the reset of a used connection may take before it is closed and replaced. */
        @WithDefault("5s")
        Duration resetTimeout();

        /** How the pool picks a node for each request. */
        BalancerConfig balancer();

        /** Load-driven sizing of each node's engine (off by default: sizes move only by hand). */
        AutoscalingConfig autoscaling();

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

    /** Node health probing and the circuit breaker it feeds. */
    interface HealthConfig {

        /** Time between two probes of a node. */
        @WithDefault("10s")
        Duration interval();

        /** A probe not answered within this time counts as failed. */
        @WithDefault("2s")
        Duration timeout();

        /** A probe answered later than this counts as failed too (a node too slow to be worth using). */
        @WithDefault("1s")
        Duration maxLatency();

        /** Consecutive failures (probes, or requests whose connection broke) that open a node's circuit. */
        @WithDefault("3")
        int failureThreshold();

        /** Consecutive successful trial probes that close a half-open circuit again. */
        @WithDefault("2")
        int recoveryThreshold();

        /** How long an open circuit waits before its first trial probe; doubled on each failed trial. */
        @WithDefault("5s")
        Duration openWait();

        /** The cap of the doubling open wait. */
        @WithDefault("60s")
        Duration maxOpenWait();
    }

    /**
     * The scaler. Policies are keyed {@code utilization}, {@code waiters}, {@code request-rate} and
     * {@code acquire-latency} under {@code policies}; the short form (the thresholds, increments and
     * sustain directly under {@code autoscaling}) configures the utilization policy. With neither,
     * the utilization policy's defaults apply: above 0.8 for 30 s adds 5, below 0.3 removes 2.
     */
    interface AutoscalingConfig {

        /** Whether the scaler sizes this pool; when on, a node's engine grows only as far as its target. */
        @WithDefault("false")
        boolean enabled();

        /** How often each node's load is sampled and a decision made. */
        @WithDefault("1s")
        Duration sampleInterval();

        /** The least time between two scaling actions (a manual scale counts as one). */
        @WithDefault("30s")
        Duration cooldown();

        /**
         * PostgreSQL only: the share of the server's {@code max_connections} kept free for other
         * clients; the scaler never grows a node's engine into it.
         */
        @WithDefault("0.1")
        double serverHeadroom();

        /** Short form: the utilization policy's scale-up threshold (0..1). */
        Optional<Double> scaleUpThreshold();

        /** Short form: the utilization policy's scale-down threshold (0..1). */
        Optional<Double> scaleDownThreshold();

        /** Short form: connections added by the utilization policy. */
        Optional<Integer> scaleUpIncrement();

        /** Short form: connections removed by the utilization policy. */
        Optional<Integer> scaleDownIncrement();

        /** Short form: how long the utilization policy's condition must hold. */
        Optional<Duration> sustain();

        /** Policies by metric: {@code utilization}, {@code waiters}, {@code request-rate}, {@code acquire-latency}. */
        Map<String, PolicyConfig> policies();
    }

    /**
     * One scaling policy. Thresholds are in the metric's unit: utilization 0..1, waiters a count,
     * request-rate acquisitions per second, acquire-latency the p95 wait in milliseconds.
     */
    interface PolicyConfig {

        /** Above this for {@code sustain}: grow. */
        double scaleUpThreshold();

        /** Below this for {@code sustain} (and every other policy below its own): shrink. */
        double scaleDownThreshold();

        /** Connections added when growing. */
        @WithDefault("1")
        int scaleUpIncrement();

        /** Connections removed when shrinking. */
        @WithDefault("1")
        int scaleDownIncrement();

        /** How long the condition must hold. */
        @WithDefault("30s")
        Duration sustain();
    }

    /** Load balancing over a pool's nodes (switchable at run time: {@code PUT /api/v1/pools/{pool}/balancer}). */
    interface BalancerConfig {

        /** {@code round_robin}, {@code least_connections}, {@code weighted_round_robin} or {@code performance_based}. */
        @WithDefault("round_robin")
        String strategy();

        /** The weights of the performance-based score. */
        PerformanceConfig performance();
    }

    /** How much each figure counts in the performance-based score; each >= 0, not all 0. */
    interface PerformanceConfig {

        /** Weight of EWMA request latency (lower is better). */
        @WithDefault("0.4")
        double latency();

        /** Weight of throughput (requests completed per second). */
        @WithDefault("0.3")
        double throughput();

        /** Weight of the error rate (lower is better). */
        @WithDefault("0.2")
        double errorRate();

        /** Weight of in-flight load (connections in use over max; lower is better). */
        @WithDefault("0.1")
        double load();
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
