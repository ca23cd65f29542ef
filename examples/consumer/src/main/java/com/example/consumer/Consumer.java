package com.example.consumer;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.DeployVerifier;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.VigilConfig;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Uses Vigil only through what is published: starts a service on loopback, configures a verifier
 * from properties with an {@code http} probe, verifies the service and exits 0 only when the
 * verdict is {@code HEALTHY}. Before that, it checks that every Vigil jar on the classpath holds
 * Vigil's classes only (no shaded library leaking into a published jar).
 */
public final class Consumer {

    private Consumer() {
    }

    public static void main(String[] args) throws IOException {
        List<String> problems = checkVigilJars();
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("consumer: " + p));
            System.exit(1);
        }

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/actuator/health", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        int exit;
        try {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("vigil.deployment.service", "consumer");
            properties.put("vigil.deployment.version", "1.0.1");
            properties.put("vigil.deployment.previous-version", "1.0.0");
            properties.put("vigil.plan.interval", "500ms");
            properties.put("vigil.plan.duration", "2s");
            properties.put("vigil.probes.health.type", "http");
            properties.put("vigil.probes.health.url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/actuator/health");
            properties.put("vigil.probes.health.timeout", "400ms");
            properties.put("vigil.probes.health.pass-when", "status == 200 && body.status == \"UP\"");

            // No environment layer: CI's own VIGIL_* variables are not configuration.
            BoundConfig config = VigilConfig.builder().environment(Map.of()).build().load(properties);
            try (DeployVerifier verifier = config.verifier()) {
                VerificationReport report = verifier.verifyAfterDeploy(config.deployment().toDeployment());
                System.out.println("consumer: " + report.verdict() + ": " + report.reason());
                exit = report.verdict() == Verdict.HEALTHY ? 0 : 1;
            }
        } finally {
            server.stop(0);
        }
        System.exit(exit);
    }

    /** Every class in a vigil-*.jar on the classpath must be under dev/vigil; core and the HTTP probes must be there. */
    private static List<String> checkVigilJars() throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File file = new File(entry);
            if (!file.isFile() || !file.getName().startsWith("vigil-")) {
                continue;
            }
            found.add(file.getName());
            System.out.println("consumer: uses " + file);
            try (JarFile jar = new JarFile(file)) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.endsWith(".class") && !name.startsWith("dev/vigil/")) {
                        problems.add(file.getName() + " holds a class that is not Vigil's: " + name);
                    }
                }
            }
        }
        for (String artifact : List.of("vigil-core-", "vigil-probes-http-")) {
            if (found.stream().noneMatch(name -> name.startsWith(artifact))) {
                problems.add("no " + artifact + "*.jar on the classpath: " + found);
            }
        }
        return problems;
    }
}
