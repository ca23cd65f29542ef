package dev.vigil.http.internal;

import dev.vigil.RollbackTrigger;
import dev.vigil.http.WebhookTarget;
import dev.vigil.http.Webhooks;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.RollbackSettings;
import dev.vigil.spi.RollbackTriggerFactory;
import java.util.List;
import java.util.Optional;

/**
 * {@code vigil.rollback.webhook.*}: the rollback posted as JSON to another system, as
 * {@link Webhooks#rollbackTrigger(WebhookTarget)} does, each post bounded by
 * {@code vigil.rollback.timeout}, with the rollback's id in the {@code Idempotency-Key} header and
 * retried only when the receiver cannot have acted on a post (no connection; 429, 503),
 * within {@code vigil.rollback.max-attempts}. Found by {@link java.util.ServiceLoader}; stateless and
 * thread-safe. Public only for the service loader.
 */
public final class WebhookTriggerFactory implements RollbackTriggerFactory {

    private static final List<ConfigKey> KEYS = List.of(
            ConfigKey.of("url", Kind.STRING, null, "The http:// or https:// URL the rollback event is posted to."),
            ClientSettings.HEADERS,
            ClientSettings.BEARER_TOKEN,
            ClientSettings.USERNAME,
            ClientSettings.PASSWORD,
            ClientSettings.TRUST_STORE,
            ClientSettings.TRUST_STORE_PASSWORD,
            ClientSettings.INSECURE);

    /** For {@link java.util.ServiceLoader}. */
    public WebhookTriggerFactory() {
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String description() {
        return "a POST of the rollback event as JSON to a system that rolls back, with an Idempotency-Key header";
    }

    @Override
    public List<ConfigKey> keys() {
        return KEYS;
    }

    @Override
    public RollbackTrigger create(RollbackSettings settings) {
        Optional<String> url = settings.requiredString("url");
        if (url.isEmpty()) {
            throw InvalidSettingsException.reported(settings);
        }
        WebhookTarget.Builder builder;
        try {
            builder = Webhooks.target(url.get()).timeout(settings.timeout());
        } catch (IllegalArgumentException e) {
            settings.problem("url", e.getMessage());
            throw InvalidSettingsException.reported(settings);
        }
        Problems problems = new Problems(settings);
        ClientSettings.headers(settings, problems, builder::header);
        ClientSettings.credentials(settings, problems, builder::bearerToken, builder::basicAuth);
        ClientSettings.trust(settings, problems, builder::trustStore, builder::insecure);
        if (problems.failed()) {
            throw InvalidSettingsException.reported(settings);
        }
        try {
            return Webhooks.rollbackTrigger(builder.build());
        } catch (IllegalArgumentException e) {
            settings.problem(ClientSettings.keyFor(e.getMessage()), e.getMessage());
            throw InvalidSettingsException.reported(settings);
        }
    }
}
