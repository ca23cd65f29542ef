package dev.vigil.config;

import dev.vigil.Preflight;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.RollbackTrigger;
import dev.vigil.VigilException;
import java.util.List;

/** A configured trigger whose description, output and errors have the configuration's secrets blanked out. */
final class RedactingTrigger implements RollbackTrigger {

    private final RollbackTrigger delegate;
    private final List<String> secrets;

    RedactingTrigger(RollbackTrigger delegate, List<String> secrets) {
        this.delegate = delegate;
        this.secrets = List.copyOf(secrets);
    }

    @Override
    public String execute(RollbackEvent event) throws Exception {
        try {
            return Secrets.scrub(delegate.execute(event), secrets);
        } catch (InterruptedException e) {
            throw e;
        } catch (RollbackException e) {
            throw new RollbackException(Secrets.scrub(e.getMessage(), secrets), e.retryable(), Secrets.scrub(e.output(), secrets));
        } catch (Exception | Error e) {
            // Not a RollbackException: the runner then asks idempotent() whether to try again, as for
            // the delegate itself, and reports this error whatever idempotent() does. An Error too
            // (a plug-in's bug): its message may quote a secret just the same.
            // Named by its class, as the runner names an unconfigured trigger's: a NullPointerException has no message.
            throw new VigilException(Secrets.scrub(VigilException.describe(e), secrets));
        }
    }

    @Override
    public boolean idempotent() {
        try {
            return delegate.idempotent();
        } catch (Exception | Error e) {
            throw new VigilException(Secrets.scrub(VigilException.describe(e), secrets));
        }
    }

    @Override
    public Object identity() {
        return delegate.identity();
    }

    @Override
    public String description() {
        return Secrets.scrub(delegate.description(), secrets);
    }

    @Override
    public String toString() {
        return description();
    }

    @Override
    public Preflight preflight() {
        Preflight found = delegate.preflight();
        // null breaks the contract; the online check names the trigger that returned it.
        return found == null ? null : new Preflight(found.status(), Secrets.scrub(found.message(), secrets));
    }
}
