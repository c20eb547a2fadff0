package io.poolgate.security;

/**
 * How the routes under one path prefix write a refusal's body, for clients that speak a foreign
 * wire format (the Upstash REST API's {@code {"error": "..."}}, Neon's error object). The status
 * and the {@code WWW-Authenticate} and {@code Retry-After} headers are the gate's and stay the same
 * for every format; only the body changes.
 *
 * <p>A format is a CDI bean: {@code @Singleton final class UpstashRefusals implements RefusalFormat}
 * with {@code pathPrefix() = "/upstash/"}. The longest matching prefix wins; every other path
 * answers RFC 9457 problem+json.
 */
public interface RefusalFormat {

    /** The request paths this format answers for, e.g. {@code "/upstash/"} or {@code "/sql"}. */
    String pathPrefix();

    /** The body's media type, e.g. {@code application/json}. */
    String contentType();

    /** The body for {@code refusal}: its {@link Refusal#detail()} says what was wrong. */
    byte[] body(Refusal refusal);
}
