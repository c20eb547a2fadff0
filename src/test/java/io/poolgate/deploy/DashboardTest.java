package io.poolgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped Grafana dashboard: a query for every topic, only exported metrics, valid PromQL. */
final class DashboardTest {

    private static final String DATASOURCE = "${datasource}";

    /** Each panel topic and the shape of the query that shows it (whitespace collapsed to one space). */
    static Stream<Arguments> topics() {
        String acquireQuantile = "histogram_quantile\\(%s, ?sum by \\(le, pool\\) "
                + "\\(rate\\(poolgate_pool_acquire_seconds_bucket(\\{[^}]*\\})?\\[5m\\]\\)\\)\\)";
        return Stream.of(
                arguments("connections by state", "by \\([^)]*\\bstate\\b[^)]*\\) \\(poolgate_pool_connections\\b"),
                arguments("target size", "\\bpoolgate_pool_target_size\\b"),
                arguments("min size", "\\bpoolgate_pool_min_size\\b"),
                arguments("max size", "\\bpoolgate_pool_max_size\\b"),
                arguments("waiters", "\\bpoolgate_pool_waiters\\b"),
                arguments("operations rate by operation and result",
                        "by \\([^)]*\\boperation, result\\b[^)]*\\) \\(rate\\(poolgate_pool_operations_total\\b"),
                arguments("acquire latency p50", acquireQuantile.formatted("0\\.50?")),
                arguments("acquire latency p95", acquireQuantile.formatted("0\\.95")),
                arguments("acquire latency p99", acquireQuantile.formatted("0\\.99")),
                arguments("reuse ratio", "\\bpoolgate_pool_reuse_ratio\\b"),
                arguments("utilization", "\\bpoolgate_pool_utilization\\b"),
                arguments("node health", "\\bpoolgate_node_healthy\\b"),
                arguments("circuit state", "\\bpoolgate_node_circuit_state\\b"),
                arguments("draining nodes", "\\bpoolgate_node_draining\\b"),
                arguments("connections by node and state",
                        "by \\([^)]*\\bnode\\b[^)]*\\bstate\\b[^)]*\\) \\(poolgate_node_connections\\b"),
                arguments("breaker transitions", "\\b(rate|increase)\\(poolgate_breaker_transitions_total\\b"),
                arguments("scaling events", "\\b(rate|increase)\\(poolgate_scaling_events_total\\b"),
                arguments("held at the server's ceiling", "\\bpoolgate_scaling_at_ceiling\\b"),
                arguments("leaks", "\\b(rate|increase)\\(poolgate_leaks_total\\b"),
                arguments("HTTP request rate by api and outcome",
                        "by \\(api, outcome\\) \\(rate\\(poolgate_request_seconds_count\\b"),
                arguments("HTTP request latency by api and outcome",
                        "histogram_quantile\\([0-9.]+, ?sum by \\(le, api, outcome\\) \\(rate\\(poolgate_request_seconds_bucket\\b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void aPanelQueryShowsTopic(String topic, String shape) {
        Pattern pattern = Pattern.compile(shape);
        List<String> expressions = Dashboard.load().panelExpressions();
        assertTrue(expressions.stream().anyMatch(e -> pattern.matcher(e.replaceAll("\\s+", " ")).find()),
                "no panel query for " + topic + " (/" + shape + "/) among " + expressions);
    }

    @Test
    void everyQueryReadsOnlyExportedMetricFamilies() {
        for (String query : Dashboard.load().allQueries()) {
            Set<String> unknown = new TreeSet<>(PromQl.metricNames(query));
            unknown.removeAll(MetricFamilies.EXPORTED);
            assertEquals(Set.of(), unknown, () -> "the gateway does not export what this reads: " + query);
        }
    }

    @Test
    void panelQueriesAreValidPromQl(@TempDir Path dir) throws IOException, InterruptedException {
        // promtool parses rule files only: each query becomes a recording rule, Grafana's
        // variables replaced by what they expand to.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> expressions = Dashboard.load().panelExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            String expr = expressions.get(i).replace("$__rate_interval", "5m").replaceAll("\\$\\{?\\w+}?", ".*");
            rules.append("      - record: dashboard:query_").append(i).append('\n')
                    .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yaml"), rules);
        Promtool.Result result = Promtool.run("check", "rules", file.toString());
        assertEquals(0, result.exitCode(), () -> "promtool check rules failed:\n" + result.output() + "\n" + rules);
    }

    @Test
    void datasourceVariableChoosesAPrometheusDatasource() {
        JsonNode variable = Dashboard.load().variable("datasource");
        assertEquals(List.of("datasource", "prometheus"),
                List.of(variable.path("type").asText(), variable.path("query").asText()));
    }

    @Test
    void poolVariableListsThePoolsOfPoolgatePoolConnections() {
        JsonNode query = Dashboard.load().variable("pool").path("query");
        assertEquals("label_values(poolgate_pool_connections, pool)",
                query.isObject() ? query.path("query").asText() : query.asText());
    }

    @Test
    void everyPanelAndQueryUsesTheDatasourceVariable() {
        List<String> fixed = new ArrayList<>();
        for (JsonNode panel : Dashboard.load().panels()) {
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            if (!DATASOURCE.equals(panel.path("datasource").path("uid").asText())) {
                fixed.add(panel.path("title").asText());
            }
            for (JsonNode target : panel.path("targets")) {
                if (!DATASOURCE.equals(target.path("datasource").path("uid").asText())) {
                    fixed.add(panel.path("title").asText() + " / " + target.path("refId").asText());
                }
            }
        }
        assertEquals(List.of(), fixed, "panels or queries bound to a fixed datasource");
    }

    @Test
    void panelIdsAreUnique() {
        Set<Integer> seen = new HashSet<>();
        List<Integer> repeated = new ArrayList<>();
        for (JsonNode panel : Dashboard.load().panels()) {
            if (!seen.add(panel.path("id").asInt())) {
                repeated.add(panel.path("id").asInt());
            }
        }
        assertEquals(List.of(), repeated);
    }

    @Test
    void queriesOfPanelsInCollapsedRowsAreCollected() {
        Dashboard dashboard = Dashboard.parse("""
                {"panels": [
                  {"type": "timeseries", "targets": [{"expr": "top"}]},
                  {"type": "row", "collapsed": true, "panels": [
                    {"type": "timeseries", "targets": [{"expr": "nested"}, {"refId": "B"}]}]}],
                 "templating": {"list": [
                   {"name": "a", "type": "query", "query": "label_values(x, a)"},
                   {"name": "b", "type": "query", "query": {"query": "label_values(y, b)"}},
                   {"name": "datasource", "type": "datasource", "query": "prometheus"}]}}
                """);
        assertEquals(List.of("top", "nested", "label_values(x, a)", "label_values(y, b)"), dashboard.allQueries());
    }
}
