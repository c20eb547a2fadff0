package io.poolgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code {"sql": "SELECT $1::int", "params": [42]}}: one statement with positional parameters.
 *
 * @param sql    exactly one SQL statement
 * @param params values for {@code $1}, {@code $2}, ...
 */
record QueryRequest(String sql, List<JsonNode> params) {

    static final String EXAMPLE = "{\"sql\": \"SELECT $1::int AS n\", \"params\": [42]}";
    private static final Set<String> FIELDS = Set.of("sql", "params");
    static final int MAX_PARAMS = 65_535; // the PostgreSQL protocol's limit

    static QueryRequest from(JsonNode body) {
        JsonBodies.requireObject(body, FIELDS, EXAMPLE);
        JsonNode sql = body.get("sql");
        if (sql == null || sql.isNull()) {
            throw ProblemException.badRequest("field 'sql' is required, e.g. " + EXAMPLE);
        }
        if (!sql.isTextual()) {
            throw ProblemException.badRequest("field 'sql' must be a string, got " + JsonBodies.kind(sql));
        }
        if (sql.textValue().isBlank()) {
            throw ProblemException.badRequest("field 'sql' is empty");
        }
        JsonNode params = body.get("params");
        List<JsonNode> values = new ArrayList<>();
        if (params != null && !params.isNull()) {
            if (!params.isArray()) {
                throw ProblemException.badRequest("field 'params' must be an array of values for $1, $2, ..., got "
                        + JsonBodies.kind(params));
            }
            if (params.size() > MAX_PARAMS) {
                throw ProblemException.badRequest("field 'params' has " + params.size() + " values; at most "
                        + MAX_PARAMS + " are allowed");
            }
            params.forEach(values::add);
        }
        return new QueryRequest(sql.textValue(), values);
    }

    /** The statement shortened for logs and leak reports. */
    String summary() {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
    }
}
