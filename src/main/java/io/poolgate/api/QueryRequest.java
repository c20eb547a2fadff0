package io.poolgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.postgres.PgStatements.Isolation;
import io.poolgate.postgres.RowMode;
import io.poolgate.postgres.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON bodies of the SQL endpoints, checked field by field with messages that name the field:
 * {@code {"sql", "params"?, "readOnly"?, "rowMode"?}} for one statement,
 * {@code {"statements": [{"sql", "params"?}], "isolation"?, "readOnly"?, "rowMode"?}} for a batch.
 */
final class QueryRequest {

    static final String EXAMPLE = "{\"sql\": \"SELECT $1::int AS n\", \"params\": [42]}";
    static final String BATCH_EXAMPLE = "{\"statements\": [{\"sql\": \"INSERT INTO t VALUES ($1)\", \"params\": [1]}]}";
    static final String SESSION_EXAMPLE = "{\"sql\": \"BEGIN\"}";
    static final int MAX_PARAMS = 65_535; // the PostgreSQL protocol's limit
    static final int MAX_STATEMENTS = 1_000;

    private static final Set<String> QUERY_FIELDS = Set.of("sql", "params", "readOnly", "rowMode");
    private static final Set<String> SESSION_FIELDS = Set.of("sql", "params", "rowMode");
    private static final Set<String> BATCH_FIELDS = Set.of("statements", "isolation", "readOnly", "rowMode");
    private static final Set<String> STATEMENT_FIELDS = Set.of("sql", "params");

    /** One statement with how to run it. */
    record Single(Statement statement, boolean readOnly, RowMode rowMode) {
    }

    /** Several statements for one transaction. */
    record Batch(List<Statement> statements, Isolation isolation, boolean readOnly, RowMode rowMode) {
    }

    private QueryRequest() {
    }

    static Single single(JsonNode body) {
        JsonBodies.requireObject(body, QUERY_FIELDS, EXAMPLE);
        return new Single(statement(body, ""), bool(body, "readOnly"), rowMode(body));
    }

    /** A statement on a session lease: transaction control is the client's, so no readOnly flag. */
    static Single onSession(JsonNode body) {
        JsonBodies.requireObject(body, SESSION_FIELDS, SESSION_EXAMPLE);
        return new Single(statement(body, ""), false, rowMode(body));
    }

    static Batch batch(JsonNode body) {
        JsonBodies.requireObject(body, BATCH_FIELDS, BATCH_EXAMPLE);
        JsonNode statements = body.get("statements");
        if (statements == null || statements.isNull()) {
            throw ProblemException.badRequest("field 'statements' is required, e.g. " + BATCH_EXAMPLE);
        }
        if (!statements.isArray()) {
            throw ProblemException.badRequest("field 'statements' must be an array of {sql, params} objects, got "
                    + JsonBodies.kind(statements));
        }
        if (statements.isEmpty()) {
            throw ProblemException.badRequest("field 'statements' is empty: a batch needs at least one statement");
        }
        if (statements.size() > MAX_STATEMENTS) {
            throw ProblemException.badRequest("field 'statements' has " + statements.size()
                    + " statements; at most " + MAX_STATEMENTS + " are allowed");
        }
        List<Statement> list = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            JsonNode statement = statements.get(i);
            String where = "statements[" + i + "].";
            if (!statement.isObject()) {
                throw ProblemException.badRequest("statements[" + i + "] must be an object like {\"sql\": \"...\"}, got "
                        + JsonBodies.kind(statement));
            }
            JsonBodies.requireObject(statement, STATEMENT_FIELDS, "{\"sql\": \"...\", \"params\": []}");
            list.add(statement(statement, where));
        }
        return new Batch(list, isolation(body), bool(body, "readOnly"), rowMode(body));
    }

    private static Statement statement(JsonNode body, String where) {
        JsonNode sql = body.get("sql");
        if (sql == null || sql.isNull()) {
            throw ProblemException.badRequest("field '" + where + "sql' is required, e.g. " + EXAMPLE);
        }
        if (!sql.isTextual()) {
            throw ProblemException.badRequest("field '" + where + "sql' must be a string, got " + JsonBodies.kind(sql));
        }
        if (sql.textValue().isBlank()) {
            throw ProblemException.badRequest("field '" + where + "sql' is empty");
        }
        if (sql.textValue().indexOf('\0') >= 0) {
            throw ProblemException.badRequest("field '" + where + "sql' contains a NUL character");
        }
        JsonNode params = body.get("params");
        List<JsonNode> values = new ArrayList<>();
        if (params != null && !params.isNull()) {
            if (!params.isArray()) {
                throw ProblemException.badRequest("field '" + where + "params' must be an array of values for $1, $2, "
                        + "..., got " + JsonBodies.kind(params));
            }
            if (params.size() > MAX_PARAMS) {
                throw ProblemException.badRequest("field '" + where + "params' has " + params.size()
                        + " values; at most " + MAX_PARAMS + " are allowed");
            }
            params.forEach(values::add);
        }
        return new Statement(sql.textValue(), values);
    }

    static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ProblemException.badRequest("field '" + field + "' must be true or false, got " + JsonBodies.kind(value));
        }
        return value.booleanValue();
    }

    private static RowMode rowMode(JsonNode body) {
        JsonNode value = body.get("rowMode");
        if (value == null || value.isNull()) {
            return RowMode.OBJECT;
        }
        if (value.isTextual()) {
            switch (value.textValue()) {
                case "object":
                    return RowMode.OBJECT;
                case "array":
                    return RowMode.ARRAY;
                default:
                    break;
            }
        }
        throw ProblemException.badRequest("field 'rowMode' must be \"object\" or \"array\", got " + value);
    }

    private static Isolation isolation(JsonNode body) {
        JsonNode value = body.get("isolation");
        if (value == null || value.isNull()) {
            return Isolation.READ_COMMITTED;
        }
        if (value.isTextual()) {
            String name = value.textValue().trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
            for (Isolation isolation : Isolation.values()) {
                if (isolation.name().equals(name)) {
                    return isolation;
                }
            }
        }
        throw ProblemException.badRequest(
                "field 'isolation' must be \"read committed\", \"repeatable read\" or \"serializable\", got " + value);
    }
}
