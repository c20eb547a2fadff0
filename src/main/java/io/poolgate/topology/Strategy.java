package io.poolgate.topology;

import java.util.List;
import java.util.Locale;

/**
 * How a pool picks the node for each acquisition. Each strategy is a function over the
 * {@link NodeView}s of the nodes that can take the request; the little state two of them need (a
 * counter, the smooth weighted round robin's current weights) is passed in by the {@link Balancer}.
 */
public enum Strategy {
    /** Each node in turn. */
    ROUND_ROBIN,
    /** The node with the fewest connections in use; ties go to the one with more idle, then in turn. */
    LEAST_CONNECTIONS,
    /** Each node in proportion to its weight, spread out (nginx's smooth weighted round robin: no bursts). */
    WEIGHTED_ROUND_ROBIN,
    /** Each node in proportion to a score from its latency, throughput, error rate and in-flight load. */
    PERFORMANCE_BASED;

    /** The configuration and API spelling: {@code round_robin}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The strategy spelled {@code id}; null if there is none. */
    public static Strategy of(String id) {
        for (Strategy strategy : values()) {
            if (strategy.id().equals(id)) {
                return strategy;
            }
        }
        return null;
    }

    public static String ids() {
        return String.join(", ", java.util.Arrays.stream(values()).map(Strategy::id).toList());
    }

    static NodeView roundRobin(List<NodeView> nodes, long tick) {
        return nodes.get((int) Math.floorMod(tick, (long) nodes.size()));
    }

    static NodeView leastConnections(List<NodeView> nodes, long tick) {
        int n = nodes.size();
        NodeView best = null;
        int start = (int) Math.floorMod(tick, (long) n); // ties rotate, so an idle pool still spreads its work
        for (int k = 0; k < n; k++) {
            NodeView node = nodes.get((start + k) % n);
            if (best == null || node.inUse() < best.inUse()
                    || node.inUse() == best.inUse() && node.idle() > best.idle()) {
                best = node;
            }
        }
        return best;
    }

    /**
     * nginx's smooth weighted round robin: every node's current weight grows by its weight, the
     * largest is picked and loses the total. Over a cycle each node is picked in proportion to its
     * weight, interleaved (weights 1:2 give B A B B A B ..., never a burst).
     */
    static NodeView smoothWeighted(List<NodeView> nodes, double[] weights, double[] current) {
        double total = 0;
        int best = -1;
        for (int k = 0; k < nodes.size(); k++) {
            int i = nodes.get(k).index();
            current[i] += weights[k];
            total += weights[k];
            if (best < 0 || current[i] > current[nodes.get(best).index()]) {
                best = k;
            }
        }
        current[nodes.get(best).index()] -= total;
        return nodes.get(best);
    }

    /** The operator's weights, as smooth weighted round robin takes them. */
    static double[] configuredWeights(List<NodeView> nodes) {
        double[] weights = new double[nodes.size()];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = nodes.get(k).weight();
        }
        return weights;
    }

    /**
     * Each node's score in (0, 1], higher is better: latency (the fastest node's latency over this
     * one's), throughput (this one's over the busiest one's), error rate (1 - rate) and in-flight load
     * (1 - in use / max), weighted. A node not measured yet scores like the best measured one, so
     * it gets its share and is measured. A floor of 1% keeps every node in the rotation: a node that
     * got slow keeps being sampled and wins its share back when it recovers.
     */
    static double[] scores(List<NodeView> nodes, PerformanceWeights w) {
        double fastest = Double.MAX_VALUE;
        double busiest = 0;
        for (NodeView node : nodes) {
            if (node.latencyMillis() > 0) {
                fastest = Math.min(fastest, node.latencyMillis());
            }
            busiest = Math.max(busiest, node.throughput());
        }
        double sum = w.latency() + w.throughput() + w.errorRate() + w.load();
        double[] scores = new double[nodes.size()];
        for (int k = 0; k < scores.length; k++) {
            NodeView node = nodes.get(k);
            double latency = node.latencyMillis() > 0 && fastest < Double.MAX_VALUE ? fastest / node.latencyMillis() : 1;
            double throughput = busiest > 0 ? node.throughput() / busiest : 1;
            double errors = 1 - Math.min(1, Math.max(0, node.errorRate()));
            double load = node.max() > 0 ? 1 - Math.min(1, (double) node.inUse() / node.max()) : 1;
            double score = (w.latency() * latency + w.throughput() * throughput + w.errorRate() * errors
                    + w.load() * load) / sum;
            scores[k] = Math.max(0.01, score);
        }
        return scores;
    }
}
