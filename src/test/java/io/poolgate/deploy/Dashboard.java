package io.poolgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Grafana dashboard's JSON model, read for its panels, queries and template variables. */
final class Dashboard {

    static final Path FILE = Path.of("deploy", "grafana", "poolgate-dashboard.json");

    private final JsonNode root;

    private Dashboard(JsonNode root) {
        this.root = root;
    }

    static Dashboard load() {
        return parse(Manifests.read(FILE));
    }

    static Dashboard parse(String json) {
        try {
            return new Dashboard(new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode root() {
        return root;
    }

    /** Every panel, rows included, and the panels nested in collapsed rows. */
    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        collect(root.path("panels"), panels);
        return panels;
    }

    private static void collect(JsonNode level, List<JsonNode> panels) {
        for (JsonNode panel : level) {
            panels.add(panel);
            collect(panel.path("panels"), panels);
        }
    }

    /** The PromQL of every panel query. */
    List<String> panelExpressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    expressions.add(target.get("expr").asText());
                }
            }
        }
        return expressions;
    }

    /** The queries of the query-type template variables (a string, or an object holding one). */
    List<String> variableQueries() {
        List<String> queries = new ArrayList<>();
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                queries.add(query.isObject() ? query.path("query").asText() : query.asText());
            }
        }
        return queries;
    }

    /** Panel expressions and variable queries. */
    List<String> allQueries() {
        List<String> all = new ArrayList<>(panelExpressions());
        all.addAll(variableQueries());
        return all;
    }

    JsonNode variable(String name) {
        for (JsonNode variable : root.path("templating").path("list")) {
            if (name.equals(variable.path("name").asText())) {
                return variable;
            }
        }
        throw new AssertionError("no template variable '" + name + "' in " + FILE);
    }
}
