package io.poolgate.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** deploy/prometheus/poolgate-alerts.yaml, parsed. */
final class AlertRules {

    static final Path FILE = Path.of("deploy", "prometheus", "poolgate-alerts.yaml");
    static final Path TESTS = Path.of("deploy", "prometheus", "poolgate-alerts.test.yaml");

    private AlertRules() {
    }

    /** Every rule of every group. */
    static List<Map<String, Object>> rules() {
        return Tree.list(Manifests.yaml(Manifests.read(FILE)), "groups").stream()
                .flatMap(group -> Tree.list(group, "rules").stream())
                .map(rule -> Tree.map(rule))
                .toList();
    }

    static Map<String, Object> alert(String name) {
        return rules().stream().filter(r -> name.equals(r.get("alert"))).findFirst()
                .orElseThrow(() -> new AssertionError("no alert " + name + " in " + FILE));
    }
}
