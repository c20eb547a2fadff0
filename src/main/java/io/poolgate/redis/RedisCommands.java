package io.poolgate.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.pool.Outcome;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.redis.client.impl.RequestImpl;
import io.vertx.redis.client.impl.types.ErrorType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs Redis commands on a leased connection: one, a pipeline (in order, not atomic), or a
 * MULTI/EXEC transaction; and turns replies into JSON-ready values (bulk strings as text, or as
 * base64 when the client asks for binary-safe values).
 */
public final class RedisCommands {

    /** Commands that would take the connection out of request/reply mode or end it. */
    private static final Set<String> REFUSED = Set.of("subscribe", "psubscribe", "ssubscribe", "unsubscribe",
            "punsubscribe", "sunsubscribe", "monitor", "quit", "reset", "sync", "psync", "replconf");
    /** Commands that only make sense across several commands: a session lease or an atomic pipeline. */
    private static final Set<String> MULTI_REQUEST = Set.of("multi", "exec", "discard", "watch", "unwatch");
    /** Commands that change the connection's state: it is reset before its next use. */
    private static final Set<String> STATEFUL = Set.of("select", "client", "auth", "hello", "readonly", "readwrite",
            "swapdb", "multi", "watch");
    public static final int MAX_PIPELINE = 1_000;

    /** How string replies become JSON. */
    public enum Strings {
        /** Every string as text. */
        TEXT,
        /** Bulk strings (values) as base64, status replies ({@code OK}) as text: poolgate's own API. */
        BULK_BASE64,
        /** Every string as base64, status replies too ({@code OK}, {@code PONG}, {@code QUEUED}): the Upstash format. */
        ALL_BASE64;

        static Strings of(boolean base64) {
            return base64 ? BULK_BASE64 : TEXT;
        }
    }

    private RedisCommands() {
    }

    /**
     * Builds the request for {@code ["SET", "k", "v"]}: a non-empty array of strings, numbers or
     * booleans. {@code inSession}: MULTI / EXEC / WATCH are allowed (the client holds the connection).
     */
    public static Request request(JsonNode command, boolean inSession) {
        return request(command, inSession, "");
    }

    private static Request request(JsonNode command, boolean inSession, String where) {
        if (command == null || !command.isArray() || command.isEmpty()) {
            throw new CommandException(where + "a Redis command is a non-empty JSON array of strings, e.g. [\"GET\", \"key\"]");
        }
        List<String> words = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            JsonNode word = command.get(i);
            if (!(word.isTextual() || word.isNumber() || word.isBoolean())) {
                throw new CommandException(where + "command element " + i + " must be a string or number, got "
                        + word.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            words.add(word.isTextual() ? word.textValue() : word.isBigDecimal() ? word.decimalValue().toPlainString()
                    : word.asText());
        }
        return request(words, inSession, where);
    }

    /**
     * Builds the request for a command already in words ({@code ["SET", "k", "v"]}), refusing what
     * would take over the connection; {@code where} prefixes error messages (e.g. {@code "commands[2]: "}).
     */
    public static Request request(List<String> words, boolean inSession, String where) {
        if (words.isEmpty()) {
            throw new CommandException(where + "a Redis command is a non-empty array of strings, e.g. [\"GET\", \"key\"]");
        }
        String name = words.get(0).toLowerCase(Locale.ROOT);
        if (name.isBlank()) {
            throw new CommandException(where + "the command name (element 0) is empty");
        }
        if (REFUSED.contains(name)) {
            throw new CommandException(where + "command " + name.toUpperCase(Locale.ROOT)
                    + " is not allowed: it would take over the connection");
        }
        if (!inSession && MULTI_REQUEST.contains(name)) {
            throw new CommandException(where + "command " + name.toUpperCase(Locale.ROOT)
                    + " spans several commands: use /pipeline?atomic=true, or a session lease");
        }
        Request request = Request.cmd(Command.create(words.get(0)));
        for (int i = 1; i < words.size(); i++) {
            request.arg(words.get(i));
        }
        return request;
    }

    /** {@code [["SET","a","1"], ["GET","a"]]}: up to {@link #MAX_PIPELINE} commands. */
    public static List<Request> pipeline(JsonNode commands) {
        if (commands == null || !commands.isArray() || commands.isEmpty()) {
            throw new CommandException("a pipeline is a non-empty JSON array of commands, e.g. "
                    + "[[\"SET\", \"k\", \"v\"], [\"GET\", \"k\"]]");
        }
        if (commands.size() > MAX_PIPELINE) {
            throw new CommandException("a pipeline has at most " + MAX_PIPELINE + " commands, got " + commands.size());
        }
        List<Request> requests = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            requests.add(request(commands.get(i), false, "commands[" + i + "]: "));
        }
        return requests;
    }

