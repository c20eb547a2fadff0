package io.poolgate.topology;

import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.pool.ConnectionView;
import io.poolgate.pool.Lease;
import io.poolgate.pool.Owner;
import io.poolgate.pool.Pool;
import io.poolgate.pool.PoolSnapshot;
import io.poolgate.pool.PoolUnavailableException;
import io.poolgate.pool.PoolUnavailableException.Reason;
import io.poolgate.pool.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A logical pool: one engine per node, a {@link Balancer} that picks the node for each
 * acquisition, and a breaker per node ({@link Member}). Sizes apply per node, as the server's
 * {@code max_connections} does.
 *
 * <p>An acquisition goes to the nodes that can take it: writes to available primaries; reads to
 * available replicas, else to available primaries. When the picked node turns out unable (drained
 * or opened meanwhile, nothing could be connected, its queue is full) the request moves on to
 * another node with what is left of its wait; when no node can take it at all, it fails at once
 * with {@link Reason#NO_NODE} instead of waiting out the acquire timeout.
 */
public final class Cluster<C> {

    private final String name;
    private final Kind kind;
    private final List<Member<C>> members;
    private final Balancer balancer;
    private final Duration acquireTimeout;
    private final Ticker ticker;

    Cluster(String name, Kind kind, List<Member<C>> members, Balancer balancer, Duration acquireTimeout,
            Ticker ticker) {
        this.name = name;
        this.kind = kind;
        this.members = List.copyOf(members);
        this.balancer = balancer;
        this.acquireTimeout = acquireTimeout;
        this.ticker = ticker;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public List<Member<C>> members() {
        return members;
    }

    public Balancer balancer() {
        return balancer;
    }

    /** The node named {@code node}; 404-style failure if the pool has none. */
    public Member<C> member(String node) {
        for (Member<C> member : members) {
            if (member.name().equals(node)) {
                return member;
            }
        }
        throw UnknownPoolException.unknownNode(name, node, members.stream().map(Member::name).toList());
    }

    /** Lends a connection of a node the route allows, picked by the balancer. Never blocks. */
    public CompletionStage<Lease<C>> acquire(Owner owner, Route route) {
        return acquire(owner, route, null);
    }

    /**
     * {@link #acquire(Owner, Route)} for a request whose SQL must run as a database role: a
     * connection that logged in as {@code login}'s role (null: the pool's own login).
     */
    public CompletionStage<Lease<C>> acquire(Owner owner, Route route, RoleLogin login) {
        if (members.size() == 1) {
            Member<C> only = members.get(0);
            if (only.available()) {
                return only.engine(login).acquire(owner); // the common case, with nothing to decide
            }
            return CompletableFuture.failedFuture(noNode(route));
        }
        Attempt attempt = new Attempt(owner, route, login);
        attempt.next(null);
        return attempt.result;
    }

    /**
     * The node the balancer picks for {@code route} now, without lending anything (for work that
     * shares a connection already lent, such as multiplexed Redis commands).
     *
     * @throws io.poolgate.pool.PoolUnavailableException when no node can take it
     */
    public Member<C> choose(Route route) {
        if (members.size() == 1) {
            Member<C> only = members.get(0);
            if (only.available()) {
                return only;
            }
            throw noNode(route);
        }
        List<Member<C>> candidates = candidates(route, List.of());
        if (candidates.isEmpty()) {
            throw noNode(route);
        }
        return pick(candidates, null);
    }

    /** One acquisition moving from node to node until one lends or none is left. */
    private final class Attempt {
        final CompletableFuture<Lease<C>> result = new CompletableFuture<>();
        final Owner owner;
        final Route route;
        final RoleLogin login;
        final long deadline;
        final List<Member<C>> tried = new ArrayList<>(2);
        volatile CompletableFuture<Lease<C>> current;

        Attempt(Owner owner, Route route, RoleLogin login) {
            this.owner = owner;
            this.route = route;
            this.login = login;
            this.deadline = ticker.nanoTime() + acquireTimeout.toNanos();
            result.whenComplete((lease, error) -> {
                CompletableFuture<Lease<C>> inner = current;
                if (result.isCancelled() && inner != null) {
                    inner.cancel(false); // the client left: withdraw from the node's queue
                }
            });
        }

        void next(PoolUnavailableException last) {
            List<Member<C>> candidates = candidates(route, tried);
            long left = deadline - ticker.nanoTime();
            if (candidates.isEmpty() || left <= 0) {
                // every node tried said why (all full, or none could connect); else none could take it at all
                result.completeExceptionally(last != null ? last : noNode(route));
                return;
            }
            Member<C> member = pick(candidates, login);
            tried.add(member);
            CompletableFuture<Lease<C>> inner = member.engine(login).acquire(owner, left).toCompletableFuture();
            current = inner;
            if (result.isCancelled()) {
                inner.cancel(false);
            }
            inner.whenComplete((lease, error) -> {
                if (error == null) {
                    if (!result.complete(lease)) {
                        lease.release(io.poolgate.pool.Outcome.CLEAN); // the client left meanwhile
                    }
                    return;
                }
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                        : error;
                if (cause instanceof PoolUnavailableException unavailable && movesOn(unavailable.reason())) {
                    next(unavailable);
                } else {
                    result.completeExceptionally(cause);
                }
            });
        }
    }

    /** Failures another node may not share: this one is drained or open, could connect nothing, or is full. */
    private static boolean movesOn(Reason reason) {
        return reason == Reason.DRAINED || reason == Reason.CONNECT_FAILED || reason == Reason.QUEUE_FULL;
    }

    /** The available nodes of the route's role, less those tried; reads fall back to primaries. */
    List<Member<C>> candidates(Route route, List<Member<C>> tried) {
        List<Member<C>> nodes = available(route == Route.READ ? Node.Role.REPLICA : Node.Role.PRIMARY, tried);
        if (nodes.isEmpty() && route == Route.READ) {
            nodes = available(Node.Role.PRIMARY, tried);
        }
        return nodes;
    }

    private List<Member<C>> available(Node.Role role, List<Member<C>> tried) {
        List<Member<C>> nodes = new ArrayList<>(members.size());
        for (Member<C> member : members) {
            if (member.node().role() == role && member.available() && !tried.contains(member)) {
                nodes.add(member);
            }
        }
        return nodes;
    }

    private Member<C> pick(List<Member<C>> candidates, RoleLogin login) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        List<NodeView> views = new ArrayList<>(candidates.size());
        for (Member<C> member : candidates) {
            views.add(member.view(member.engine(login)));
        }
        NodeView picked = balancer.pick(views);
        return members.get(picked.index());
    }

    /** No node can take the request: which nodes there are and why each cannot, and when to retry. */
    private PoolUnavailableException noNode(Route route) {
        StringBuilder why = new StringBuilder();
        long untilTrial = Long.MAX_VALUE;
        for (Member<C> member : members) {
            why.append(why.isEmpty() ? "" : "; ").append(member.name()).append(" (")
                    .append(member.node().role().name().toLowerCase(java.util.Locale.ROOT)).append("): ")
                    .append(member.available() ? "available" : member.unavailability());
            if (member.breaker().state() == Breaker.State.OPEN) {
                untilTrial = Math.min(untilTrial, member.breaker().untilTrial());
            }
        }
        String wanted = route == Route.READ ? "a read" : kind == Kind.REDIS ? "a command" : "a write";
        long retryAfter = untilTrial == Long.MAX_VALUE ? 1 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(untilTrial + 999_999_999L));
        return PoolUnavailableException.noNode("pool '" + name + "' has no node that can take " + wanted + " now: "
                + why, snapshot(), retryAfter);
    }

    /** The whole pool: every node's figures (the pool's login's and the roles') summed. */
    public PoolSnapshot snapshot() {
        if (members.size() == 1) {
            return members.get(0).snapshot();
        }
        return PoolSnapshot.sum(name, members.stream().map(Member::snapshot).toList());
    }

    public CompletionStage<Void> warmUp() {
        return CompletableFuture.allOf(members.stream().map(m -> m.engine().warmUp().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    public void maintain(long now) {
        for (Member<C> member : members) {
            member.engines().forEach(Pool::maintain);
            member.stats().sample(now);
        }
    }

    /** Pauses every node's engine; true if any was running. */
    public boolean pause() {
        boolean changed = false;
        for (Member<C> member : members) {
            for (Pool<C> engine : member.engines()) {
                changed |= engine.pause();
            }
        }
        return changed;
    }

    public boolean resume() {
        boolean changed = false;
        for (Member<C> member : members) {
            for (Pool<C> engine : member.engines()) {
                changed |= engine.resume();
            }
        }
        return changed;
    }

    /**
     * Sets every node's target size (sizes are per node, of the pool's own login; the roles' engines
     * keep their own bounds); returns the target set, clamped to [min, max].
     */
    public int resize(int wanted) {
        int set = wanted;
        for (Member<C> member : members) {
            set = member.engine().resize(wanted);
        }
        return set;
    }

    /** Every live connection, node by node. */
    public List<ConnectionView> connections() {
        List<ConnectionView> all = new ArrayList<>();
        for (Member<C> member : members) {
            member.engines().forEach(engine -> all.addAll(engine.connections()));
        }
        return all;
    }

    public CompletionStage<Void> close(Duration deadline) {
        return CompletableFuture.allOf(members.stream().flatMap(m -> m.engines().stream())
                .map(engine -> engine.close(deadline).toCompletableFuture()).toArray(CompletableFuture[]::new));
    }

    /** Settings shared by the nodes' engines (sizes are per node). */
    public io.poolgate.pool.PoolSettings settings() {
        return members.get(0).engine().settings();
    }

    /** Nodes that work (probed, circuit closed) and are not drained: the pool can serve while one is. */
    public long servingNodes() {
        return members.stream().filter(m -> m.healthy() && !m.draining()).count();
    }
}
