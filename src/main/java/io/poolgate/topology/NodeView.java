package io.poolgate.topology;

/**
 * What a balancing strategy knows of one node that can take the request.
 *
 * @param index         the node's position in its pool (stable; strategies keep state by it)
 * @param weight        the operator's relative share for weighted balancing, at least 1
 * @param inUse         connections lent (or being checked or reset) on the node
 * @param idle          connections ready to lend on the node
 * @param max           the node's maximum connections
 * @param latencyMillis EWMA request latency; 0 when nothing was measured yet
 * @param throughput    EWMA requests per second
 * @param errorRate     EWMA share of failed requests
 */
public record NodeView(int index, String name, int weight, int inUse, int idle, int max, double latencyMillis,
        double throughput, double errorRate) {
}
