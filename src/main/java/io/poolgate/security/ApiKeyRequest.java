package io.poolgate.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A presented API key, for {@link ApiKeys}. */
final class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    ApiKeyRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyRequest"; // never the key
    }
}
