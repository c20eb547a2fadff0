package io.poolgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * Parses request bodies into JSON trees with messages that say what is wrong and where, so no
 * input reaches the framework's generic error handling.
 */
@Singleton
final class JsonBodies {

    private final ObjectReader reader;

    JsonBodies(ObjectMapper mapper) {
        // numbers keep every digit the client sent: 1e400 and 0.1 are decimals, not Infinity and a double
        this.reader = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    JsonNode parse(byte[] body, String example) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("request body is empty; expected JSON like " + example);
        }
        try {
            JsonNode node = reader.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ProblemException.badRequest("request body is blank; expected JSON like " + example);
            }
            return node;
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw ProblemException.badRequest("malformed JSON" + (where == null ? "" : " at line " + where.getLineNr()
                    + ", column " + where.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("unreadable JSON: " + e.getMessage());
        } catch (NumberFormatException e) {
            // a number in valid JSON that no decimal can hold, such as 1e9999999999
            throw ProblemException.badRequest("unreadable JSON number: " + e.getMessage());
        }
    }

    /** Fails unless {@code node} is an object whose fields are all among {@code allowed}. */
    static void requireObject(JsonNode node, Set<String> allowed, String example) {
        if (!node.isObject()) {
            throw ProblemException.badRequest("expected a JSON object like " + example + ", got "
                    + kind(node));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ProblemException.badRequest("unknown field '" + name + "' (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
