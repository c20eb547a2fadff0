package io.poolgate.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.pool.Outcome;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Runs one Redis command on a leased connection and turns the reply into JSON-ready values. */
public final class RedisCommands {

    /** Commands that would take the connection out of request/reply mode or end it. */
    private static final Set<String> REFUSED = Set.of("subscribe", "psubscribe", "ssubscribe", "unsubscribe",
            "punsubscribe", "sunsubscribe", "monitor", "quit", "reset", "sync", "psync", "replconf");
    /** Commands that only make sense across several requests: a session lease or a pipeline. */
    private static final Set<String> MULTI_REQUEST = Set.of("multi", "exec", "discard", "watch", "unwatch");
    /** Commands that change the connection's state: it is reset before its next use. */
    private static final Set<String> STATEFUL = Set.of("select", "client", "auth", "hello", "readonly", "readwrite",
            "swapdb");

    private RedisCommands() {
    }

    /**
     * Builds the request for {@code ["SET", "k", "v"]}: a non-empty array of strings, numbers or
     * booleans. Fails with {@link CommandException} naming what is wrong.
     */
    public static Request request(JsonNode command) {
        if (command == null || !command.isArray() || command.isEmpty()) {
            throw new CommandException("a Redis command is a non-empty JSON array of strings, e.g. [\"GET\", \"key\"]");
        }
        List<String> words = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            JsonNode word = command.get(i);
            if (!(word.isTextual() || word.isNumber() || word.isBoolean())) {
                throw new CommandException("command element " + i + " must be a string or number, got "
                        + word.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            words.add(word.isTextual() ? word.textValue() : word.asText());
        }
        String name = words.get(0).toLowerCase(Locale.ROOT);
        if (name.isBlank()) {
            throw new CommandException("the command name (element 0) is empty");
        }
        if (REFUSED.contains(name)) {
            throw new CommandException(
                    "command " + name.toUpperCase(Locale.ROOT) + " is not allowed: it would take over the connection");
        }
        if (MULTI_REQUEST.contains(name)) {
            throw new CommandException("command " + name.toUpperCase(Locale.ROOT)
                    + " spans several commands: send them together to /pipeline?atomic=true");
        }
        Request request = Request.cmd(Command.create(words.get(0)));
        for (int i = 1; i < words.size(); i++) {
            request.arg(words.get(i));
        }
        return request;
    }

    public static CompletionStage<Object> send(RedisLink link, Request request) {
        return link.connection().send(request).map(RedisCommands::toJson).toCompletionStage();
    }

    /** The connection's state after {@code command} ran alone. */
    public static Outcome outcome(JsonNode command, Throwable error) {
        if (error != null && !isReplyError(error)) {
            return Outcome.BROKEN;
        }
        String name = command.get(0).asText().toLowerCase(Locale.ROOT);
        return STATEFUL.contains(name) ? Outcome.DIRTY : Outcome.CLEAN;
    }

    /** Whether the failure is an error reply from the server (the connection is fine). */
    public static boolean isReplyError(Throwable error) {
        return error instanceof io.vertx.redis.client.impl.types.ErrorType;
    }

    /** RESP2 replies as JSON values: bulk and simple strings, integers, arrays, null. */
    static Object toJson(Response response) {
        if (response == null) {
            return null;
        }
        ResponseType type = response.type();
        return switch (type) {
            case NUMBER -> response.toLong();
            case BOOLEAN -> response.toBoolean();
            case MULTI, PUSH, ATTRIBUTE -> {
                List<Object> list = new ArrayList<>(response.size());
                for (Response element : response) {
                    list.add(toJson(element));
                }
                yield list;
            }
            default -> response.toString();
        };
    }
}
