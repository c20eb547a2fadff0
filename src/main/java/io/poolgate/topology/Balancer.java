package io.poolgate.topology;

import java.util.List;

/**
 * Picks the node for each acquisition of one pool, by its {@link Strategy} (switchable at run
 * time, like its performance weights). Holds the strategies' state: a counter for the rotating
 * ones and the smooth weighted round robin's current weights, by node index.
 */
public final class Balancer {

    private volatile Strategy strategy;
    private volatile PerformanceWeights weights;
    // guarded by this
    private long tick;
    private final double[] current;

    public Balancer(int nodes, Strategy strategy, PerformanceWeights weights) {
        this.current = new double[nodes];
        this.strategy = strategy;
        this.weights = weights;
    }

    public Strategy strategy() {
        return strategy;
    }

    public PerformanceWeights weights() {
        return weights;
    }

    /** Switches strategy and weights; the weighted rotation starts afresh. */
    public synchronized void configure(Strategy strategy, PerformanceWeights weights) {
        this.strategy = strategy;
        this.weights = weights;
        java.util.Arrays.fill(current, 0);
    }

    /** One of {@code nodes} (never empty), by the strategy. */
    public synchronized NodeView pick(List<NodeView> nodes) {
        if (nodes.size() == 1) {
            return nodes.get(0);
        }
        return switch (strategy) {
            case ROUND_ROBIN -> Strategy.roundRobin(nodes, tick++);
            case LEAST_CONNECTIONS -> Strategy.leastConnections(nodes, tick++);
            case WEIGHTED_ROUND_ROBIN -> Strategy.smoothWeighted(nodes, Strategy.configuredWeights(nodes), current);
            case PERFORMANCE_BASED -> Strategy.smoothWeighted(nodes, Strategy.scores(nodes, weights), current);
        };
    }
}
