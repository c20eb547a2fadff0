package io.poolgate.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which commands a read-scope request may send: those whose flags, as the server itself reports
 * them in {@code COMMAND INFO}, include {@code readonly} (so {@code GET} and {@code EVAL_RO}, not
 * {@code SET} or {@code EVAL}). Asked of each node once per command name and remembered, so the list
 * is the server's, not a hand-kept one. Commands with subcommands (Redis 7's {@code CONFIG|GET}) are
 * judged by the subcommand's own flags.
 */
@jakarta.inject.Singleton
public final class ReadOnlyCommands {

    private static final int SUBCOMMANDS = 9; // Redis 7's COMMAND INFO entry: ..., tips, key specs, subcommands

    /** By node (pool and node name), by command name ({@code get}, {@code config|get}): readonly or not. */
    private final Map<String, Map<String, Boolean>> flags = new ConcurrentHashMap<>();

    /** For a read-scope request, {@link #check} on the lease's connection; nothing to check otherwise. */
    public CompletionStage<Void> checkIf(boolean readScope, io.poolgate.pool.Lease<RedisLink> lease,
            List<List<String>> commands) {
        return readScope ? check(lease.connection(), lease.pool() + "/" + lease.node().name(), commands)
                : CompletableFuture.completedFuture(null);
    }

    /**
     * Completes when every command of {@code commands} (each {@code [name, args...]}) is readonly on
     * {@code node}; fails with {@link WriteRefusedException} naming the first one that is not.
     */
    public CompletionStage<Void> check(RedisLink link, String node, List<List<String>> commands) {
        Map<String, Boolean> known = flags.computeIfAbsent(node, n -> new ConcurrentHashMap<>());
        Set<String> unknown = new LinkedHashSet<>();
        for (List<String> command : commands) {
            String name = name(command, known);
            if (!known.containsKey(name)) {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return verdict(commands, known);
        }
        return ask(link, unknown, known).compose(learned -> {
            // a container command learned just now may need its subcommand's flags as well
            Set<String> more = new LinkedHashSet<>();
            for (List<String> command : commands) {
                String name = name(command, known);
                if (!known.containsKey(name)) {
                    more.add(name);
                }
            }
            return more.isEmpty() ? Future.<Void>succeededFuture() : ask(link, more, known);
        }).toCompletionStage().thenCompose(ignored -> verdict(commands, known));
    }

    private static CompletionStage<Void> verdict(List<List<String>> commands, Map<String, Boolean> known) {
        for (List<String> command : commands) {
            String name = name(command, known);
            if (!Boolean.TRUE.equals(known.get(name))) {
                return CompletableFuture.failedFuture(new WriteRefusedException(name.toUpperCase(Locale.ROOT)
                        .replace('|', ' ')));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** {@code get}, or {@code config|get} once {@code config} is known to be a container. */
    private static String name(List<String> command, Map<String, Boolean> known) {
        String name = command.get(0).toLowerCase(Locale.ROOT);
        if (command.size() > 1 && known.containsKey(name + "|")) {
            return name + "|" + command.get(1).toLowerCase(Locale.ROOT);
        }
        return name;
    }

    private static Future<Void> ask(RedisLink link, Set<String> names, Map<String, Boolean> known) {
        Request request = Request.cmd(Command.COMMAND).arg("INFO");
        names.forEach(request::arg);
        return link.connection().send(request).map(reply -> {
            List<String> asked = new ArrayList<>(names);
            for (int i = 0; i < asked.size(); i++) {
                Response entry = i < reply.size() ? reply.get(i) : null;
                if (entry == null || entry.size() < 3) {
                    known.put(asked.get(i), false); // no such command: Redis will say so, we need not ask again
                    continue;
                }
                boolean readonly = false;
                for (Response flag : entry.get(2)) {
                    readonly |= "readonly".equalsIgnoreCase(flag.toString());
                }
                boolean container = entry.size() > SUBCOMMANDS && entry.get(SUBCOMMANDS) != null
                        && entry.get(SUBCOMMANDS).size() > 0;
                if (container) {
                    known.put(asked.get(i) + "|", false); // marks a container: judge its subcommands
                }
                known.put(asked.get(i), readonly && !container);
            }
            return null;
        });
    }
}
