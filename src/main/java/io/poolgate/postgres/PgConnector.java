package io.poolgate.postgres;

import io.poolgate.pool.Connector;
import io.poolgate.pool.ServerLoad;
import io.poolgate.topology.Node;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.spi.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Opens one Vert.x {@link PgConnection} per pooled connection (poolgate's pool owns them, not the
 * Vert.x pool), runs the pool's init SQL, and cleans connections for reuse.
 *
 * <p>Reset, when a borrower may have changed session state: one simple-protocol round trip that
 * rolls back, undoes what {@code DISCARD ALL} undoes except {@code DEALLOCATE ALL} (the driver's
 * cached prepared statements must survive), re-runs the init SQL, and reports SQL-level prepared
 * statements, which only a fresh connection is rid of: the reset fails if any exist, so the pool
 * replaces the connection. The statement timeout is a startup parameter, so {@code RESET ALL}
 * restores it rather than clearing it.
 *
 * <p>Connections are opened by one driver connection factory per node (its TCP client), kept until
 * {@link #shutdown()}, which closes and awaits them: {@code PgConnection.connect} would make a
 * factory per connection and close it after the connection, a close nobody waits for, which could
 * still be running on an event loop as Vert.x stops.
 */
final class PgConnector implements Connector<PgConnection> {

    private static final Logger LOG = Logger.getLogger(PgConnector.class);

    static final String FULL_RESET = "ROLLBACK; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL; UNLISTEN *; "
            + "SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES; ";
    static final String ROLLBACK_ONLY = "ROLLBACK; ";
    static final String LEFTOVER_PREPARED = "SELECT count(*) FROM pg_prepared_statements WHERE from_sql";

    private final Vertx vertx;
    private final String pool;
    private final Duration statementTimeout;
    private final String initSql;
    private final String resetSql;
    private final Map<Node, ConnectionFactory> factories = new ConcurrentHashMap<>();

    PgConnector(Vertx vertx, String pool, List<String> initSql, Duration statementTimeout,
            boolean fullReset) {
        this.vertx = vertx;
        this.pool = pool;
        this.statementTimeout = statementTimeout;
        this.initSql = initSql.isEmpty() ? "" : String.join("; ", initSql);
        this.resetSql = (fullReset ? FULL_RESET : ROLLBACK_ONLY) + (this.initSql.isEmpty() ? "" : this.initSql + "; ")
                + LEFTOVER_PREPARED;
    }

    @Override
    public CompletionStage<PgConnection> connect(Node node, Runnable onLost) {
        ConnectionFactory factory = factories.computeIfAbsent(node,
                n -> PgDriver.INSTANCE.createConnectionFactory(vertx, options(n)));
        return factory.connect(vertx.getOrCreateContext()).map(PgConnection::cast)
                .compose(connection -> {
                    connection.noticeHandler(notice -> LOG.debugf("pool '%s' node '%s' notice: %s", pool,
                            node.name(), notice.getMessage()));
                    connection.closeHandler(ignored -> onLost.run());
                    // the pool learns of a broken connection from the request that used it, or from
                    // closeHandler; the driver's own report (e.g. 57P01 at a server crash) is noise
                    connection.exceptionHandler(error -> LOG.debugf("pool '%s' node '%s' connection failed: %s", pool,
                            node.name(), error.getMessage()));
                    if (initSql.isEmpty()) {
                        return Future.succeededFuture(connection);
                    }
                    return connection.query(initSql).execute().map(connection)
                            .onFailure(error -> connection.close());
                })
                .toCompletionStage();
    }

    private PgConnectOptions options(Node node) {
        PgConnectOptions options = BackendTls.configure(PgConnectOptions.fromUri(node.url()), node.url());
        if (node.login() != null) {
            // a database role's own login: what the connection may do is that role's rights, no others
            options.setUser(node.login().user()).setPassword(node.login().password());
        }
        options.setCachePreparedStatements(true);
        options.addProperty("application_name", "poolgate");
        options.addProperty("statement_timeout", Long.toString(statementTimeout.toMillis()));
        return options;
    }

    @Override
    public CompletionStage<Void> validate(PgConnection connection) {
        return connection.query("SELECT 1").execute().<Void>mapEmpty().toCompletionStage();
    }

    @Override
    public CompletionStage<Void> reset(PgConnection connection) {
        return connection.query(resetSql).execute().<Void>compose(result -> {
            RowSet<Row> last = result;
            while (last.next() != null) {
                last = last.next();
            }
            long leftover = last.iterator().next().getLong(0);
            if (leftover > 0) {
                return Future.failedFuture(leftover + " SQL-level prepared statement(s) left behind");
            }
            return Future.succeededFuture();
        }).toCompletionStage();
    }

    /** One round trip on the probe's connection: the limits and the client backends open now. */
    static final String SERVER_LOAD = "SELECT current_setting('max_connections')::int, "
            + "current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', "
            + "true)::int, 0), (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int";

    @Override
    public CompletionStage<Optional<ServerLoad>> serverLoad(PgConnection connection) {
        return connection.query(SERVER_LOAD).execute().map(rows -> {
            Row row = rows.iterator().next();
            return Optional.of(new ServerLoad(row.getInteger(0), row.getInteger(1), row.getInteger(2)));
        }).toCompletionStage();
    }

    /** Closes every node's connection factory; the pool has closed every connection before. */
    @Override
    public CompletionStage<Void> shutdown() {
        CompletableFuture<?>[] closing = factories.values().stream().map(factory -> {
            Promise<Void> closed = Promise.promise();
            factory.close(closed);
            return closed.future().otherwise(error -> {
                LOG.debugf("pool '%s' closing a connection factory failed: %s", pool, error.getMessage());
                return null;
            }).toCompletionStage().toCompletableFuture();
        }).toArray(CompletableFuture[]::new);
        factories.clear();
        return CompletableFuture.allOf(closing);
    }

    @Override
    public CompletionStage<Void> closeQuietly(PgConnection connection) {
        return connection.close().otherwise(error -> {
            LOG.debugf("pool '%s' closing a connection failed: %s", pool, error.getMessage());
            return null;
        }).toCompletionStage();
    }
}
