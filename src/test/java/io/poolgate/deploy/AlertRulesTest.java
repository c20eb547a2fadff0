package io.poolgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped alert rules: valid for Prometheus, true to their unit tests (both by promtool), and
 * written against the metrics the gateway exports.
 */
final class AlertRulesTest {

    private static final List<String> ALERTS = List.of("PoolgateHighUtilization", "PoolgateLowReuse",
            "PoolgateConnectionCreationFailures", "PoolgatePoolExhausted", "PoolgateNodeDown", "PoolgateCircuitFlapping",
            "PoolgateScalingAtCeiling");

    static List<String> alerts() {
        return ALERTS;
    }

    @Test
    void rulesPassPromtoolCheck() throws IOException, InterruptedException {
        Promtool.Result result = Promtool.run("check", "rules", AlertRules.FILE.toString());
        assertEquals(0, result.exitCode(), () -> "promtool check rules failed:\n" + result.output());
    }

    @Test
    void rulesPassTheirPromtoolUnitTests() throws IOException, InterruptedException {
        Promtool.Result result = Promtool.run("test", "rules", AlertRules.TESTS.toString());
        assertEquals(0, result.exitCode(), () -> "promtool test rules failed:\n" + result.output());
    }

    @Test
    void theFiveAlertsOfTheSpecAreDefined() {
        Set<String> alerts = new TreeSet<>();
        AlertRules.rules().forEach(r -> alerts.add(String.valueOf(r.get("alert"))));
        assertTrue(alerts.containsAll(ALERTS), "alerts defined: " + alerts);
    }

    @Test
    void everyExpressionReadsOnlyExportedMetricFamilies() {
        for (Map<String, Object> rule : AlertRules.rules()) {
            Set<String> unknown = new TreeSet<>(PromQl.metricNames(Tree.string(rule, "expr")));
            unknown.removeAll(MetricFamilies.EXPORTED);
            assertEquals(Set.of(), unknown, () -> rule.get("alert") + " reads metrics the gateway does not export");
        }
    }

    @ParameterizedTest
    @MethodSource("alerts")
    void alertHasASeverity(String alert) {
        assertTrue(Set.of("warning", "critical").contains(Tree.string(AlertRules.alert(alert), "labels", "severity")));
    }

    @ParameterizedTest
    @MethodSource("alerts")
    void alertSummaryAndDescriptionNameThePool(String alert) {
        Map<String, Object> annotations = Tree.map(AlertRules.alert(alert), "annotations");
        for (String annotation : List.of("summary", "description")) {
            assertTrue(Tree.string(annotations, annotation).contains("{{ $labels.pool }}"),
                    alert + " " + annotation + " does not name the pool: " + annotations.get(annotation));
        }
    }

    @Test
    void nodeDownSummaryAndDescriptionNameTheNode() {
        Map<String, Object> annotations = Tree.map(AlertRules.alert("PoolgateNodeDown"), "annotations");
        for (String annotation : List.of("summary", "description")) {
            assertTrue(Tree.string(annotations, annotation).contains("{{ $labels.node }}"),
                    "PoolgateNodeDown " + annotation + " does not name the node: " + annotations.get(annotation));
        }
    }
}
