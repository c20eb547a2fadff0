package io.poolgate.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One SQL statement with its positional parameters' JSON values.
 *
 * @param sql    exactly one statement
 * @param params values for {@code $1}, {@code $2}, ...
 */
public record Statement(String sql, List<JsonNode> params) {

    /** The statement shortened for logs and leak reports. */
    public String summary() {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
    }

    /** A lease's activity that costs nothing until a leak report or the status API reads it. */
    public Object activity() {
        return new Object() {
            @Override
            public String toString() {
                return summary();
            }
        };
    }
}