    public static CompletionStage<Object> send(RedisLink link, Request request, boolean base64) {
        return send(link, request, Strings.of(base64));
    }

    public static CompletionStage<Object> send(RedisLink link, Request request, Strings strings) {
        String refusal = arityError(request);
        if (refusal != null) {
            return CompletableFuture.failedFuture(new CommandException(refusal));
        }
        return link.connection().send(request).map(reply -> toJson(reply, strings)).toCompletionStage();
    }

    /**
     * Redis's own error for a known command with the wrong number of arguments, which the Vert.x
     * client refuses to send (with a message of its own); null when the request may be sent.
     */
    static String arityError(Request request) {
        if (request instanceof RequestImpl checked && !checked.valid()) {
            return "ERR wrong number of arguments for '" + request.command().toString().toLowerCase(Locale.ROOT)
                    + "' command";
        }
        return null;
    }

    /**
     * Sends every command before reading any reply (one round trip), in order, not atomic: each
     * gets {@code {"result": ...}} or {@code {"error": "..."}}.
     */
    public static CompletionStage<List<Map<String, Object>>> pipeline(RedisLink link, List<Request> requests,
            boolean base64) {
        return pipeline(link, requests, Strings.of(base64));
    }

    /** {@link #pipeline(RedisLink, List, boolean)} with the given string encoding. */
    public static CompletionStage<List<Map<String, Object>>> pipeline(RedisLink link, List<Request> requests,
            Strings strings) {
        List<Future<Response>> replies = new ArrayList<>(requests.size());
        for (Request request : requests) {
            String refusal = arityError(request);
            // a command Redis would refuse is answered with Redis's error, in its place
            replies.add(refusal == null ? link.connection().send(request)
                    : Future.failedFuture(new CommandException(refusal)));
        }
        return Future.join(new ArrayList<>(replies)).transform(ignored -> {
            List<Map<String, Object>> items = new ArrayList<>(replies.size());
            for (Future<Response> reply : replies) {
                if (reply.failed() && !isReplyError(reply.cause()) && !(reply.cause() instanceof CommandException)) {
                    return Future.failedFuture(reply.cause()); // the connection broke
                }
                items.add(item(reply.succeeded() ? reply.result() : null, reply.cause(), strings));
            }
            return Future.succeededFuture(items);
        }).toCompletionStage();
    }

    /**
     * MULTI, the commands, EXEC: all or nothing. A command Redis refuses while queueing aborts the
     * transaction ({@link TransactionAbortedException}); errors while executing are per command.
     */
    public static CompletionStage<List<Map<String, Object>>> transaction(RedisLink link, List<Request> requests,
            boolean base64) {
        return transaction(link, requests, Strings.of(base64));
    }

