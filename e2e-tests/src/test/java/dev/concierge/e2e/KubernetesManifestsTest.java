package dev.concierge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks the kustomize manifests under {@code k8s/} without a cluster: they parse, the kustomizations
 * point at files that exist, and every base Deployment follows the platform's conventions (naming,
 * probes, resources, security context). Each test collects every violation and reports them together.
 */
class KubernetesManifestsTest {

    private static final List<String> SERVICES = List.of(
            "gateway-service", "chat-service", "search-service",
            "scraper-service", "commerce-service", "embedding-worker");

    private static final Set<String> KUSTOMIZATION_FILE_NAMES =
            Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private static final Pattern SECRET_LIKE_ENV_NAME =
            Pattern.compile("(.*_)?(PASSWORD|SECRET|TOKEN|API_KEY|ADMIN_KEY|CREDENTIALS)");

    private static Path k8s;

    @BeforeAll
    static void locateManifests() {
        k8s = repositoryRoot().resolve("k8s");
    }

    @Test
    void everyManifestParsesAsYaml() {
        List<Path> files = yamlFiles(k8s);
        List<String> violations = new ArrayList<>();
        for (Path file : files) {
            try {
                List<Object> documents = parseAll(file);
                if (isKustomization(file)) {
                    for (Map<String, Object> patch : maps(map(documents.get(0)).get("patches"))) {
                        if (patch.get("patch") instanceof String inline) {
                            parseAll(inline);
                        }
                    }
                }
            } catch (RuntimeException e) {
                violations.add(relative(file) + ": " + e.getMessage());
            }
        }

        assertThat(files).as("YAML files under %s", k8s).isNotEmpty();
        assertThat(violations).as("YAML that does not parse").isEmpty();
    }

    @Test
    void everyDocumentDeclaresApiVersionAndKind() {
        List<String> violations = new ArrayList<>();
        for (Path file : yamlFiles(k8s)) {
            List<Object> documents = parseAll(file);
            for (int i = 0; i < documents.size(); i++) {
                Object document = documents.get(i);
                if (document == null) {
                    continue; // an empty document, e.g. after a trailing "---"
                }
                if (!(document instanceof Map<?, ?> fields)) {
                    violations.add(relative(file) + " document " + (i + 1) + " is not a mapping");
                } else if (!(fields.get("apiVersion") instanceof String) || !(fields.get("kind") instanceof String)) {
                    violations.add(relative(file) + " document " + (i + 1) + " lacks apiVersion or kind");
                }
            }
        }

        assertThat(violations).as("documents kubectl/kustomize cannot identify").isEmpty();
    }

    @Test
    void everyKustomizationReferencesExistingFiles() {
        List<Path> kustomizations = yamlFiles(k8s).stream().filter(KubernetesManifestsTest::isKustomization).toList();
        List<String> violations = new ArrayList<>();
        for (Path kustomization : kustomizations) {
            Path dir = kustomization.getParent();
            Map<String, Object> spec = map(parseAll(kustomization).get(0));

            for (String resource : strings(spec.get("resources"))) {
                if (isRemote(resource)) {
                    continue;
                }
                Path target = dir.resolve(resource).normalize();
                if (Files.isDirectory(target)) {
                    if (kustomizationIn(target) == null) {
                        violations.add(relative(kustomization) + ": resource directory " + resource + " has no kustomization.yaml");
                    }
                } else if (!Files.isRegularFile(target)) {
                    violations.add(relative(kustomization) + ": resource " + resource + " does not exist");
                }
            }

            for (String component : strings(spec.get("components"))) {
                if (isRemote(component)) {
                    continue;
                }
                Path componentKustomization = kustomizationIn(dir.resolve(component).normalize());
                if (componentKustomization == null) {
                    violations.add(relative(kustomization) + ": component " + component + " is not a directory with a kustomization.yaml");
                } else if (!"Component".equals(map(parseAll(componentKustomization).get(0)).get("kind"))) {
                    violations.add(relative(kustomization) + ": component " + component + " is not of kind Component");
                }
            }

            List<String> patchFiles = new ArrayList<>();
            for (Object patch : list(spec.get("patches"))) {
                if (patch instanceof Map<?, ?> entry && entry.get("path") instanceof String path) {
                    patchFiles.add(path);
                } else if (patch instanceof Map<?, ?> entry && !(entry.get("patch") instanceof String)) {
                    violations.add(relative(kustomization) + ": patch entry has neither path nor patch: " + entry);
                }
            }
            for (Object patch : list(spec.get("patchesStrategicMerge"))) {
                if (patch instanceof String path && !path.contains("\n")) {
                    patchFiles.add(path);
                }
            }
            for (Map<String, Object> generator : concat(maps(spec.get("configMapGenerator")), maps(spec.get("secretGenerator")))) {
                for (String source : concat(strings(generator.get("files")), strings(generator.get("envs")))) {
                    patchFiles.add(source.contains("=") ? source.substring(source.indexOf('=') + 1) : source);
                }
            }
            for (String path : patchFiles) {
                if (!Files.isRegularFile(dir.resolve(path).normalize())) {
                    violations.add(relative(kustomization) + ": file " + path + " does not exist");
                }
            }
        }

        assertThat(kustomizations).as("kustomization files under %s", k8s).isNotEmpty();
        assertThat(violations).as("dangling references in kustomizations").isEmpty();
    }

