package dev.vigil;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regression guard: a test that confirmed an earlier fix of the service joins the regression
 * suite, and every later verification checks that it still ran and passed in the latest run of its
 * probe. Off without a {@link PastConfirmations}; a failure to read them is a warning in the log and
 * no guard, never a changed verdict.
 */
final class RegressionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(RegressionGuard.class);

    /** How long the earlier confirmations are waited for at most: the release history may not answer. */
    static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);

    private final PastConfirmations source;
    private final boolean required;
    private final java.time.Duration wait;

    RegressionGuard(PastConfirmations source, boolean required) {
        this(source, required, WAIT);
    }

    /** With another wait, for tests. */
    RegressionGuard(PastConfirmations source, boolean required, java.time.Duration wait) {
        this.source = source;
        this.required = required;
        this.wait = wait;
    }

    /**
     * The earlier confirmations for this deployment's service; empty when off, unreadable, or not
     * answered within {@link #WAIT} (a history that accepted the connection and went silent held the
     * verification before its first round for good, and so its rollback).
     */
    Map<String, List<String>> past(Deployment deployment) {
        if (source == null) {
            return Map.of();
        }
        java.util.concurrent.Future<Map<String, List<String>>> asked = DaemonCalls.submit(() -> source.confirmedBefore(deployment));
        try {
            Map<String, List<String>> found;
            try {
                found = asked.get(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                asked.cancel(true);
                LOG.warn("the regression guard could not read the earlier confirmations of {}: they did not come within {}"
                        + " (the release history does not answer); the guard is skipped in this verification",
                        deployment.service(), Durations.format(wait));
                return Map.of();
            } catch (InterruptedException e) {
                asked.cancel(true);
                Thread.currentThread().interrupt();
                return Map.of();
            }
            if (found == null) {
                return Map.of();
            }
            // A store of one's own may answer with null entries: an issue without a name or tests
            // guards nothing, and must not end the verification with an exception later.
            Map<String, List<String>> usable = new java.util.LinkedHashMap<>();
            found.forEach((issue, tests) -> {
                List<String> named = tests == null ? List.of()
                        : tests.stream().filter(t -> t != null && !t.isBlank()).toList();
                if (issue != null && !named.isEmpty()) {
                    usable.put(issue, named);
                }
            });
            return usable;
        } catch (RuntimeException e) {
            LOG.warn("the regression guard could not read the earlier confirmations of {}: {}", deployment.service(),
                    VigilException.describe(e));
            return Map.of();
        }
    }

    /** Whether a past confirmation that no longer holds makes the verification unhealthy. */
    boolean required() {
        return source != null && required;
    }

    /**
     * Each earlier confirmation test, of a fix this deployment does not itself fix, that only a probe
     * measured in the re-check only holds ({@link RecheckPlan#only()}): the bake cannot run it again.
     * Found by the tests such a probe has tagged with the issue ({@link Probe#confirmationTests}); a
     * probe that cannot look for them is passed over.
     *
     * @param recheckOnly the probes measured in the re-check only
     * @return one {@code NOT_PROVEN} regression confirmation per such test, naming the probe
     */
    static List<Confirmation> outOfTheBake(Map<String, List<String>> past, Deployment deployment, List<ProbeSpec> recheckOnly) {
        List<Confirmation> out = new ArrayList<>();
        if (recheckOnly.isEmpty()) {
            return out;
        }
        past.forEach((issue, tests) -> {
            if (deployment.fixes().contains(issue)) {
                return;
            }
            List<Confirmer> holders = Confirmer.find(issue, recheckOnly);
            for (String test : tests) {
                holders.stream().filter(c -> c.tests().contains(label(test))).findFirst().ifPresent(c -> out.add(
                        new Confirmation(issue, c.probe(), List.of(test), Confirmation.Status.NOT_PROVEN, issue
                                + "'s confirmation test `" + test + "` is in probe " + c.probe() + ", measured in the re-check"
                                + " only (recheck=only), so the bake cannot run it again: move it to a probe of the bake", true)));
            }
        });
        return out;
    }

    /** A remembered test's {@link ItemResult#label()}: its class's simple name ({@code com.acme.CheckoutTest#coupons} -> {@code CheckoutTest#coupons}). */
    private static String label(String test) {
        int hash = test.indexOf('#');
        return hash < 0 ? test : test.substring(test.lastIndexOf('.', hash) + 1);
    }

    /** When required, the sentence that makes the verification unhealthy, if a past confirmation no longer holds. */
    Optional<String> failing(List<Confirmation> confirmations) {
        List<String> broken = confirmations.stream().filter(c -> c.regression() && !c.confirmed())
                .map(Confirmation::explanation).toList();
        if (!required || broken.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("regression guard: " + String.join("; ", broken) + " (vigil.regressions.require-past-confirmations=true)");
    }

    /**
     * Each earlier confirmation test of a fix this deployment does not itself fix, looked for in the
     * latest run of every probe; one that did not run there and is in a probe measured in the
     * re-check only is reported as {@code outOfTheBake} says.
     *
     * @param outOfTheBake what {@link #outOfTheBake} found
     */
    static List<Confirmation> check(Map<String, List<String>> past, Deployment deployment, List<ProbeReport> reports,
            List<Confirmation> outOfTheBake) {
        List<Confirmation> out = new ArrayList<>();
        past.forEach((issue, tests) -> {
            if (deployment.fixes().contains(issue)) {
                return;
            }
            for (String test : tests) {
                out.add(find(issue, test, reports, outOfTheBake));
            }
        });
        return out;
    }

    private static Confirmation find(String issue, String test, List<ProbeReport> reports, List<Confirmation> outOfTheBake) {
        for (ProbeReport report : reports) {
            Optional<ItemResult> item = report.latestRun()
                    .flatMap(run -> run.items().stream().filter(it -> names(it, test)).findFirst());
            if (item.isPresent()) {
                return judged(issue, test, report.name(), item.get());
            }
        }
        Optional<Confirmation> elsewhere = outOfTheBake.stream()
                .filter(c -> c.issue().equals(issue) && c.tests().equals(List.of(test))).findFirst();
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        return new Confirmation(issue, "-", List.of(test), Confirmation.Status.NOT_PROVEN,
                issue + "'s confirmation test `" + test + "` did not run: removed from the regression suite?", true);
    }

    /**
     * Whether a remembered confirmation test names this item: by its class's full name
     * ({@code com.acme.CheckoutTest#coupons}), as the history remembers tests now, so that a test of
     * the same simple name in another package ({@code com.other.CheckoutTest#coupons}) does not pass
     * for it; a record from before that ({@code CheckoutTest#coupons}) by the label.
     */
    private static boolean names(ItemResult item, String test) {
        int hash = test.indexOf('#');
        boolean qualified = hash > 0 && test.substring(0, hash).contains(".");
        return qualified ? item.qualifiedLabel().equals(test) : item.label().equals(test);
    }

    private static Confirmation judged(String issue, String test, String probe, ItemResult item) {
        if (item.status() == ItemResult.Status.PASSED) {
            return new Confirmation(issue, probe, List.of(test), Confirmation.Status.CONFIRMED,
                    issue + "'s confirmation test `" + test + "` still passes", true);
        }
        String why = item.message().isEmpty() ? "" : ": " + item.message().lines().findFirst().orElse("");
        return item.status().problem()
                ? new Confirmation(issue, probe, List.of(test), Confirmation.Status.FAILED,
                        issue + "'s confirmation test `" + test + "` failed" + why + ": the issue is back?", true)
                : new Confirmation(issue, probe, List.of(test), Confirmation.Status.NOT_PROVEN,
                        issue + "'s confirmation test `" + test + "` did not pass (" + item.status() + why + ")", true);
    }
}
