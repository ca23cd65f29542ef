package dev.vigil.config;

import dev.vigil.Confirmation;
import dev.vigil.Deployment;
import dev.vigil.VigilException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Checks, before anything is measured, that a hotfix names what it fixes and that every fix the
 * deployment lists (hotfix or release) has a probe that confirms it: one with {@code confirms=} for
 * it, or one whose tests tagged with it are found ({@link dev.vigil.Probe#confirmationTests}). A
 * hotfix is verified exactly like a release otherwise: nothing here shortens or skips anything.
 */
final class FixCheck {

    private final Items items;
    private final DeploymentDefaults deployment;

    FixCheck(Items items, DeploymentDefaults deployment) {
        this.items = items;
        this.deployment = deployment;
    }

    /**
     * @param probes the probes bound
     * @param recheck the re-check plan: its {@link dev.vigil.RecheckPlan#only() only} probes are not
     *     measured in the bake, so their tagged tests confirm nothing
     */
    void check(List<BoundProbe> probes, dev.vigil.RecheckPlan recheck) {
        String key = items.prefix() + "." + CoreKeys.DEPLOYMENT + ".fixes";
        if (deployment.kind() == Deployment.Kind.HOTFIX && deployment.fixes().isEmpty()) {
            items.problem(key, "missing: a hotfix names the issues it fixes (" + key + "=INC-123, or --fixes INC-123), "
                    + "and each needs a probe that confirms it");
            return;
        }
        for (String issue : new LinkedHashSet<>(deployment.fixes())) {
            Map<String, String> unsearched = new LinkedHashMap<>();
            if (probes.stream().filter(p -> recheck.baked(p.name())).noneMatch(p -> confirms(p, issue, unsearched))) {
                probes.stream().filter(p -> !recheck.baked(p.name()) && confirms(p, issue, new LinkedHashMap<>()))
                        .forEach(p -> unsearched.put(p.name(), "its tests tagged " + issue + " run in the re-check only ("
                                + items.prefix() + "." + CoreKeys.PROBES + "." + p.name() + ".recheck=only), not in the"
                                + " bake, so they cannot confirm it"));
                items.problem(key, Confirmation.missing(deployment.kind(), deployment.service(), deployment.version(), issue,
                        unsearched));
            }
        }
    }

    /** Whether the probe confirms the issue; why it could not look for its tests goes into {@code unsearched}. */
    private static boolean confirms(BoundProbe probe, String issue, Map<String, String> unsearched) {
        if (probe.confirms().contains(issue)) {
            return true;
        }
        try {
            return !probe.probe().confirmationTests(issue).isEmpty();
        } catch (RuntimeException e) {
            unsearched.put(probe.name(), VigilException.describe(e));
            return false;
        }
    }
}
