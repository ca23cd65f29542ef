package dev.vigil.config;

import dev.vigil.RollbackException;
import dev.vigil.RollbackTrigger;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.RollbackSettings;
import dev.vigil.spi.RollbackTriggerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A rollback trigger that "opens a ticket", found through {@code META-INF/services} as a module's
 * would be. Its first {@code fail-attempts} attempts fail (retryable); its output names the
 * signing key, so that redaction can be seen; its description shows the timeout it was given. The
 * queue {@code crash} throws an {@link AssertionError} quoting the signing key.
 */
public final class TicketTriggerFactory implements RollbackTriggerFactory {

    /** For {@link java.util.ServiceLoader}. */
    public TicketTriggerFactory() {
    }

    @Override
    public String name() {
        return "ticket";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(ConfigKey.of("queue", Kind.STRING, null, "The queue the ticket goes to."),
                ConfigKey.of("fail-attempts", Kind.INTEGER, "0", "Attempts that fail before one succeeds."),
                ConfigKey.secret("signing-key", Kind.STRING, "Signs the ticket."));
    }

    @Override
    public RollbackTrigger create(RollbackSettings settings) {
        Optional<String> queue = settings.requiredString("queue");
        int failing = settings.integer("fail-attempts").orElse(0);
        String signingKey = settings.string("signing-key").orElse("none");
        Duration timeout = settings.timeout();
        return queue.map(q -> new RollbackTrigger() {
            @Override
            public String execute(dev.vigil.RollbackEvent event) {
                if (q.equals("crash")) {
                    // A plug-in's bug that ends in an Error, quoting its secret.
                    throw new AssertionError("could not sign with " + signingKey);
                }
                if (event.attempt() <= failing) {
                    throw new RollbackException("queue " + q + " is busy", true, "");
                }
                return "ticket opened in " + q + " for " + event.deployment().service() + ", signed with " + signingKey;
            }

            @Override
            public String description() {
                return "ticket: " + q + " (timeout " + Values.format(timeout) + ")";
            }
        }).orElse(null);
    }
}
