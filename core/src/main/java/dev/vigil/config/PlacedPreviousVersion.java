package dev.vigil.config;

import dev.vigil.Preflight;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.RollbackTrigger;

/**
 * A configured rollback command whose {@code ${vigil.deployment.previous-version}} placeholder was
 * filled in when the configuration was read, not run for a deployment of that very version: it
 * would deploy the version being rolled back again, as the command's own check refuses for
 * {@code $VIGIL_PREVIOUS_VERSION} ({@code --version 2.4.1 --previous-version 2.4.1} from a pipeline
 * that recorded the version after the deployment). An empty placeholder is a configuration problem
 * already.
 */
final class PlacedPreviousVersion implements RollbackTrigger {

    private final RollbackTrigger delegate;
    private final String placeholder;
    private final String placed;

    private PlacedPreviousVersion(RollbackTrigger delegate, String placeholder, String placed) {
        this.delegate = delegate;
        this.placeholder = placeholder;
        this.placed = placed;
    }

    /**
     * The command guarded, or as it is when no placeholder put a previous version into it.
     *
     * @param placeholder the placeholder as written, for the error: {@code ${vigil.deployment.previous-version}}
     * @param placed the value it put into the command, or {@code null} when the command has none
     */
    static RollbackTrigger guard(RollbackTrigger command, String placeholder, String placed) {
        return placed == null || placed.isBlank() ? command : new PlacedPreviousVersion(command, placeholder, placed);
    }

    @Override
    public String execute(RollbackEvent event) throws Exception {
        if (placed.equals(event.deployment().version())) {
            throw new RollbackException("rollback command not run: its " + placeholder + " placeholder put " + placed + " into it, the version being rolled back, so it would"
                    + " deploy that version again", false, "");
        }
        return delegate.execute(event);
    }

    @Override
    public boolean idempotent() {
        return delegate.idempotent();
    }

    @Override
    public Object identity() {
        return delegate.identity();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public String toString() {
        return description();
    }

    @Override
    public Preflight preflight() {
        return delegate.preflight();
    }
}
