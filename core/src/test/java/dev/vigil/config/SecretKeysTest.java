package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A factory can ask which of its values are secret, as the binder decides it for messages and reports. */
class SecretKeysTest {

    /** Records, for each of its parameters, whether the binder calls it secret. */
    private static final class Recorder implements ProbeFactory {
        final Map<String, Boolean> secret = new TreeMap<>();

        @Override
        public String type() {
            return "recorder";
        }

        @Override
        public List<ConfigKey> keys() {
            return List.of(ConfigKey.of("parameters", Kind.MAP, null, "Values for the probe."),
                    ConfigKey.secret("credentials", Kind.MAP, "Declared secret."));
        }

        @Override
        public Probe create(ProbeSettings settings) {
            settings.map("parameters").keySet().forEach(k -> secret.put("parameters." + k, settings.secret("parameters." + k)));
            settings.map("credentials").keySet().forEach(k -> secret.put("credentials." + k, settings.secret("credentials." + k)));
            return context -> ProbeResult.error("does not measure");
        }
    }

    @Test
    void secretByNameByDeclarationOrByTheVariableItCameFrom() {
        Recorder recorder = new Recorder();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "orders");
        p.put("vigil.deployment.version", "1.0.0");
        p.put("vigil.probes.smoke.type", "recorder");
        p.put("vigil.probes.smoke.parameters.base-url", "http://localhost:8080");
        p.put("vigil.probes.smoke.parameters.api-token", "t-1");
        p.put("vigil.probes.smoke.parameters.login", "${ORDERS_PASSWORD}");
        p.put("vigil.probes.smoke.parameters.region", "${REGION}");
        p.put("vigil.probes.smoke.credentials.user", "robot");

        VigilConfig.builder().environment(Map.of("ORDERS_PASSWORD", "pw-123", "REGION", "eu")).serviceLoader(false)
                .probeFactory(recorder).build().load(p);

        assertThat(recorder.secret).containsExactly(
                Map.entry("credentials.user", true),
                Map.entry("parameters.api-token", true),
                Map.entry("parameters.base-url", false),
                Map.entry("parameters.login", true),
                Map.entry("parameters.region", false));
    }
}
