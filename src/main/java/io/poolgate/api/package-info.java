/**
 * The HTTP API: resources, the Vert.x route that serves the two hot endpoints ahead of them
 * ({@link io.poolgate.api.DirectRoutes}), request parsing, and problem+json errors. The OpenAPI definition below
 * names the API and describes, once, each problem response the endpoints refer to by name.
 */
@OpenAPIDefinition(
        info = @Info(title = "poolgate", version = "v1", description = """
                A pool gateway: pooled PostgreSQL and Redis connections lent over HTTP/JSON. Each request \
                borrows a connection for one statement, batch, command or pipeline and returns it at once; \
                a session lease pins one across requests for interactive transactions. Errors are RFC 9457 \
                application/problem+json."""),
        components = @Components(responses = {
            @APIResponse(name = ApiSchemas.BAD_REQUEST, description = "Malformed JSON, a wrong shape or an unknown "
                    + "field, a parameter that does not fit its type, a refused Redis command, or a pool of the "
                    + "other kind", content = @Content(mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = Problem.class))),
            @APIResponse(name = ApiSchemas.NOT_FOUND, description = "No such pool or session",
                    content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
            @APIResponse(name = ApiSchemas.SESSION_BUSY, description = "Another request is running on the session",
                    content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
            @APIResponse(name = ApiSchemas.SESSION_ENDED, description = "The session was released or reclaimed",
                    content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
            @APIResponse(name = ApiSchemas.PAYLOAD_TOO_LARGE, description = "The body is over "
                    + "quarkus.http.limits.max-body-size", content = @Content(mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = Problem.class))),
            @APIResponse(name = ApiSchemas.UNPROCESSABLE, description = "PostgreSQL refused the statement (sqlstate, "
                    + "sqlDetail, hint, position) or Redis answered with an error (redisError)",
                    content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
            @APIResponse(name = ApiSchemas.UNAVAILABLE, description = "No connection: the wait queue is full, the "
                    + "acquire timeout passed, the backend cannot be reached, the session limit is reached, or the "
                    + "gateway is shutting down (reason, waitedMs, state)",
                    headers = @Header(name = "Retry-After", description = "Seconds to wait before trying again",
                            schema = @Schema(type = SchemaType.INTEGER)),
                    content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
            @APIResponse(name = ApiSchemas.STATEMENT_TIMEOUT, description = "The statement ran past the pool's "
                    + "statement-timeout and was cancelled", content = @Content(mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = Problem.class))),
            @APIResponse(name = ApiSchemas.RESULT_TOO_LARGE, description = "The result is over poolgate.limits "
                    + "(max-rows or max-response-bytes)", content = @Content(mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = Problem.class)))
        }))
package io.poolgate.api;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
