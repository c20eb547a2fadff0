package io.poolgate.neon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Neon SQL-over-HTTP body: {@code {"query": "...", "params": [...], "arrayMode": bool}}, or
 * {@code {"queries": [{query, params, arrayMode}, ...]}} for a transaction. Parameters become the
 * text PostgreSQL is given: strings as they are, null as SQL NULL, numbers and booleans as their
 * JSON text, objects as their JSON text (for json parameters), arrays as PostgreSQL array literals.
 * Unknown fields are ignored, as Neon's proxy does. Read with a streaming parser so numbers and
 * objects keep the exact text the client sent.
 */
record NeonRequest(List<Query> queries, boolean transaction) {

    /** Parameters one statement may have: the protocol counts them in 16 bits. */
    static final int MAX_PARAMS = 65_535;
    private static final JsonFactory JSON = new JsonFactory();
    private static final String EXAMPLE = "{\"query\": \"SELECT $1::int AS n\", \"params\": [\"1\"]}";

    /**
     * @param sql       one statement, with $1, $2, ... placeholders
     * @param params    each parameter's text, or null for NULL
     * @param arrayMode rows as arrays (true), as objects (false), or as the Neon-Array-Mode header says (null)
     */
    record Query(String sql, List<String> params, Boolean arrayMode) {
    }

    static NeonRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw NeonException.badRequest("request body is empty; expected JSON like " + EXAMPLE);
        }
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw NeonException.badRequest("expected a JSON object like " + EXAMPLE + ", got " + describe(first));
            }
            NeonRequest request = request(parser, body);
            if (parser.nextToken() != null) {
                throw NeonException.badRequest("unexpected content after the JSON object at " + where(parser));
            }
            return request;
        } catch (JsonParseException e) {
            throw NeonException.badRequest("malformed JSON at " + where(e.getProcessor()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw NeonException.badRequest("unreadable JSON: " + e.getMessage());
        }
    }

    private static NeonRequest request(JsonParser parser, byte[] body) throws IOException {
        List<Query> batch = null;
        QueryFields query = new QueryFields("");
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (name.equals("queries")) {
                batch = queries(parser, body);
            } else if (!query.read(name, parser, body)) {
                parser.skipChildren();
            }
        }
        if (query.sql != null) {
            // Neon reads a body with a query as one statement, whatever else it holds
            return new NeonRequest(List.of(query.toQuery()), false);
        }
        if (batch != null) {
            return new NeonRequest(batch, true);
        }
        throw NeonException.badRequest("the body has neither 'query' nor 'queries'; expected JSON like " + EXAMPLE);
    }

    private static List<Query> queries(JsonParser parser, byte[] body) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw NeonException.badRequest("'queries' must be an array of {query, params} objects, got "
                    + describe(parser.currentToken()));
        }
        List<Query> queries = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String where = "queries[" + queries.size() + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw NeonException.badRequest(where + " must be a {query, params} object, got "
                        + describe(parser.currentToken()));
            }
            QueryFields query = new QueryFields(where + ".");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (!query.read(name, parser, body)) {
                    parser.skipChildren();
                }
            }
            if (query.sql == null) {
                throw NeonException.badRequest(where + " has no 'query'");
            }
            queries.add(query.toQuery());
        }
        return queries;
    }

    /** The fields of one {@code {query, params, arrayMode}} object, read one by one. */
    private static final class QueryFields {
        private final String prefix; // where the object is, for error messages: "" or "queries[2]."
        private String sql;
        private List<String> params = List.of();
        private Boolean arrayMode;

        QueryFields(String prefix) {
            this.prefix = prefix;
        }

        /** Reads the value of field {@code name} if it is a query's; false for any other field. */
        boolean read(String name, JsonParser parser, byte[] body) throws IOException {
            switch (name) {
                case "query" -> sql = sql(parser, prefix + "query");
                case "params" -> params = params(parser, body, prefix + "params");
                case "arrayMode" -> arrayMode = arrayMode(parser, prefix + "arrayMode");
                default -> {
                    return false;
                }
            }
            return true;
        }

        Query toQuery() {
            return new Query(sql, params, arrayMode);
        }
    }

    private static String sql(JsonParser parser, String where) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw NeonException.badRequest("'" + where + "' must be a string, got " + describe(parser.currentToken()));
        }
        String sql = parser.getText();
        if (sql.indexOf('\0') >= 0) {
            throw NeonException.badRequest("'" + where + "' contains a NUL character, which PostgreSQL cannot receive");
        }
        return sql;
    }

    private static Boolean arrayMode(JsonParser parser, String where) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw NeonException.badRequest("'" + where + "' must be true or false, got "
                    + describe(parser.currentToken()));
        };
    }

    private static List<String> params(JsonParser parser, byte[] body, String where) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw NeonException.badRequest("'" + where + "' must be an array, got " + describe(parser.currentToken()));
        }
        List<String> params = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (params.size() == MAX_PARAMS) {
                throw NeonException.badRequest("'" + where + "' has more than " + MAX_PARAMS
                        + " parameters, the most a PostgreSQL statement takes");
            }
            params.add(switch (parser.currentToken()) {
                case VALUE_NULL -> null;
                case VALUE_STRING -> parser.getText();
                case VALUE_TRUE, VALUE_FALSE, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
                case START_OBJECT -> rawJson(parser, body);
                case START_ARRAY -> arrayLiteral(parser, body);
                default -> throw NeonException.badRequest("'" + where + "' holds " + describe(parser.currentToken()));
            });
        }
        return params;
    }

    /** The object's JSON exactly as the client wrote it. */
    private static String rawJson(JsonParser parser, byte[] body) throws IOException {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getByteOffset();
        return new String(body, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * A JSON array as a PostgreSQL array literal: {@code ["a", null, 1, [true]]} is
     * {@code {"a",NULL,1,{true}}}, strings quoted with {@code "} and {@code \} escaped by a backslash,
     * objects quoted as their JSON text. PostgreSQL parses it with the element type's input function.
     */
    private static String arrayLiteral(JsonParser parser, byte[] body) throws IOException {
        StringBuilder literal = new StringBuilder("{");
        boolean first = true;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (!first) {
                literal.append(',');
            }
            first = false;
            switch (parser.currentToken()) {
                case VALUE_NULL -> literal.append("NULL");
                case VALUE_TRUE, VALUE_FALSE, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> literal.append(parser.getText());
                case VALUE_STRING -> quote(literal, parser.getText());
                case START_OBJECT -> quote(literal, rawJson(parser, body));
                case START_ARRAY -> literal.append(arrayLiteral(parser, body));
                default -> throw NeonException.badRequest("an array parameter holds " + describe(parser.currentToken()));
            }
        }
        return literal.append('}').toString();
    }

    private static void quote(StringBuilder literal, String text) {
        literal.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                literal.append('\\');
            }
            literal.append(c);
        }
        literal.append('"');
    }

    private static String where(JsonParser parser) {
        if (parser == null) {
            return "an unknown position";
        }
        var location = parser.currentLocation();
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
