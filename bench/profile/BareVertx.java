import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Pool;

/**
 * The floor under any JVM gateway on Vert.x: a bare Vert.x 4 HTTP server (no Quarkus, no router, no
 * JAX-RS, no security, no metrics) that answers {@code GET /redis/k} from the Vert.x Redis client and
 * {@code GET /select1} from the Vert.x PG pool, pools of 20, one verticle per core. Not a product:
 * bench/profile.sh's {@code bare} target, to measure what the JVM's HTTP stack alone costs per
 * request next to Webdis and poolgate (bench/README "Where the time goes").
 *
 * <pre>java -cp 'bench/reference-quarkus/target/quarkus-app/lib/main/*' bench/profile/BareVertx.java PORT PG_URL REDIS_URL</pre>
 */
public class BareVertx extends AbstractVerticle {

    static Redis redis;
    static Pool pg;
    static int port;

    public static void main(String[] args) {
        port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(args[2]).setMaxPoolSize(20)
                .setMaxPoolWaiting(1000));
        pg = PgBuilder.pool().with(new PoolOptions().setMaxSize(20).setMaxWaitQueueSize(1000))
                .connectingTo(PgConnectOptions.fromUri(args[1]).setCachePreparedStatements(true)).using(vertx).build();
        int cores = Runtime.getRuntime().availableProcessors();
        vertx.deployVerticle(BareVertx::new, new DeploymentOptions().setInstances(cores))
                .onSuccess(id -> System.out.println("listening on " + port))
                .onFailure(e -> { e.printStackTrace(); System.exit(1); });
    }

    @Override
    public void start() {
        vertx.createHttpServer().requestHandler(this::handle).listen(port);
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/redis/k")) {
            redis.send(Request.cmd(Command.GET).arg("k")).onComplete(ar -> {
                if (ar.succeeded()) {
                    request.response().putHeader("content-type", "application/json")
                            .end(new JsonObject().put("result", ar.result() == null ? null : ar.result().toString()).encode());
                } else {
                    request.response().setStatusCode(503).end(ar.cause().getMessage());
                }
            });
        } else if (path.equals("/select1")) {
            pg.preparedQuery("SELECT 1").execute().onComplete(ar -> {
                if (ar.succeeded()) {
                    request.response().putHeader("content-type", "application/json")
                            .end(new JsonObject().put("value", ar.result().iterator().next().getInteger(0)).encode());
                } else {
                    request.response().setStatusCode(503).end(ar.cause().getMessage());
                }
            });
        } else {
            request.response().setStatusCode(404).end();
        }
    }
}
