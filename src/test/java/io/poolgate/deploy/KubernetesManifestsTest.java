package io.poolgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.config.ConfigValidator;
import io.poolgate.config.PoolgateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** deploy/kubernetes agrees with the gateway it deploys: ports, health endpoints, shutdown, configuration. */
final class KubernetesManifestsTest {

    /** How long the pools may take to close once their drain is over (Pools.stop waits drain-timeout + 5 s). */
    private static final int POOL_CLOSE_SECONDS = 5;

    @ParameterizedTest(name = "{0} asks {1}")
    @CsvSource({
        "startupProbe, /q/health/started",
        "livenessProbe, /q/health/live",
        "readinessProbe, /q/health/ready"})
    void probeAsksTheQuarkusHealthEndpoint(String probe, String path) {
        assertEquals(path, Tree.string(Manifests.container(), probe, "httpGet", "path"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"startupProbe", "livenessProbe", "readinessProbe"})
    void probeTargetsThePortNamedHttp(String probe) {
        assertEquals("http", Tree.string(Manifests.container(), probe, "httpGet", "port"));
    }

    @Test
    void thePortNamedHttpIsTheGatewaysHttpPort() {
        assertEquals(PodConfig.httpPort(), containerPort("http"));
    }

    @Test
    void podsAreAnnotatedForPrometheusToScrapeQMetrics() {
        Map<String, Object> annotations = Tree.map(Manifests.deployment(), "spec", "template", "metadata", "annotations");
        Map<String, String> expected = Map.of(
                "prometheus.io/scrape", "true",
                "prometheus.io/path", "/q/metrics",
                "prometheus.io/port", String.valueOf(PodConfig.httpPort()));
        Map<String, String> actual = new TreeMap<>();
        expected.keySet().forEach(key -> actual.put(key, String.valueOf(annotations.get(key))));
        assertEquals(new TreeMap<>(expected), actual);
    }

    @Test
    void preStopSleepsSoTheEndpointIsRemovedBeforeShutdown() {
        assertTrue(preStopSleepSeconds() >= 1, "preStop sleeps " + preStopSleepSeconds() + " s");
    }

    /**
     * The kubelet kills the pod after terminationGracePeriodSeconds, counted from the preStop hook.
     * The steps run one after the other: preStop sleep; Quarkus's wait for running requests
     * (quarkus.shutdown.timeout); the pools' drain (poolgate.drain-timeout) and close.
     */
    @Test
    void terminationGraceCoversPreStopRequestWaitDrainAndPoolClose() {
        long requests = PodConfig.shutdownTimeout().toSeconds();
        long drain = PodConfig.poolgate().drainTimeout().toSeconds();
        int grace = Tree.integer(Manifests.deployment(), "spec", "template", "spec", "terminationGracePeriodSeconds");
        long needed = preStopSleepSeconds() + requests + drain + POOL_CLOSE_SECONDS;
        assertTrue(grace >= needed, "terminationGracePeriodSeconds (" + grace + ") must be >= preStop sleep ("
                + preStopSleepSeconds() + ") + quarkus.shutdown.timeout (" + requests + ") + poolgate.drain-timeout ("
                + drain + ") + pool close (" + POOL_CLOSE_SECONDS + ") = " + needed);
    }

    @Test
    void serviceForwardsToThePortNamedHttp() {
        assertEquals("http", Tree.string(Manifests.load("service.yaml"), "spec", "ports", 0, "targetPort"));
    }

    @Test
    void serviceSelectsTheDeploymentsPods() {
        Map<String, Object> selector = Tree.map(Manifests.load("service.yaml"), "spec", "selector");
        Map<String, Object> podLabels = Tree.map(Manifests.deployment(), "spec", "template", "metadata", "labels");
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()),
                "service selector " + selector + " does not match pod labels " + podLabels);
    }

    @Test
    void autoscalerScalesTheDeployment() {
        Map<String, Object> target = Tree.map(Manifests.load("hpa.yaml"), "spec", "scaleTargetRef");
        assertEquals(List.of("Deployment", Tree.string(Manifests.deployment(), "metadata", "name")),
                List.of(Tree.string(target, "kind"), Tree.string(target, "name")));
    }

    @Test
    void configMapIsMountedAsConfigInTheImagesWorkingDirectory() {
        String configMap = Tree.string(Manifests.load("configmap.yaml"), "metadata", "name");
        String volume = Tree.list(Manifests.deployment(), "spec", "template", "spec", "volumes").stream()
                .filter(v -> Tree.map(v).containsKey("configMap") && configMap.equals(Tree.string(v, "configMap", "name")))
                .map(v -> Tree.string(v, "name")).findFirst()
                .orElseThrow(() -> new AssertionError("no volume of ConfigMap '" + configMap + "'"));
        String mountPath = Tree.list(Manifests.container(), "volumeMounts").stream()
                .filter(m -> volume.equals(Tree.string(m, "name"))).map(m -> Tree.string(m, "mountPath")).findFirst()
                .orElseThrow(() -> new AssertionError("volume '" + volume + "' is not mounted"));
        assertEquals(Path.of(nativeImageWorkingDirectory(), "config"), Path.of(mountPath));
    }

    @Test
    void configMapDefinesAPostgresAndARedisPool() {
        Map<String, Object> pools = Tree.map(Manifests.yaml(Manifests.configMapApplicationYaml()), "poolgate", "pools");
        Set<String> kinds = pools.values().stream().map(p -> Tree.string(p, "kind")).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("postgres", "redis")), "pool kinds in the ConfigMap: " + kinds);
    }

    @Test
    void podConfigurationPassesTheGatewaysValidation() {
        PoolgateConfig config = PodConfig.poolgate();
        assertEquals(List.of(), ConfigValidator.check(config));
    }

    @Test
    void podAuthenticationIsOnWithKeysThatPassTheGatewaysValidation() {
        io.poolgate.security.AuthConfig auth = PodConfig.auth();
        assertTrue(auth.enabled(), "poolgate.auth.enabled in the pod");
        assertEquals(Set.of("app", "ops"), auth.keys().keySet());
        assertEquals(List.of(), io.poolgate.security.AuthValidator.check(auth, PodConfig.poolgate().pools().keySet()));
    }

    @Test
    void keyHashesComeFromTheSecretNotTheConfigMap() {
        Map<String, Object> keys = Tree.map(Manifests.yaml(Manifests.configMapApplicationYaml()), "poolgate", "auth",
                "keys");
        keys.forEach((name, key) -> assertTrue(!Tree.map(key).containsKey("hash"), "ConfigMap key '" + name
                + "' holds its hash"));
        Set<String> fromSecret = Tree.list(Manifests.container(), "env").stream()
                .filter(e -> Tree.map(e).containsKey("valueFrom")).map(e -> Tree.string(e, "name"))
                .collect(Collectors.toSet());
        assertTrue(fromSecret.containsAll(Set.of("POOLGATE_AUTH_KEYS_APP_HASH", "POOLGATE_AUTH_KEYS_OPS_HASH")),
                fromSecret.toString());
    }

    @Test
    void everySecretReferenceNamesAKeyOfTheExampleSecret() {
        Set<String> keys = Tree.map(Manifests.load("secret.example.yaml"), "stringData").keySet();
        Set<String> referenced = Tree.list(Manifests.container(), "env").stream()
                .filter(e -> Tree.map(e).containsKey("valueFrom"))
                .map(e -> Tree.string(e, "valueFrom", "secretKeyRef", "key"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(keys.containsAll(referenced), "referenced " + referenced + ", secret.example.yaml has " + keys);
    }

    @Test
    void everyManifestIsListedInTheKustomization() throws IOException {
        Set<String> resources = kustomizationResources();
        try (Stream<Path> files = Files.list(Manifests.DIR)) {
            Set<String> unlisted = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml") && !resources.contains(f))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(), unlisted);
        }
    }

    @Test
    void everyKustomizationResourceExists() {
        Set<String> missing = kustomizationResources().stream()
                .filter(r -> !Files.isRegularFile(Manifests.DIR.resolve(r)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing);
    }

    private static Set<String> kustomizationResources() {
        return Tree.list(Manifests.load("kustomization.yaml"), "resources").stream().map(String::valueOf)
                .collect(Collectors.toSet());
    }

    private static int containerPort(String name) {
        return Tree.list(Manifests.container(), "ports").stream()
                .filter(p -> name.equals(Tree.string(p, "name"))).map(p -> Tree.integer(p, "containerPort"))
                .findFirst().orElseThrow(() -> new AssertionError("no container port named '" + name + "'"));
    }

    /** The seconds of {@code preStop: exec: command: [sleep, N]}. */
    private static int preStopSleepSeconds() {
        List<Object> command = Tree.list(Manifests.container(), "lifecycle", "preStop", "exec", "command");
        assertEquals("sleep", String.valueOf(command.get(0)), "preStop command " + command);
        return Integer.parseInt(String.valueOf(command.get(1)));
    }

    /** The WORKDIR of src/main/docker/Dockerfile.native: where Quarkus looks for config/application.yaml. */
    private static String nativeImageWorkingDirectory() {
        Matcher workdir = Pattern.compile("(?m)^WORKDIR\\s+(\\S+)").matcher(
                Manifests.read(Path.of("src", "main", "docker", "Dockerfile.native")));
        assertTrue(workdir.find(), "no WORKDIR in Dockerfile.native");
        return workdir.group(1);
    }
}