    @Test
    void baseKustomizationListsAllSixServices() {
        Map<String, Object> base = map(parseAll(k8s.resolve("base/kustomization.yaml")).get(0));
        List<String> resources = strings(base.get("resources")).stream()
                .map(resource -> resource.replaceFirst("^\\./", "").replaceFirst("/$", ""))
                .toList();

        assertThat(resources).as("resources of k8s/base/kustomization.yaml").containsAll(SERVICES);
        assertThat(serviceDirectories()).as("service directories under k8s/base").containsExactlyInAnyOrderElementsOf(SERVICES);
    }

    @Test
    void everyBaseDeploymentIsLabelledWithItsDirectoryName() {
        List<String> violations = new ArrayList<>();
        for (String service : serviceDirectories()) {
            List<Map<String, Object>> deployments = baseDocuments(service, "Deployment");
            if (deployments.size() != 1) {
                violations.add(service + ": expected one Deployment, found " + deployments.size());
                continue;
            }
            Map<String, Object> deployment = deployments.get(0);
            Map<String, Object> podTemplate = map(at(deployment, "spec", "template"));
            expectEqual(violations, service, "metadata.name", at(deployment, "metadata", "name"), service);
            expectEqual(violations, service, "metadata.labels.app", at(deployment, "metadata", "labels", "app"), service);
            expectEqual(violations, service, "metadata.labels[app.kubernetes.io/part-of]",
                    at(deployment, "metadata", "labels", "app.kubernetes.io/part-of"), "concierge");
            expectEqual(violations, service, "spec.selector.matchLabels.app",
                    at(deployment, "spec", "selector", "matchLabels", "app"), service);
            expectEqual(violations, service, "pod template label app", at(podTemplate, "metadata", "labels", "app"), service);
            expectEqual(violations, service, "pod template label app.kubernetes.io/part-of",
                    at(podTemplate, "metadata", "labels", "app.kubernetes.io/part-of"), "concierge");
            for (Map<String, Object> container : containers(deployment)) {
                expectEqual(violations, service, "image of container " + container.get("name"), container.get("image"), service);
            }
        }

        assertThat(serviceDirectories()).as("service directories under k8s/base").isNotEmpty();
        assertThat(violations).as("Deployments not named after their directory").isEmpty();
    }

    @Test
    void everyBaseDeploymentHasAClusterIpServiceOnItsPort() {
        List<String> violations = new ArrayList<>();
        for (String service : serviceDirectories()) {
            List<Map<String, Object>> deployments = baseDocuments(service, "Deployment");
            Map<String, Object> svc = baseDocuments(service, "Service").stream()
                    .filter(candidate -> service.equals(at(candidate, "metadata", "name")))
                    .findFirst().orElse(null);
            if (deployments.isEmpty() || svc == null) {
                violations.add(service + ": needs a Deployment and a Service named " + service);
                continue;
            }
            Map<String, Object> container = containers(deployments.get(0)).get(0);
            Object type = at(svc, "spec", "type");
            if (type != null && !"ClusterIP".equals(type)) {
                violations.add(service + ": Service type is " + type + ", expected ClusterIP");
            }
            expectEqual(violations, service, "Service selector app", at(svc, "spec", "selector", "app"), service);
            Map<String, Object> http = maps(at(svc, "spec", "ports")).stream()
                    .filter(port -> "http".equals(port.get("name")))
                    .findFirst().orElse(null);
            if (http == null) {
                violations.add(service + ": Service has no port named http");
                continue;
            }
            Integer containerPort = containerPort(container);
            expectEqual(violations, service, "Service port (other services call it on the container port)",
                    http.get("port"), containerPort);
            Object targetPort = http.containsKey("targetPort") ? http.get("targetPort") : http.get("port");
            if (!isPortOf(container, targetPort)) {
                violations.add(service + ": Service targetPort " + targetPort + " is not a port the container declares");
            }
        }

        assertThat(violations).as("Deployments without a matching Service").isEmpty();
    }

