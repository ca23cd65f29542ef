package dev.vigil.spi;

import java.time.Duration;

/**
 * One rollback trigger's configuration as a {@link RollbackTriggerFactory} sees it: its values,
 * read by key relative to the trigger ({@code url} for {@code vigil.rollback.webhook.url}) as
 * {@link ConfigSettings} describes, and the policy the core binds for every trigger.
 * Implemented by the configuration binder.
 */
public interface RollbackSettings extends ConfigSettings {

    /**
     * How long one attempt may take ({@code vigil.rollback.timeout}, default
     * {@link dev.vigil.RollbackPolicy#DEFAULT_TIMEOUT}). A trigger with a time limit of
     * its own (a connection, a request) uses this one, as the command trigger does.
     *
     * @return how long one attempt may take
     */
    Duration timeout();
}
