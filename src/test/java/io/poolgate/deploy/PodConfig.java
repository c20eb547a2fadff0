package io.poolgate.deploy;

import io.poolgate.config.PoolgateConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The configuration the gateway in the Deployment's pod runs with, layered as Quarkus layers it
 * for the {@code prod} profile: the container's environment (Secret values taken from
 * secret.example.yaml) over the ConfigMap's {@code config/application.yaml} over the
 * {@code application.yaml} built into the binary.
 */
final class PodConfig {

    static final Path BUILT_IN = Path.of("src", "main", "resources", "application.yaml");

    private PodConfig() {
    }

    static SmallRyeConfig build() {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors() // profiles and ${...} expressions
                .withProfile("prod")
                .withMapping(PoolgateConfig.class)
                .withMapping(io.poolgate.security.AuthConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "10s" form
                .withConverter(io.quarkus.runtime.configuration.MemorySize.class, 100,
                        new io.quarkus.runtime.configuration.MemorySizeConverter()) // and its "10M" form
                .withSources(new EnvConfigSource(containerEnvironment(), 300))
                .withSources(new YamlConfigSource("configmap.yaml: config/application.yaml",
                        Manifests.configMapApplicationYaml(), 265))
                .withSources(new YamlConfigSource(BUILT_IN.toString(), Manifests.read(BUILT_IN), 255))
                .build();
    }

    static PoolgateConfig poolgate() {
        return build().getConfigMapping(PoolgateConfig.class);
    }

    static io.poolgate.security.AuthConfig auth() {
        return build().getConfigMapping(io.poolgate.security.AuthConfig.class);
    }

    /** How long Quarkus waits for running requests after SIGTERM: {@code quarkus.shutdown.timeout}, 0 when unset. */
    static Duration shutdownTimeout() {
        return build().getOptionalValue("quarkus.shutdown.timeout", Duration.class).orElse(Duration.ZERO);
    }

    /** The port Quarkus listens on: {@code quarkus.http.port}, 8080 when unset. */
    static int httpPort() {
        return build().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
    }

    /** The container's env entries: literal values, and Secret references resolved from secret.example.yaml. */
    static Map<String, String> containerEnvironment() {
        Map<String, Object> secret = Manifests.load("secret.example.yaml");
        Map<String, String> env = new HashMap<>();
        for (Object entry : Tree.list(Manifests.container(), "env")) {
            String name = Tree.string(entry, "name");
            if (Tree.map(entry).containsKey("value")) {
                env.put(name, Tree.string(entry, "value"));
                continue;
            }
            Map<String, Object> ref = Tree.map(entry, "valueFrom", "secretKeyRef");
            String secretName = Tree.string(ref, "name");
            if (!secretName.equals(Tree.string(secret, "metadata", "name"))) {
                throw new AssertionError("env " + name + " refers to Secret '" + secretName
                        + "', secret.example.yaml defines '" + Tree.string(secret, "metadata", "name") + "'");
            }
            String key = Tree.string(ref, "key");
            Object value = Tree.map(secret, "stringData").get(key);
            if (value == null) {
                throw new AssertionError("env " + name + " refers to key '" + key + "' of Secret '" + secretName
                        + "', which secret.example.yaml does not define");
            }
            env.put(name, String.valueOf(value));
        }
        return env;
    }
}
