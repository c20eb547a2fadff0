package io.poolgate.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolgate.api.RedisResource;
import io.poolgate.api.SessionResource;
import io.poolgate.api.SqlResource;
import io.poolgate.api.StatusResource;
import io.poolgate.neon.NeonResource;
import io.poolgate.upstash.UpstashResource;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every API method is timed under an api name: none is missing from the map, none is stale. */
class RequestMetersTest {

    @Test
    void everyResourceMethodHasAnApiName() {
        Set<String> methods = new TreeSet<>();
        for (Class<?> resource : List.of(SqlResource.class, RedisResource.class, SessionResource.class,
                StatusResource.class, UpstashResource.class, NeonResource.class)) {
            for (Method method : resource.getDeclaredMethods()) {
                if (Stream.of(GET.class, POST.class, PUT.class, DELETE.class).anyMatch(method::isAnnotationPresent)) {
                    methods.add(resource.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertEquals(methods, new TreeSet<>(RequestMeters.APIS.keySet()));
    }

    @Test
    void outcomesFollowTheStatus() {
        assertEquals("success", RequestMeters.OUTCOMES.get(RequestMeters.outcome(201)));
        assertEquals("client_error", RequestMeters.OUTCOMES.get(RequestMeters.outcome(409)));
        assertEquals("backend_error", RequestMeters.OUTCOMES.get(RequestMeters.outcome(422)));
        assertEquals("unavailable", RequestMeters.OUTCOMES.get(RequestMeters.outcome(503)));
        assertEquals("timeout", RequestMeters.OUTCOMES.get(RequestMeters.outcome(504)));
        assertEquals("server_error", RequestMeters.OUTCOMES.get(RequestMeters.outcome(507)));
    }
}
