package io.poolgate.deploy;

import java.util.Set;
import java.util.TreeSet;

/**
 * The metric families the gateway exports on {@code /q/metrics} (SPEC §3.9): the contract the
 * shipped alert rules and dashboard are written against. Names as PromQL sees them: counters with
 * their {@code _total}, histograms by their base name (their {@code _bucket}, {@code _count},
 * {@code _sum} and {@code _max} series belong to it).
 */
final class MetricFamilies {

    static final Set<String> GAUGES = Set.of(
            "poolgate_pool_connections", // {pool,kind,state=total|in_use|idle|connecting}
            "poolgate_pool_target_size",
            "poolgate_pool_min_size",
            "poolgate_pool_max_size",
            "poolgate_pool_waiters",
            "poolgate_pool_utilization", // 0..1
            "poolgate_pool_reuse_ratio", // 0..1
            "poolgate_pool_leases",
            "poolgate_node_healthy", // {pool,kind,node}, 0 or 1
            "poolgate_node_circuit_state", // {pool,kind,node}, 0 closed, 1 half open, 2 open
            "poolgate_node_draining", // {pool,kind,node}, 0 or 1
            "poolgate_node_connections", // {pool,kind,node,state=total|in_use|idle|connecting}
            "poolgate_scaling_at_ceiling", // {pool,kind,node}, 0 or 1 (pools with autoscaling only)
            "poolgate_redis_shared_connections", // {pool,kind} (Redis pools that multiplex)
            "poolgate_redis_multiplexed_in_flight"); // {pool,kind}

    static final Set<String> COUNTERS = Set.of(
            "poolgate_pool_operations_total", // {operation=create|acquire|release|destroy,result=success|error|timeout|rejected}
            "poolgate_leaks_total",
            "poolgate_breaker_transitions_total", // {pool,kind,node,from,to}
            "poolgate_scaling_events_total", // {pool,kind,direction=up|down,policy} (pools with autoscaling only)
            "poolgate_redis_multiplexed_commands_total", // {pool,kind} (Redis pools that multiplex)
            "poolgate_redis_multiplexed_overflow_total"); // {pool,kind}

    static final Set<String> HISTOGRAMS = Set.of(
            "poolgate_pool_acquire_seconds", // {pool,kind}
            "poolgate_request_seconds"); // {api,outcome}

    /** Every family, in one place: the list to replace with a scrape of the running gateway. */
    static final Set<String> EXPORTED = union(GAUGES, COUNTERS, HISTOGRAMS);

    private MetricFamilies() {
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