    /** {@link #transaction(RedisLink, List, boolean)} with the given string encoding. */
    public static CompletionStage<List<Map<String, Object>>> transaction(RedisLink link, List<Request> requests,
            Strings strings) {
        for (int i = 0; i < requests.size(); i++) {
            String refusal = arityError(requests.get(i));
            if (refusal != null) {
                // Redis would refuse it while queueing, and discard the transaction at EXEC
                return CompletableFuture.failedFuture(new TransactionAbortedException(i, refusal));
            }
        }
        List<Request> batch = new ArrayList<>(requests.size() + 2);
        batch.add(Request.cmd(Command.MULTI));
        batch.addAll(requests);
        batch.add(Request.cmd(Command.EXEC));
        List<Future<Response>> replies = new ArrayList<>(batch.size());
        for (Request request : batch) {
            replies.add(link.connection().send(request));
        }
        return Future.join(new ArrayList<>(replies)).transform(ignored -> {
            for (Future<Response> reply : replies) {
                if (reply.failed() && !isReplyError(reply.cause())) {
                    return Future.failedFuture(reply.cause());
                }
            }
            for (int i = 1; i <= requests.size(); i++) {
                if (replies.get(i).failed()) {
                    return Future.failedFuture(new TransactionAbortedException(i - 1,
                            replies.get(i).cause().getMessage()));
                }
            }
            Future<Response> exec = replies.get(replies.size() - 1);
            if (exec.failed()) {
                return Future.failedFuture(exec.cause());
            }
            List<Map<String, Object>> items = new ArrayList<>(requests.size());
            for (Response reply : exec.result()) {
                items.add(reply != null && reply.type() == ResponseType.ERROR ? item(null, (Throwable) reply, strings)
                        : item(reply, null, strings));
            }
            return Future.succeededFuture(items);
        }).toCompletionStage();
    }

    private static Map<String, Object> item(Response reply, Throwable error, Strings strings) {
        Map<String, Object> item = new LinkedHashMap<>(2);
        if (error != null) {
            item.put("error", error.getMessage());
        } else {
            item.put("result", toJson(reply, strings));
        }
        return item;
    }

    /** The connection's state after {@code commands} ran. */
    public static Outcome outcome(List<String> commandNames, Throwable error) {
        if (error != null && !isReplyError(error) && !(error instanceof TransactionAbortedException)
                && !(error instanceof CommandException) && !(error instanceof WriteRefusedException)) {
            return Outcome.BROKEN;
        }
        return commandNames.stream().anyMatch(STATEFUL::contains) ? Outcome.DIRTY : Outcome.CLEAN;
    }

    /** Lower-case command names, for {@link #outcome}. */
    public static List<String> names(JsonNode commands, boolean single) {
        List<String> names = new ArrayList<>();
        if (single) {
            names.add(commands.get(0).asText().toLowerCase(Locale.ROOT));
        } else {
            commands.forEach(c -> names.add(c.get(0).asText().toLowerCase(Locale.ROOT)));
        }
        return names;
    }

    /** Each command's name and first argument (a subcommand, for {@link ReadOnlyCommands}). */
    public static List<List<String>> heads(JsonNode commands, boolean single) {
        List<List<String>> heads = new ArrayList<>();
        Iterable<JsonNode> each = single ? List.of(commands) : commands;
        for (JsonNode command : each) {
            List<String> head = new ArrayList<>(2);
            head.add(command.get(0).asText());
            if (command.size() > 1) {
                head.add(command.get(1).asText());
            }
            heads.add(head);
        }
        return heads;
    }

    /**
     * Whether the failure is an error reply from the server (the connection is fine). The client
     * fails commands pending on a connection that closed with an error of its own making,
     * {@code CONNECTION_CLOSED}: that one is a broken connection, not a reply.
     */
    public static boolean isReplyError(Throwable error) {
        return error instanceof ErrorType && !"CONNECTION_CLOSED".equals(error.getMessage());
    }

    /** RESP2 replies as JSON values: strings (or base64), integers, arrays, null. Errors are never encoded. */
    static Object toJson(Response response, Strings strings) {
        if (response == null) {
            return null;
        }
        return switch (response.type()) {
            case NUMBER -> response.toLong();
            case BOOLEAN -> response.toBoolean();
            case MULTI, PUSH, ATTRIBUTE -> {
                List<Object> list = new ArrayList<>(response.size());
                for (Response element : response) {
                    list.add(toJson(element, strings));
                }
                yield list;
            }
            case ERROR -> response.toString();
            case BULK -> strings == Strings.TEXT ? response.toString()
                    : Base64.getEncoder().encodeToString(response.toBytes());
            default -> strings == Strings.ALL_BASE64
                    ? Base64.getEncoder().encodeToString(response.toString().getBytes(StandardCharsets.UTF_8))
                    : response.toString();
        };
    }
}
