package io.poolgate.api;

import io.poolgate.pool.Pools;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/pools}: every pool's status. */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
@NonBlocking
public class PoolListResource {

    /** Every pool's status. */
    @RegisterForReflection
    public record PoolList(List<PoolStatus> pools) {
    }

    private final Pools pools;

    PoolListResource(Pools pools) {
        this.pools = pools;
    }

    @GET
    public PoolList all() {
        return new PoolList(pools.all().stream().map(PoolStatus::of).toList());
    }
}
