package io.poolgate.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail: {@code type}, {@code title}, {@code status}, {@code detail}, and
 * extension members such as {@code pool}, {@code sqlstate} or {@code waitedMs}.
 */
@RegisterForReflection
@Schema(name = "Problem", description = "An RFC 9457 problem detail (application/problem+json). Extension members "
        + "depend on the type: pool; reason, waitedMs and state (pool-unavailable); sqlstate, severity, sqlDetail, "
        + "hint and position (sql-error); redisError (redis-error); statementIndex (in a batch); session; limit "
        + "(payload-too-large)", additionalProperties = Schema.True.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "type", "title", "status", "detail" })
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    @Schema(hidden = true) // its members are the problem's own, as additional properties
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    /** Seconds for the Retry-After header; 0: none. A header, not a member of the body. */
    private long retryAfter;

    Problem(String slug, String title, int status, String detail) {
        this.type = "urn:poolgate:problem:" + slug;
        this.title = title;
        this.status = status;
        this.detail = detail;
    }

    Problem with(String key, Object value) {
        if (value != null) {
            extensions.put(key, value);
        }
        return this;
    }

    /** Answered with {@code Retry-After: seconds}. */
    Problem retryAfter(long seconds) {
        this.retryAfter = seconds;
        return this;
    }

    long retryAfterSeconds() {
        return retryAfter;
    }

    @Schema(description = "urn:poolgate:problem: and the kind of problem", example = "urn:poolgate:problem:bad-request")
    public String getType() {
        return type;
    }

    @Schema(example = "Bad request")
    public String getTitle() {
        return title;
    }

    @Schema(description = "The HTTP status", example = "400")
    public int getStatus() {
        return status;
    }

    @Schema(description = "What was wrong, naming the field, parameter, pool or limit",
            example = "field 'sql' must be a string, got a number")
    public String getDetail() {
        return detail;
    }

    @JsonAnyGetter
    public Map<String, Object> getExtensions() {
        return extensions;
    }
}
