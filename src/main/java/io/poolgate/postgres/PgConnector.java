package io.poolgate.postgres;

import io.poolgate.pool.Connector;
import io.poolgate.topology.Node;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 */
final class PgConnector implements Connector<PgConnection> {

    private static final Logger LOG = Logger.getLogger(PgConnector.class);

    static final String FULL_RESET = "ROLLBACK; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL; UNLISTEN *; "
            + "SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES; ";
    static final String ROLLBACK_ONLY = "ROLLBACK; ";
    static final String LEFTOVER_PREPARED = "SELECT count(*) FROM pg_prepared_statements WHERE from_sql";

    private final Vertx vertx;
    private final String pool;
    private final Optional<Duration> statementTimeout;
    private final String initSql;
    private final String resetSql;
    private final Map<Node, PgConnectOptions> options = new ConcurrentHashMap<>();

    PgConnector(Vertx vertx, String pool, List<String> initSql, Optional<Duration> statementTimeout,
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
        return PgConnection.connect(vertx, options.computeIfAbsent(node, this::options))
                .compose(connection -> {
                    connection.noticeHandler(notice -> LOG.debugf("pool '%s' node '%s' notice: %s", pool,
                            node.name(), notice.getMessage()));
                    connection.closeHandler(ignored -> onLost.run());
                    if (initSql.isEmpty()) {
                        return io.vertx.core.Future.succeededFuture(connection);
                    }
                    return connection.query(initSql).execute().map(connection)
                            .onFailure(error -> connection.close());
                })
                .toCompletionStage();
    }

    private PgConnectOptions options(Node node) {
        PgConnectOptions options = BackendTls.configure(PgConnectOptions.fromUri(node.url()), node.url());
        options.setCachePreparedStatements(true);
        options.addProperty("application_name", "poolgate");
        statementTimeout.ifPresent(t -> options.addProperty("statement_timeout", Long.toString(t.toMillis())));
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
                return io.vertx.core.Future.failedFuture(leftover + " SQL-level prepared statement(s) left behind");
            }
            return io.vertx.core.Future.succeededFuture();
        }).toCompletionStage();
    }

    @Override
    public void closeQuietly(PgConnection connection) {
        connection.close().onFailure(error -> LOG.debugf("pool '%s' closing a connection failed: %s", pool,
                error.getMessage()));
    }
}
