package io.poolgate.api;

import io.poolgate.pool.PoolUnavailableException;
import io.poolgate.postgres.BatchException;
import io.poolgate.postgres.ParameterException;
import io.poolgate.postgres.ResultTooLargeException;
import io.poolgate.redis.CommandException;
import io.poolgate.redis.RedisCommands;
import io.poolgate.redis.TransactionAbortedException;
import io.poolgate.session.SessionException;
import io.poolgate.topology.UnknownPoolException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure as RFC 9457 problem+json with the status SPEC §3.5 gives it: 400 bad input,
 * 404 unknown pool, 422 SQL or Redis error, 503 + Retry-After no connection, 504 statement timeout.
 * Only a bug in poolgate gives 500.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** SQLSTATE 57014: the statement was cancelled (statement_timeout, or our cancel of an abandoned one). */
    private static final String QUERY_CANCELED = "57014";

    private final java.util.List<WireFormat> formats;

    ProblemMappers(Instance<WireFormat> formats) {
        this.formats = formats.stream().toList();
    }

    /**
     * The problem that answers {@code failure}, with its Retry-After where it has one: what the
     * mappers below answer, and what {@link DirectRoutes} writes itself.
     */
    static Problem of(Throwable failure) {
        if (failure instanceof ProblemException e) {
            return e.problem();
        }
        if (failure instanceof UnknownPoolException e) {
            return unknownPoolProblem(e);
        }
        if (failure instanceof PoolUnavailableException e) {
            return unavailableProblem(e);
        }
        if (failure instanceof BackendFailure e) {
            return backendProblem(e);
        }
        if (failure instanceof BatchException e) {
            return batchProblem(e);
        }
        if (failure instanceof SessionException e) {
            return sessionProblem(e);
        }
        if (failure instanceof TransactionAbortedException e) {
            return transactionAbortedProblem(e);
        }
        if (failure instanceof PgException e) {
            return sqlErrorProblem(e);
        }
        if (failure instanceof ParameterException e) {
            return badParameterProblem(e);
        }
        if (failure instanceof ResultTooLargeException e) {
            return tooLargeProblem(e);
        }
        if (failure instanceof CommandException e) {
            return badCommandProblem(e);
        }
        return otherProblem(failure);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response unknownPool(UnknownPoolException e) {
        return respond(unknownPoolProblem(e));
    }

    private static Problem unknownPoolProblem(UnknownPoolException e) {
        if (e.wrongKind()) {
            return new Problem("wrong-pool-kind", "Wrong kind of pool", 400, e.getMessage()).with("pool", e.pool());
        }
        return new Problem("unknown-pool", "Unknown pool", 404, e.getMessage()).with("pool", e.pool());
    }

    @ServerExceptionMapper
    public Response unavailable(PoolUnavailableException e) {
        return respond(unavailableProblem(e));
    }

    private static Problem unavailableProblem(PoolUnavailableException e) {
        var s = e.snapshot();
        return new Problem("pool-unavailable", "No connection available", 503, e.getMessage())
                .with("pool", e.pool())
                .with("reason", e.reason().name().toLowerCase(Locale.ROOT))
                .with("waitedMs", e.waitedMillis())
                .with("state", Map.of("total", s.total(), "inUse", s.inUse(), "idle", s.idle(), "connecting",
                        s.connecting(), "waiting", s.waiting(), "max", s.max()))
                .retryAfter(e.retryAfterSeconds());
    }

    /** The backend broke the connection (503, retry later) or did not answer in time (504). */
    @ServerExceptionMapper
    public Response backend(BackendFailure e) {
        return respond(backendProblem(e));
    }

    private static Problem backendProblem(BackendFailure e) {
        Problem problem = e.kind() == BackendFailure.Kind.LOST
                ? new Problem("backend-unavailable", "Backend unavailable", 503, e.getMessage()).retryAfter(1)
                : new Problem("backend-timeout", "Backend did not answer in time", 504, e.getMessage());
        return problem.with("pool", e.pool()).with("node", e.node()).with("mayHaveWritten", e.mayHaveWritten());
    }

    @ServerExceptionMapper
    public Response badParameter(ParameterException e) {
        return respond(badParameterProblem(e));
    }

    private static Problem badParameterProblem(ParameterException e) {
        return new Problem("bad-parameter", "Bad statement parameter", 400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response badCommand(CommandException e) {
        return respond(badCommandProblem(e));
    }

    private static Problem badCommandProblem(CommandException e) {
        return new Problem("bad-command", "Bad Redis command", 400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response sqlError(PgException e) {
        return respond(sqlErrorProblem(e));
    }

    private static Problem sqlErrorProblem(PgException e) {
        if (QUERY_CANCELED.equals(e.getSqlState())) {
            return new Problem("statement-timeout", "Statement timed out", 504, e.getErrorMessage())
                    .with("sqlstate", e.getSqlState());
        }
        String code = e.getSqlState() == null ? "" : e.getSqlState();
        if (code.startsWith("08") || code.startsWith("57P")) {
            // connection exception, admin shutdown, cannot connect now: the backend, not the request
            return new Problem("backend-unavailable", "Backend unavailable", 503, e.getErrorMessage())
                    .with("sqlstate", code).retryAfter(1);
        }
        return new Problem("sql-error", "SQL error", 422, e.getErrorMessage())
                .with("sqlstate", e.getSqlState())
                .with("severity", e.getSeverity())
                .with("sqlDetail", e.getDetail())
                .with("hint", e.getHint())
                .with("position", parsePosition(e.getPosition()));
    }

    @ServerExceptionMapper
    public Response session(SessionException e) {
        return respond(sessionProblem(e));
    }

    private static Problem sessionProblem(SessionException e) {
        return switch (e.kind()) {
            case UNKNOWN -> new Problem("unknown-session", "Unknown session", 404, e.getMessage())
                    .with("session", e.session());
            case ENDED -> new Problem("session-ended", "Session ended", 410, e.getMessage())
                    .with("session", e.session());
            case BUSY -> new Problem("session-busy", "Session busy", 409, e.getMessage())
                    .with("session", e.session());
            case WRONG_KIND -> new Problem("wrong-pool-kind", "Wrong kind of pool", 400, e.getMessage())
                    .with("session", e.session());
            case LIMIT -> new Problem("session-limit", "Session lease limit reached", 503, e.getMessage())
                    .retryAfter(5);
        };
    }

    @ServerExceptionMapper
    public Response batch(BatchException e) {
        return respond(batchProblem(e));
    }

    /** The failure of a statement inside a batch, answered as if it had run alone, with its index. */
    private static Problem batchProblem(BatchException e) {
        return of(e.getCause()).with("statementIndex", e.index());
    }

    @ServerExceptionMapper
    public Response tooLarge(ResultTooLargeException e) {
        return respond(tooLargeProblem(e));
    }

    private static Problem tooLargeProblem(ResultTooLargeException e) {
        return new Problem("result-too-large", "Result too large", 507, e.getMessage());
    }

    @ServerExceptionMapper
    public Response transactionAborted(TransactionAbortedException e) {
        return respond(transactionAbortedProblem(e));
    }

    private static Problem transactionAbortedProblem(TransactionAbortedException e) {
        return new Problem("redis-transaction-aborted", "Redis transaction aborted", 422, e.getMessage());
    }

    /** The framework's own refusals (no such endpoint, wrong method, unreadable headers), naming the request. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        Response refusal = e.getResponse();
        int status = refusal.getStatus();
        String call = request.method() + " " + request.path();
        String detail = switch (status) {
            case 404 -> "no endpoint for " + call + " (the API is under /api/v1, described at /q/openapi)";
            case 405 -> request.method() + " is not allowed on " + request.path();
            case 406 -> call + " cannot answer in " + header(request, HttpHeaders.ACCEPT) + "; it answers "
                    + "application/json";
            case 415 -> call + " cannot read a body of type " + header(request, HttpHeaders.CONTENT_TYPE)
                    + "; send application/json";
            case 400 -> call + " could not be read (" + reason(e) + "); check its Content-Type ("
                    + header(request, HttpHeaders.CONTENT_TYPE) + ") and Accept (" + header(request, HttpHeaders.ACCEPT)
                    + ") headers";
            default -> call + ": " + reason(e);
        };
        String path = request.path();
        for (WireFormat format : formats) {
            if (format.serves(path)) {
                return foreign(format.refusal(status, status == 404 ? "no endpoint for " + call : detail));
            }
        }
        return respond(new Problem("http-" + status, refusal.getStatusInfo().getReasonPhrase(), status, detail));
    }

    private static Response foreign(WireFormat.Refusal refusal) {
        Response.ResponseBuilder response = Response.status(refusal.status()).type(refusal.mediaType())
                .entity(refusal.body());
        refusal.headers().forEach(response::header);
        return response.build();
    }

    private static String header(HttpServerRequest request, String name) {
        String value = request.getHeader(name);
        return value == null ? "none" : value;
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response other(Throwable e) {
        return respond(otherProblem(e));
    }

    private static Problem otherProblem(Throwable e) {
        if (RedisCommands.isReplyError(e)) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            int space = message.indexOf(' ');
            return new Problem("redis-error", "Redis error", 422, message)
                    .with("redisError", space > 0 ? message.substring(0, space) : message);
        }
        if (BackendFailure.isConnectionFailure(e)) {
            // requests on a lent connection get a BackendFailure naming pool and node; this is the net
            // for any other path a driver's connection failure could take
            LOG.debugf("backend failure: %s", e.getMessage());
            return new Problem("backend-unavailable", "Backend unavailable", 503, "the backend connection failed ("
                    + io.poolgate.pool.Connector.rootMessage(e) + "); " + BackendFailure.outcome(true))
                    .with("mayHaveWritten", true).retryAfter(1);
        }
        LOG.error("unexpected failure answering a request", e);
        return new Problem("internal-error", "Internal error", 500,
                "poolgate failed unexpectedly (" + e.getClass().getSimpleName() + "); see the gateway's log");
    }

    private static String reason(WebApplicationException e) {
        return e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
    }

    private static Integer parsePosition(String position) {
        try {
            return position == null ? null : Integer.valueOf(position);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Response respond(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.getStatus()).type(Problem.MEDIA_TYPE)
                .entity(problem);
        if (problem.retryAfterSeconds() > 0) {
            response.header("Retry-After", problem.retryAfterSeconds());
        }
        return response.build();
    }
}
