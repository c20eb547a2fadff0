package io.poolgate.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each strategy's distribution, over the views of the nodes that can take the request. */
class StrategyTest {

    static NodeView node(int index, int weight, int inUse, int idle, double latency) {
        return new NodeView(index, "n" + index, weight, inUse, idle, 10, latency, 100, 0);
    }

    static Map<String, Integer> picks(Balancer balancer, List<NodeView> nodes, int times) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < times; i++) {
            counts.merge(balancer.pick(nodes).name(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void roundRobinIsEvenWithinOnePercentOver3000Picks() {
        Balancer balancer = new Balancer(3, Strategy.ROUND_ROBIN, PerformanceWeights.DEFAULT);
        List<NodeView> nodes = List.of(node(0, 1, 0, 1, 0), node(1, 5, 0, 1, 0), node(2, 1, 0, 1, 0));

        Map<String, Integer> counts = picks(balancer, nodes, 3000);

        for (String name : List.of("n0", "n1", "n2")) {
            assertEquals(1000, counts.get(name), 30, name + " gets a third (weights do not matter)");
        }
    }

    @Test
    void weightedRoundRobinSplitsOneToTwoWithoutBursts() {
        Balancer balancer = new Balancer(2, Strategy.WEIGHTED_ROUND_ROBIN, PerformanceWeights.DEFAULT);
        List<NodeView> nodes = List.of(node(0, 1, 0, 1, 0), node(1, 2, 0, 1, 0));
        List<String> sequence = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            sequence.add(balancer.pick(nodes).name());
        }

        long heavy = sequence.stream().filter("n1"::equals).count();
        assertEquals(2000, heavy, 30, "two thirds to the node of weight 2");
        int run = 0;
        int longest = 0;
        for (String name : sequence) {
            run = "n1".equals(name) ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        assertTrue(longest <= 2, "never more than 2 in a row to the heavy node, got " + longest);
    }

    @Test
    void leastConnectionsFollowsTheInUseCounts() {
        Balancer balancer = new Balancer(3, Strategy.LEAST_CONNECTIONS, PerformanceWeights.DEFAULT);

        assertEquals("n1", balancer.pick(List.of(node(0, 1, 4, 0, 0), node(1, 1, 1, 0, 0), node(2, 1, 3, 0, 0))).name());
        assertEquals("n2", balancer.pick(List.of(node(0, 1, 4, 0, 0), node(1, 1, 5, 0, 0), node(2, 1, 3, 0, 0))).name());
    }

    @Test
    void leastConnectionsBreaksTiesByIdleThenInTurn() {
        Balancer balancer = new Balancer(3, Strategy.LEAST_CONNECTIONS, PerformanceWeights.DEFAULT);
        assertEquals("n2", balancer.pick(List.of(node(0, 1, 2, 0, 0), node(1, 1, 2, 1, 0), node(2, 1, 2, 3, 0))).name());

        Map<String, Integer> counts = picks(balancer, List.of(node(0, 1, 0, 1, 0), node(1, 1, 0, 1, 0),
                node(2, 1, 0, 1, 0)), 300);
        assertEquals(Map.of("n0", 100, "n1", 100, "n2", 100), counts, "a quiet pool still spreads its work");
    }

    /** A node under load: with the same requests in flight, throughput is in-flight / latency (Little's law). */
    static NodeView loaded(int index, double latencyMillis) {
        return new NodeView(index, "n" + index, 1, 2, 2, 10, latencyMillis, 2 / (latencyMillis / 1000), 0);
    }

    @Test
    void performanceBasedMovesLoadAwayFromANodeWhoseLatencyTriplesAndBackWhenItRecovers() {
        Balancer balancer = new Balancer(2, Strategy.PERFORMANCE_BASED, PerformanceWeights.DEFAULT);
        Map<String, Integer> even = picks(balancer, List.of(loaded(0, 5), loaded(1, 5)), 1000);
        assertEquals(500, even.get("n1"), 10, "equal nodes share equally");

        Map<String, Integer> slow = picks(balancer, List.of(loaded(0, 5), loaded(1, 15)), 1000);
        assertTrue(slow.get("n1") < 400, "the node three times slower gets clearly less: " + slow);
        assertTrue(slow.get("n1") > 100, "but is still sampled, so its recovery is seen: " + slow);

        Map<String, Integer> recovered = picks(balancer, List.of(loaded(0, 5), loaded(1, 5)), 1000);
        assertEquals(500, recovered.get("n1"), 10, "and gets its share back when it recovers");
    }

    @Test
    void performanceScoresWeighEachFigure() {
        PerformanceWeights latencyOnly = new PerformanceWeights(1, 0, 0, 0);
        double[] scores = Strategy.scores(List.of(node(0, 1, 0, 0, 5), node(1, 1, 0, 0, 15)), latencyOnly);
        assertEquals(1.0, scores[0], 1e-9);
        assertEquals(1.0 / 3, scores[1], 1e-9);

        PerformanceWeights errorsOnly = new PerformanceWeights(0, 0, 1, 0);
        double[] byErrors = Strategy.scores(List.of(new NodeView(0, "a", 1, 0, 0, 10, 5, 100, 0.5),
                new NodeView(1, "b", 1, 0, 0, 10, 5, 100, 0)), errorsOnly);
        assertEquals(0.5, byErrors[0], 1e-9);
        assertEquals(1.0, byErrors[1], 1e-9);

        PerformanceWeights loadOnly = new PerformanceWeights(0, 0, 0, 1);
        double[] byLoad = Strategy.scores(List.of(node(0, 1, 9, 0, 5), node(1, 1, 0, 0, 5)), loadOnly);
        assertEquals(0.1, byLoad[0], 1e-9);
        assertEquals(1.0, byLoad[1], 1e-9);
    }

    @Test
    void anUnmeasuredNodeScoresLikeTheBest() {
        double[] scores = Strategy.scores(List.of(node(0, 1, 0, 0, 5), node(1, 1, 0, 0, 0)),
                new PerformanceWeights(1, 0, 0, 0));

        assertEquals(1.0, scores[1], 1e-9);
    }

    @Test
    void namesAreTheConfigurationSpelling() {
        assertEquals(Strategy.WEIGHTED_ROUND_ROBIN, Strategy.of("weighted_round_robin"));
        assertEquals(null, Strategy.of("random"));
        assertEquals("round_robin, least_connections, weighted_round_robin, performance_based", Strategy.ids());
    }
}
