package dev.vigil.config;

import dev.vigil.ItemResult;
import dev.vigil.Plot;
import dev.vigil.Preflight;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.RetryableProbeException;
import dev.vigil.VigilException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configured probe whose description, conditions, plot and results have the configuration's
 * secrets blanked out, as {@link RedactingTrigger} does for a trigger: a probe knows its own
 * credentials, but not that a value it was given is secret because a placeholder made it from one
 * (a token in a URL's path, {@code /hooks/${HOOK_TOKEN}}). Thread-safe when the delegate is.
 */
final class RedactingProbe implements Probe {

    private final Probe delegate;
    private final List<String> secrets;

    RedactingProbe(Probe delegate, List<String> secrets) {
        this.delegate = delegate;
        this.secrets = List.copyOf(secrets);
    }

    @Override
    public ProbeResult measure(ProbeContext context) throws Exception {
        ProbeResult found;
        try {
            found = delegate.measure(context);
        } catch (RetryableProbeException e) {
            // retried as it would have been; the engine says its message
            throw new RetryableProbeException(scrub(e.getMessage()));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // what the engine makes of any other exception, masked
            return ProbeResult.error(scrub(VigilException.describe(e)));
        }
        return found == null ? null : scrub(found);
    }

    private ProbeResult scrub(ProbeResult r) {
        Map<String, Object> values = new LinkedHashMap<>();
        r.values().forEach((k, v) -> values.put(k, v instanceof String s ? scrub(s) : v));
        List<ItemResult> items = r.items().stream().map(i -> new ItemResult(i.id(), i.group(), scrub(i.name()), i.status(),
                i.duration(), scrub(i.message()), i.tags())).toList();
        return new ProbeResult(r.outcome(), values, scrub(r.explanation()), scrub(r.error()), items);
    }

    private String scrub(String text) {
        return Secrets.scrub(text, secrets);
    }

    @Override
    public String description() {
        return scrub(delegate.description());
    }

    @Override
    public String passWhen() {
        return scrub(delegate.passWhen());
    }

    @Override
    public String failWhen() {
        return scrub(delegate.failWhen());
    }

    @Override
    public Plot plot() {
        Plot plot = delegate.plot();
        if (plot == null) {
            return null;
        }
        List<Plot.Series> series = plot.series().stream().map(s -> new Plot.Series(s.key(), scrub(s.label()))).toList();
        Plot.Threshold t = plot.threshold();
        return new Plot(series, t == null ? null : new Plot.Threshold(t.value(), scrub(t.source())), plot.scale());
    }

    @Override
    public Preflight preflight(ProbeContext context) throws Exception {
        Preflight found = delegate.preflight(context);
        return found == null ? null : new Preflight(found.status(), scrub(found.message()));
    }

    @Override
    public void prepare() throws Exception {
        try {
            delegate.prepare();
        } catch (Exception e) {
            // logged by the engine: masked as a measurement's error is
            throw new VigilException(scrub(VigilException.describe(e)), e);
        }
    }

    @Override
    public java.time.Duration lookback() {
        return delegate.lookback();
    }

    @Override
    public List<String> warnings(dev.vigil.VerificationPlan plan) {
        try {
            return delegate.warnings(plan).stream().map(this::scrub).toList();
        } catch (RuntimeException e) {
            // a warning is advice: a probe that fails to give it has none
            return List.of();
        }
    }

    @Override
    public String passesWithoutEvidence() {
        return scrub(delegate.passesWithoutEvidence());
    }

    @Override
    public List<String> confirmationTests(String issue) {
        try {
            return delegate.confirmationTests(issue);
        } catch (RuntimeException e) {
            // its message is part of a refusal
            throw new VigilException(scrub(VigilException.describe(e)), e);
        }
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return scrub(delegate.toString());
    }
}