    @Test
    void everyDeploymentHasHealthProbesOnItsOwnPort() {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : baseContainers().entrySet()) {
            String where = entry.getKey();
            Map<String, Object> container = entry.getValue();
            expectProbe(violations, where, container, "livenessProbe", "/actuator/health/liveness", true);
            expectProbe(violations, where, container, "readinessProbe", "/actuator/health/readiness", true);
            expectProbe(violations, where, container, "startupProbe", "/actuator/health/liveness", false);
        }

        assertThat(baseContainers()).as("containers of base Deployments").isNotEmpty();
        assertThat(violations).as("missing or misdirected health probes").isEmpty();
    }

    @Test
    void everyContainerDeclaresResourceRequestsWithinLimits() {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : baseContainers().entrySet()) {
            String where = entry.getKey();
            Map<String, Object> resources = map(entry.getValue().get("resources"));
            for (String resource : List.of("cpu", "memory")) {
                Object request = at(resources, "requests", resource);
                Object limit = at(resources, "limits", resource);
                if (request == null || limit == null) {
                    violations.add(where + ": needs both requests." + resource + " and limits." + resource);
                } else if (quantity(request.toString()).compareTo(quantity(limit.toString())) > 0) {
                    violations.add(where + ": requests." + resource + " " + request + " exceeds limits." + resource + " " + limit);
                }
            }
        }

        assertThat(violations).as("containers without sane resources").isEmpty();
    }

    @Test
    void everyContainerRunsAsNonRootWithoutPrivilegeEscalation() {
        List<String> violations = new ArrayList<>();
        for (String service : serviceDirectories()) {
            for (Map<String, Object> deployment : baseDocuments(service, "Deployment")) {
                Map<String, Object> podSpec = map(at(deployment, "spec", "template", "spec"));
                Map<String, Object> podContext = map(podSpec.get("securityContext"));
                for (Map<String, Object> container : containers(deployment)) {
                    String where = service + "/" + container.get("name");
                    Map<String, Object> context = map(container.get("securityContext"));

                    if (!Boolean.TRUE.equals(effective(context, podContext, "runAsNonRoot"))) {
                        violations.add(where + ": runAsNonRoot is not true");
                    }
                    Object user = effective(context, podContext, "runAsUser");
                    if ("0".equals(String.valueOf(user))) {
                        violations.add(where + ": runAsUser is 0 (root)");
                    }
                    if (!Boolean.FALSE.equals(context.get("allowPrivilegeEscalation"))) {
                        violations.add(where + ": allowPrivilegeEscalation is not false");
                    }
                    if (Boolean.TRUE.equals(context.get("privileged"))) {
                        violations.add(where + ": runs privileged");
                    }
                    if (!strings(at(context, "capabilities", "drop")).contains("ALL")) {
                        violations.add(where + ": does not drop ALL capabilities");
                    }
                    if (!"RuntimeDefault".equals(at(effectiveMap(context, podContext, "seccompProfile"), "type"))) {
                        violations.add(where + ": seccompProfile is not RuntimeDefault");
                    }
                    if (!Boolean.TRUE.equals(context.get("readOnlyRootFilesystem"))) {
                        violations.add(where + ": root filesystem is writable");
                    } else if (!hasEmptyDirAt(podSpec, container, "/tmp")) {
                        violations.add(where + ": read-only root filesystem but no emptyDir mounted at /tmp");
                    }
                }
            }
        }

        assertThat(violations).as("containers with a weak security context").isEmpty();
    }

    @Test
    void secretValuesComeOnlyFromSecretReferences() {
        List<String> violations = new ArrayList<>();
        for (Path file : yamlFiles(k8s)) {
            for (Object document : parseAll(file)) {
                Map<String, Object> fields = map(document);
                if ("Secret".equals(fields.get("kind")) && (fields.get("data") != null || fields.get("stringData") != null)) {
                    violations.add(relative(file) + ": commits a Secret with values");
                }
            }
            if (isKustomization(file)) {
                for (Map<String, Object> generator : maps(map(parseAll(file).get(0)).get("secretGenerator"))) {
                    if (generator.get("literals") != null) {
                        violations.add(relative(file) + ": secretGenerator " + generator.get("name") + " has literal values");
                    }
                }
            }
        }
        for (Map.Entry<String, Map<String, Object>> entry : baseContainers().entrySet()) {
            for (Map<String, Object> env : maps(entry.getValue().get("env"))) {
                String name = String.valueOf(env.get("name"));
                if (SECRET_LIKE_ENV_NAME.matcher(name).matches() && at(env, "valueFrom", "secretKeyRef") == null) {
                    violations.add(entry.getKey() + ": " + name + " does not come from a secretKeyRef");
                }
            }
        }

        assertThat(violations).as("secret values in git").isEmpty();
    }

    @Test
    void everyConfigMapKeyReferenceResolves() {
        Map<String, Object> base = map(parseAll(k8s.resolve("base/kustomization.yaml")).get(0));
        Map<String, Set<String>> configMaps = new LinkedHashMap<>();
        for (Map<String, Object> generator : maps(base.get("configMapGenerator"))) {
            Set<String> keys = configMaps.computeIfAbsent(String.valueOf(generator.get("name")), name -> new TreeSet<>());
            strings(generator.get("literals")).forEach(literal -> keys.add(literal.split("=", 2)[0]));
        }
        for (Path file : yamlFiles(k8s.resolve("base"))) {
            for (Object document : parseAll(file)) {
                Map<String, Object> fields = map(document);
                if ("ConfigMap".equals(fields.get("kind"))) {
                    configMaps.computeIfAbsent(String.valueOf(at(fields, "metadata", "name")), name -> new TreeSet<>())
                            .addAll(map(fields.get("data")).keySet());
                }
            }
        }

        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : baseContainers().entrySet()) {
            for (Map<String, Object> env : maps(entry.getValue().get("env"))) {
                Map<String, Object> reference = map(at(env, "valueFrom", "configMapKeyRef"));
                if (reference.isEmpty()) {
                    continue;
                }
                Set<String> keys = configMaps.get(String.valueOf(reference.get("name")));
                if (keys == null) {
                    violations.add(entry.getKey() + ": " + env.get("name") + " reads unknown ConfigMap " + reference.get("name"));
                } else if (!keys.contains(String.valueOf(reference.get("key")))) {
                    violations.add(entry.getKey() + ": " + env.get("name") + " reads missing key " + reference.get("key"));
                }
            }
        }

        assertThat(configMaps.keySet()).as("ConfigMaps defined in k8s/base").contains("concierge-config");
        assertThat(violations).as("env vars reading ConfigMap keys that do not exist").isEmpty();
    }

    @Test
    void serviceUrlsPointAtServicesAndPortsDeclaredInBase() {
        Map<String, Set<Integer>> servicePorts = new LinkedHashMap<>();
        for (String service : serviceDirectories()) {
            for (Map<String, Object> svc : baseDocuments(service, "Service")) {
                servicePorts.put(String.valueOf(at(svc, "metadata", "name")), maps(at(svc, "spec", "ports")).stream()
                        .map(port -> port.get("port") instanceof Number number ? number.intValue() : -1)
                        .collect(Collectors.toSet()));
            }
        }

        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : baseContainers().entrySet()) {
            for (Map<String, Object> env : maps(entry.getValue().get("env"))) {
                String name = String.valueOf(env.get("name"));
                if (!name.endsWith("_URL") || !(env.get("value") instanceof String value) || !value.startsWith("http")) {
                    continue;
                }
                URI uri = URI.create(value);
                Set<Integer> ports = servicePorts.get(uri.getHost());
                if (ports == null) {
                    violations.add(entry.getKey() + ": " + name + " names no Service in base: " + value);
                } else if (!ports.contains(uri.getPort())) {
                    violations.add(entry.getKey() + ": " + name + " uses port " + uri.getPort() + ", Service exposes " + ports);
                }
            }
        }

        assertThat(violations).as("service URLs that do not resolve inside the cluster").isEmpty();
    }

    @Test
    void everyServiceWithADatabaseUsesItsOwn() {
        Map<String, String> databases = new LinkedHashMap<>();
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : baseContainers().entrySet()) {
            Map<String, Object> envByName = new LinkedHashMap<>();
            maps(entry.getValue().get("env")).forEach(env -> envByName.put(String.valueOf(env.get("name")), env));
            if (!envByName.containsKey("PG_HOST")) {
                continue;
            }
            Object database = at(envByName.get("PG_DATABASE"), "value");
            if (!(database instanceof String name) || name.isBlank()) {
                violations.add(entry.getKey() + ": uses PostgreSQL but sets no PG_DATABASE");
            } else if (databases.containsValue(name)) {
                violations.add(entry.getKey() + ": shares database " + name + " with another service");
            } else {
                databases.put(entry.getKey(), name);
            }
        }

        assertThat(databases).as("databases per service").isNotEmpty();
        assertThat(violations).as("services without a database of their own").isEmpty();
    }

    @Test
    void overlaysCustomiseOnlyServicesThatExist() {
        List<String> violations = new ArrayList<>();
        for (Path kustomization : yamlFiles(k8s.resolve("overlays")).stream().filter(KubernetesManifestsTest::isKustomization).toList()) {
            Map<String, Object> spec = map(parseAll(kustomization).get(0));
            for (String section : List.of("images", "replicas")) {
                for (Map<String, Object> entry : maps(spec.get(section))) {
                    if (!SERVICES.contains(String.valueOf(entry.get("name")))) {
                        violations.add(relative(kustomization) + ": " + section + " entry " + entry.get("name") + " matches no service");
                    }
                }
            }
        }

        assertThat(violations).as("overlay entries kustomize would silently ignore").isEmpty();
    }

    @Test
    void prodOverlayGivesEveryServiceADisruptionBudget() {
        Set<String> budgeted = new TreeSet<>();
        Set<String> autoscaled = new TreeSet<>();
        for (Path file : yamlFiles(k8s.resolve("overlays/prod"))) {
            for (Object document : parseAll(file)) {
                Map<String, Object> fields = map(document);
                if ("PodDisruptionBudget".equals(fields.get("kind"))) {
                    budgeted.add(String.valueOf(at(fields, "spec", "selector", "matchLabels", "app")));
                } else if ("HorizontalPodAutoscaler".equals(fields.get("kind"))) {
                    autoscaled.add(String.valueOf(at(fields, "spec", "scaleTargetRef", "name")));
                }
            }
        }

        assertThat(new ArrayList<>(budgeted)).as("services with a PodDisruptionBudget in prod").containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(new ArrayList<>(autoscaled)).as("HPA targets in prod").containsAll(List.of("chat-service", "embedding-worker"));
        assertThat(SERVICES).as("HPA targets in prod must be services").containsAll(autoscaled);
    }

    // --- checks -----------------------------------------------------------------------------------

    private static void expectProbe(List<String> violations, String where, Map<String, Object> container,
                                    String probe, String path, boolean required) {
        Object definition = container.get(probe);
        if (definition == null) {
            if (required) {
                violations.add(where + ": has no " + probe);
            }
            return;
        }
        Map<String, Object> httpGet = map(at(definition, "httpGet"));
        if (httpGet.isEmpty()) {
            violations.add(where + ": " + probe + " is not an httpGet probe");
            return;
        }
        expectEqual(violations, where, probe + " path", httpGet.get("path"), path);
        if (!isPortOf(container, httpGet.get("port"))) {
            violations.add(where + ": " + probe + " port " + httpGet.get("port") + " is not the container's port " + containerPort(container));
        }
    }

    private static void expectEqual(List<String> violations, String where, String what, Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            violations.add(where + ": " + what + " is " + actual + ", expected " + expected);
        }
    }

    /** A port reference (number or name) that resolves to a port the container declares. */
    private static boolean isPortOf(Map<String, Object> container, Object port) {
        return port != null && maps(container.get("ports")).stream()
                .anyMatch(declared -> Objects.equals(declared.get("containerPort"), port) || Objects.equals(declared.get("name"), port));
    }

    private static Integer containerPort(Map<String, Object> container) {
        List<Map<String, Object>> ports = maps(container.get("ports"));
        return ports.isEmpty() || !(ports.get(0).get("containerPort") instanceof Number number) ? null : number.intValue();
    }

    private static boolean hasEmptyDirAt(Map<String, Object> podSpec, Map<String, Object> container, String mountPath) {
        Set<String> emptyDirs = maps(podSpec.get("volumes")).stream()
                .filter(volume -> volume.containsKey("emptyDir"))
                .map(volume -> String.valueOf(volume.get("name")))
                .collect(Collectors.toSet());
        return maps(container.get("volumeMounts")).stream()
                .anyMatch(mount -> mountPath.equals(mount.get("mountPath")) && emptyDirs.contains(String.valueOf(mount.get("name"))));
    }

    private static Object effective(Map<String, Object> containerContext, Map<String, Object> podContext, String field) {
        return containerContext.containsKey(field) ? containerContext.get(field) : podContext.get(field);
    }

    private static Map<String, Object> effectiveMap(Map<String, Object> containerContext, Map<String, Object> podContext, String field) {
        return map(effective(containerContext, podContext, field));
    }

    /** Kubernetes quantities as used for cpu and memory: 250m, 1, 0.5, 512Mi, 1Gi, 1G. */
    private static BigDecimal quantity(String text) {
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
                {"m", "0.001"}, {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}};
        for (String[] suffix : suffixes) {
            if (text.endsWith(suffix[0])) {
                return new BigDecimal(text.substring(0, text.length() - suffix[0].length())).multiply(new BigDecimal(suffix[1]));
            }
        }
        return new BigDecimal(text);
    }

    // --- manifests --------------------------------------------------------------------------------

    /**
     * The repository root: the nearest directory with k8s/ and pom.xml, from {@code -Dconcierge.root} (set by
     * this module's pom for Failsafe) or else the working directory, upwards.
     */
    private static Path repositoryRoot() {
        String configured = System.getProperty("concierge.root", "");
        Path start = (configured.isBlank() ? Path.of("") : Path.of(configured)).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("k8s")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No directory with k8s/ and pom.xml at or above " + start);
    }

    private static List<Path> yamlFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().matches(".*\\.ya?ml|Kustomization"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isKustomization(Path file) {
        return KUSTOMIZATION_FILE_NAMES.contains(file.getFileName().toString());
    }

    private static Path kustomizationIn(Path dir) {
        return KUSTOMIZATION_FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static boolean isRemote(String reference) {
        return reference.contains("://") || reference.startsWith("github.com/") || reference.contains("?ref=");
    }

    /** Directories directly under k8s/base, each one service. */
    private static List<String> serviceDirectories() {
        try (Stream<Path> entries = Files.list(k8s.resolve("base"))) {
            return entries.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> baseDocuments(String service, String kind) {
        return yamlFiles(k8s.resolve("base").resolve(service)).stream()
                .filter(file -> !isKustomization(file))
                .flatMap(file -> parseAll(file).stream())
                .map(KubernetesManifestsTest::map)
                .filter(document -> kind.equals(document.get("kind")))
                .toList();
    }

    /** Every container of every base Deployment, keyed "service/container". */
    private static Map<String, Map<String, Object>> baseContainers() {
        Map<String, Map<String, Object>> containers = new LinkedHashMap<>();
        for (String service : serviceDirectories()) {
            for (Map<String, Object> deployment : baseDocuments(service, "Deployment")) {
                for (Map<String, Object> container : containers(deployment)) {
                    containers.put(service + "/" + container.get("name"), container);
                }
            }
        }
        return containers;
    }

    private static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        return maps(at(deployment, "spec", "template", "spec", "containers"));
    }

    private static List<Object> parseAll(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<Object> documents = new ArrayList<>();
            yaml().loadAll(reader).forEach(documents::add);
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Object> parseAll(String text) {
        List<Object> documents = new ArrayList<>();
        yaml().loadAll(text).forEach(documents::add);
        return documents;
    }

    /** Safe types only, and duplicate keys are errors, as they are for kubectl and kustomize. */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private static Path relative(Path file) {
        return k8s.getParent().relativize(file);
    }

    // --- navigating parsed YAML -------------------------------------------------------------------

    private static Object at(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> fields)) {
                return null;
            }
            current = fields.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> fields ? (Map<String, Object>) fields : Map.of();
    }

    private static List<?> list(Object node) {
        return node instanceof List<?> items ? items : List.of();
    }

    private static List<Map<String, Object>> maps(Object node) {
        return list(node).stream().filter(Map.class::isInstance).map(KubernetesManifestsTest::map).toList();
    }

    private static List<String> strings(Object node) {
        return list(node).stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
