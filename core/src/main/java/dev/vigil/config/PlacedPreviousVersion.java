package dev.vigil.config;

import dev.vigil.Preflight;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.RollbackTrigger;
import java.util.List;

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

    /**
     * The command's identity with the previous version placed into it written as the placeholder
     * again: two verifications of one deployment given two previous versions are the same trigger to
     * the {@link dev.vigil.RollbackCoordinator}, which then runs one rollback and tells the other that
     * it went to another version, not two rollbacks to two versions at once (whichever finished last
     * would stay). A value that also stands elsewhere in the command is written as the placeholder
     * there too: at worst two commands are taken for one, and the second, given another previous
     * version, reports the shared rollback {@code FAILED}.
     */
    @Override
    public Object identity() {
        Object identity = delegate.identity();
        if (identity instanceof List<?> argv && argv.stream().allMatch(String.class::isInstance)) {
            return new Unplaced(argv.stream().map(a -> ((String) a).replace(placed, placeholder)).toList());
        }
        return identity;
    }

    /** A command's program and arguments with the previous version written as its placeholder. */
    private record Unplaced(List<String> argv) {
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
