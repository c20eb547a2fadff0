package io.poolgate.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolgate.EmbeddedServers;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /q/openapi} documents every endpoint the resources declare, read from their JAX-RS
 * annotations: its method, a JSON schema for its body and its answer, and errors as problem+json
 * (or, for the foreign wire formats, in that format's own error shape). An endpoint added without
 * documentation fails here.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class OpenApiTest {

    private static final String JSON = "application/json";
    private static final String PROBLEM = "#/components/schemas/Problem";
    /** Resources that speak a foreign wire format: the schema their errors have, as application/json. */
    private static final Map<String, String> FOREIGN_ERRORS = Map.of(
            "UpstashResource", "#/components/schemas/UpstashError",
            "NeonResource", "#/components/schemas/NeonError");

    /** The document, fetched once: the gateway serves the same one for its whole life. */
    private static JsonNode document;

    /** One resource method: its HTTP method, full path, and whether it reads a request body. */
    record Endpoint(String method, String path, boolean takesBody, String javaMethod) {

        @Override
        public String toString() {
            return method + " " + path + " (" + javaMethod + ")";
        }
    }

    private static synchronized JsonNode document() throws Exception {
        if (document == null) {
            document = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi").then()
                    .statusCode(200).extract().asString());
        }
        return document;
    }

    /** Every method of every JAX-RS resource bean, from its annotations. */
    static List<Endpoint> endpoints() {
        return Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .map(bean -> bean.getBeanClass())
                .filter(type -> type.isAnnotationPresent(Path.class))
                .distinct()
                .flatMap(OpenApiTest::endpoints)
                .sorted(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::method))
                .toList();
    }

    private static Stream<Endpoint> endpoints(Class<?> resource) {
        String root = resource.getAnnotation(Path.class).value();
        return Arrays.stream(resource.getMethods()).flatMap(method -> httpMethod(method).map(verb -> new Endpoint(
                verb, join(root, method.isAnnotationPresent(Path.class) ? method.getAnnotation(Path.class).value() : ""),
                Arrays.stream(method.getParameters()).anyMatch(OpenApiTest::isEntity),
                resource.getSimpleName() + "." + method.getName())));
    }

    private static Stream<String> httpMethod(Method method) {
        return Arrays.stream(method.getAnnotations()).map(Annotation::annotationType)
                .filter(type -> type.isAnnotationPresent(HttpMethod.class))
                .map(type -> type.getAnnotation(HttpMethod.class).value());
    }

    /** The request body: the one parameter JAX-RS does not inject from the path, query, headers or context. */
    private static boolean isEntity(Parameter parameter) {
        return parameter.getAnnotations().length == 0;
    }

    private static String join(String root, String path) {
        String joined = ("/" + root + "/" + path).replaceAll("/+", "/").replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    @Test
    void findsTheEndpointsByReflection() {
        assertFalse(endpoints().isEmpty(), "no JAX-RS resource beans found");
    }

    @Test
    void namesTheApi() throws Exception {
        JsonNode document = document();
        assertThat(document.at("/info/title").asText(), equalTo("poolgate"));
        assertThat(document.at("/info/version").asText(), not(emptyOrNullString()));
        assertThat(document.at("/info/description").asText(), not(emptyOrNullString()));
    }

    @Test
    void documentsNoPathTheResourcesDoNotServe() throws Exception {
        Set<String> served = new TreeSet<>(endpoints().stream().map(Endpoint::path).toList());
        Set<String> documented = new TreeSet<>();
        document().get("paths").fieldNames().forEachRemaining(documented::add);
        assertThat(served, hasItems(documented.toArray(String[]::new)));
    }

    @Test
    void describesTheProblemSchema() throws Exception {
        JsonNode problem = document().at("/components/schemas/Problem");
        for (String member : List.of("type", "title", "status", "detail")) {
            assertFalse(problem.at("/properties/" + member).isMissingNode(), "Problem has no property " + member);
        }
        assertTrue(problem.at("/properties/extensions").isMissingNode(), "extension members are shown as a property");
        assertTrue(problem.path("additionalProperties").asBoolean(), "extension members are not allowed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void documentsTheEndpoint(Endpoint endpoint) throws Exception {
        JsonNode operation = document().path("paths").path(endpoint.path()).path(endpoint.method().toLowerCase());
        assertFalse(operation.isMissingNode(), endpoint + " is not in /q/openapi");
        assertThat(endpoint + ": summary", operation.path("summary").asText(), not(emptyOrNullString()));
        if (endpoint.takesBody()) {
            assertSchema(endpoint + ": request body", operation.at("/requestBody/content").path(JSON));
        }
        JsonNode responses = operation.path("responses");
        List<String> codes = new ArrayList<>();
        responses.fieldNames().forEachRemaining(codes::add);
        String success = codes.stream().filter(code -> code.startsWith("2")).findFirst().orElse(null);
        assertTrue(success != null, endpoint + " documents no success response: " + codes);
        if (!success.equals("204")) {
            assertSchema(endpoint + ": " + success + " response", responses.path(success).path("content").path(JSON));
        }
        if (endpoint.takesBody()) {
            assertThat(endpoint + ": a body can be malformed or too large", codes, hasItems("400", "413"));
        }
        if (endpoint.path().contains("{")) {
            assertThat(endpoint + ": a pool or session can be unknown", codes, hasItems("404"));
        }
        String resource = endpoint.javaMethod().substring(0, endpoint.javaMethod().indexOf('.'));
        String foreign = FOREIGN_ERRORS.get(resource);
        for (String code : codes) {
            if (code.startsWith("4") || code.startsWith("5")) {
                JsonNode response = resolve(responses.path(code));
                JsonNode content = response.at("/content").path(foreign == null ? "application/problem+json" : JSON);
                assertThat(endpoint + ": " + code + " response", content.at("/schema/$ref").asText(),
                        equalTo(foreign == null ? PROBLEM : foreign));
            }
        }
    }

    private static void assertSchema(String what, JsonNode mediaType) {
        assertFalse(mediaType.isMissingNode(), what + " has no " + JSON + " content");
        JsonNode schema = mediaType.path("schema");
        assertTrue(schema.has("$ref") || schema.has("type"), what + " has no schema: " + mediaType);
    }

    /** A response, or the component a {@code $ref} names. */
    private static JsonNode resolve(JsonNode response) throws Exception {
        String ref = response.path("$ref").asText();
        return ref.isEmpty() ? response : document().at(ref.substring(1));
    }
}
