package io.poolgate.security;

import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Documents the gate once for every operation (rather than on each resource method): the bearer
 * scheme (an API key or a JWT), and the 401, 403 and 429 problems every endpoint can answer.
 * Registered with {@code mp.openapi.filter}.
 */
public final class SecuredApiDocumentation implements OASFilter {

    private static final String SCHEME = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key (poolgate.auth.keys) or a JWT; a Basic password works as a key too"));
        openAPI.getComponents().addResponse("Unauthorized", problem("No, malformed or unaccepted credentials "
                + "(missing-credentials, malformed-credentials, unknown-key, invalid-token, expired-token, "
                + "wrong-audience, wrong-issuer); with WWW-Authenticate: Bearer"));
        openAPI.getComponents().addResponse("Forbidden", problem("The credentials do not grant the scope or the pool "
                + "(missing-scope with scope and pool, missing-pool with pool); also a write refused to a read scope"));
        openAPI.getComponents().addResponse("TooManyRequests", problem("Over the key's rate limit (rate-limited), or "
                + "too many failed authentications from the address; with Retry-After"));
        openAPI.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SCHEME, List.of()));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(operation -> {
            if (operation.getResponses() == null) {
                operation.setResponses(OASFactory.createAPIResponses());
            }
            // the foreign wire formats answer the gate's statuses in their own error shape
            String prefix = path.startsWith("/upstash") ? "Upstash" : path.equals("/sql") ? "Neon" : "";
            operation.getResponses().addAPIResponse("401", reference(prefix + "Unauthorized"));
            operation.getResponses().addAPIResponse("403", reference(prefix + "Forbidden"));
            operation.getResponses().addAPIResponse("429", reference(prefix + "TooManyRequests"));
        }));
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse().description(description).content(OASFactory.createContent()
                .addMediaType(Refusals.PROBLEM_JSON, OASFactory.createMediaType().schema(OASFactory.createSchema()
                        .ref("#/components/schemas/Problem"))));
    }

    private static APIResponse reference(String name) {
        return OASFactory.createAPIResponse().ref("#/components/responses/" + name);
    }
}
