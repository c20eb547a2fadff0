package io.poolgate.upstash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.poolgate.redis.RedisCommands;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Upstash command bodies: {@code ["SET", "k", "v", "EX", 10]} for one command,
 * {@code [["SET", "k", "v"], ["GET", "k"]]} for a pipeline or a transaction. Arguments are JSON
 * strings, numbers or booleans; numbers and booleans become the text JavaScript makes of them
 * ({@code 10}, {@code 1e+21}, {@code false}), as the Upstash client and server do.
 */
@Singleton
final class UpstashCommands {

    private final ObjectReader reader;

    UpstashCommands(ObjectMapper mapper) {
        // floats as decimals: their nearest double is taken exactly, never through Java's own parsing quirks
        this.reader = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    }

    /**
     * A parsed command: its lower-case name, for the connection's outcome; its head (the name and
     * first argument, for the read scope's check of the server's command flags); and the request.
     */
    record Command(String name, List<String> head, Request request) {
    }

    Command command(byte[] body) {
        JsonNode command = parse(body, "[\"SET\", \"key\", \"value\"]");
        if (!command.isArray() || command.isEmpty()) {
            throw UpstashException.badRequest("a command is a non-empty JSON array, e.g. [\"SET\", \"key\", \"value\"]");
        }
        return command(command, "");
    }

    List<Command> commands(byte[] body) {
        JsonNode commands = parse(body, "[[\"SET\", \"key\", \"value\"], [\"GET\", \"key\"]]");
        if (!commands.isArray() || commands.isEmpty()) {
            throw UpstashException.badRequest("a pipeline is a non-empty JSON array of commands, e.g. "
                    + "[[\"SET\", \"key\", \"value\"], [\"GET\", \"key\"]]");
        }
        if (commands.size() > RedisCommands.MAX_PIPELINE) {
            throw UpstashException.badRequest("a pipeline has at most " + RedisCommands.MAX_PIPELINE
                    + " commands, got " + commands.size());
        }
        List<Command> parsed = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            JsonNode command = commands.get(i);
            String where = "command " + (i + 1) + ": ";
            if (!command.isArray() || command.isEmpty()) {
                throw UpstashException.badRequest(where + "a command is a non-empty JSON array, e.g. [\"GET\", \"key\"]");
            }
            parsed.add(command(command, where));
        }
        return parsed;
    }

    private static Command command(JsonNode command, String where) {
        List<String> words = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            words.add(word(command.get(i), where, i));
        }
        // refuses what would take over the connection (SUBSCRIBE, MONITOR, ...), and MULTI/EXEC outside multi-exec
        Request request = RedisCommands.request(words, false, where);
        return new Command(words.get(0).toLowerCase(Locale.ROOT), List.copyOf(words.subList(0, Math.min(2,
                words.size()))), request);
    }

    private static String word(JsonNode word, String where, int index) {
        if (word.isTextual()) {
            return word.textValue();
        }
        if (word.isBoolean()) {
            return word.booleanValue() ? "true" : "false";
        }
        if (word.isNumber()) {
            double value = word.doubleValue();
            if (!Double.isFinite(value)) {
                throw UpstashException.badRequest(where + "argument " + index + " (" + word + ") is beyond the range "
                        + "of a JavaScript number");
            }
            return JsNumbers.toString(value);
        }
        throw UpstashException.badRequest(where + "argument " + index + " must be a string, number or boolean, got "
                + word.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    private JsonNode parse(byte[] body, String example) {
        if (body == null || body.length == 0) {
            throw UpstashException.badRequest("request body is empty; expected JSON like " + example);
        }
        try {
            JsonNode node = reader.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw UpstashException.badRequest("request body is blank; expected JSON like " + example);
            }
            return node;
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw UpstashException.badRequest("malformed JSON" + (where == null ? "" : " at line " + where.getLineNr()
                    + ", column " + where.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw UpstashException.badRequest("unreadable JSON: " + e.getMessage());
        } catch (NumberFormatException e) {
            throw UpstashException.badRequest("unreadable JSON number: " + e.getMessage());
        }
    }
}
