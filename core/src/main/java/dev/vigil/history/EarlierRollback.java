package dev.vigil.history;

import dev.vigil.Deployment;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the history says, as a verification starts, about a rollback that may have left another
 * version running than the one verified: the newest event of the service and environment is a
 * rollback of this very version that went through, failed after its trigger started (which version
 * runs is unknown), never started (the version is still deployed), or failed in a record that does
 * not say which of the two (how far it got is unknown), or a rollback of any version started and
 * never finished (Vigil stopped during it). Each is cleared by a verification of any version started after the rollback, which measured what runs since.
 */
final class EarlierRollback {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private EarlierRollback() {
    }

    /**
     * One rollback that ended, went through or {@code failed}: what was rolled back, when it started,
     * and by which verification or rehearsal ({@code verification ID}, {@code rehearsal ID}) if known,
     * and whether its trigger started ({@code null}: not known, a record written before it was kept).
     */
    private record Done(Deployment deployment, Instant at, String verification, String by, boolean failed, Boolean ran) {
    }

    /**
     * The warning for a verification of {@code verified}, if one is due.
     *
     * @param verified what is about to be verified
     * @param releases the verifications of its service and environment
     * @param rollbacks the rollbacks of its service and environment
     * @param rehearsals the rollback rehearsals of its service and environment: a rehearsal rolls back too
     * @return the warning's sentence, or empty
     */
    static Optional<String> warning(Deployment verified, List<ReleaseRecord> releases, List<RollbackRecord> rollbacks,
            List<RehearsalRecord> rehearsals) {
        // A start whose verification was recorded ended, whatever its own row says (its end could not be written).
        Optional<RollbackRecord> unfinished = rollbacks.stream()
                .filter(r -> !r.finished() && verificationOf(r, releases) == null && rehearsalOf(r, rehearsals) == null
                        && !verifiedSince(r.startedAt(), null, releases))
                .max(Comparator.comparing(RollbackRecord::startedAt));
        if (unfinished.isPresent()) {
            RollbackRecord r = unfinished.get();
            return Optional.of("a rollback of " + what(r.deployment()) + " started at " + AT.format(r.startedAt())
                    + " UTC and never finished (Vigil stopped during it, or it is still running): which version runs is"
                    + " unknown; find it before trusting this verdict (docs/rollback.md, 'When Vigil itself was killed')");
        }
        List<Done> done = new ArrayList<>();
        rollbacks.stream().filter(r -> ended(r.outcome()))
                .forEach(r -> {
                    String own = verificationOf(r, releases);
                    String rehearsal = own == null ? rehearsalOf(r, rehearsals) : null;
                    done.add(new Done(r.deployment(), r.startedAt(), own, own != null ? "verification " + own
                            : rehearsal != null ? "rehearsal " + rehearsal : null, r.outcome() == RollbackOutcome.FAILED, r.ran()));
                });
        releases.stream().filter(r -> ended(r.rollback()))
                .forEach(r -> done.add(new Done(r.deployment(), rollbackStart(r), r.id(), "verification " + r.id(),
                        r.rollback() == RollbackOutcome.FAILED, r.rollbackRan())));
        rehearsals.stream().filter(r -> ended(r.rollback()))
                .forEach(r -> done.add(new Done(r.deployment(), r.startedAt(), null, "rehearsal " + r.id(),
                        r.rollback() == RollbackOutcome.FAILED, null)));
        return done.stream().max(Comparator.comparing(Done::at))
                .filter(d -> !verifiedSince(d.at(), d.verification(), releases) && d.deployment().version().equals(verified.version()))
                .map(EarlierRollback::sentence);
    }

    /**
     * The warning for a verification of {@code verified} whose rollback would return to a version the
     * history found bad: the newest verification of its previous version in its environment that
     * decided (healthy or unhealthy) ended {@code UNHEALTHY}. A pipeline that passes the version it
     * deployed last, instead of the last one that stayed, aims the rollback at a version that was
     * itself rolled back; a verification of that version that ended healthy since clears it.
     *
     * @param verified what is about to be verified
     * @param releases the verifications of its service and environment
     * @return the warning's sentence, or empty
     */
    static Optional<String> unhealthyPrevious(Deployment verified, List<ReleaseRecord> releases) {
        String previous = verified.previousVersion();
        if (previous == null || previous.equals(verified.version())) {
            return Optional.empty();
        }
        return releases.stream()
                .filter(r -> r.deployment().version().equals(previous)
                        && (r.verdict() == Verdict.HEALTHY || r.verdict() == Verdict.UNHEALTHY))
                .max(Comparator.comparing(ReleaseRecord::startedAt).thenComparing(ReleaseRecord::id))
                .filter(r -> r.verdict() == Verdict.UNHEALTHY)
                .map(r -> "the version a rollback of this run returns to, " + verified.service() + " " + previous
                        + (verified.environment() == null ? "" : " in " + verified.environment()) + ", was found UNHEALTHY"
                        + " by the verification that started at " + AT.format(r.startedAt()) + " UTC (verification " + r.id()
                        + (r.rolledBack() ? ", which rolled it back" + (r.deployment().previousVersion() == null ? ""
                                : " to " + r.deployment().previousVersion()) : "")
                        + "), and none has found it healthy since: a rollback would bring back a version found bad;"
                        + " check that the previous version (--previous-version, vigil.deployment.previous-version) is"
                        + " the one that ran before this deployment (docs/rollback.md)");
    }

    /**
     * The warning for a verification of {@code verified} starting at {@code now} while a verification
     * of the same deployment (service, version, environment) in another process, started within
     * {@code bake} before it, was given another previous version: nothing coordinates their rollbacks
     * across processes, so if both find the version unhealthy each rolls back to its own previous
     * version, and whichever finishes last stays. The newest such start is named.
     *
     * @param verified what is about to be verified
     * @param now when it starts
     * @param bake how long a bake lasts (its initial delay and duration): an older start has ended
     * @param starts the starts of its service, from {@code now - bake} on
     * @param here whether a start (by id) was recorded in this JVM, whose verifications share one rollback
     * @return the warning's sentence, or empty
     */
    static Optional<String> otherPreviousElsewhere(Deployment verified, Instant now, java.time.Duration bake,
            List<dev.vigil.StartLog.Start> starts, java.util.function.Predicate<String> here) {
        if (verified.environment() == null || verified.environment().isBlank()) {
            return Optional.empty();
        }
        return starts.stream()
                .filter(s -> s.kind() == dev.vigil.StartLog.Kind.VERIFICATION && s.samePlace(verified)
                        && s.deployment().version().equals(verified.version())
                        && !java.util.Objects.equals(s.deployment().previousVersion(), verified.previousVersion())
                        && !s.at().isBefore(now.minus(bake)) && !here.test(s.id()))
                .max(Comparator.comparing(dev.vigil.StartLog.Start::at))
                .map(s -> "the verification of " + verified.service() + " " + verified.version() + " in " + verified.environment()
                        + " that started at " + AT.format(s.at()) + " UTC in another process (start " + s.id() + ") was given "
                        + given(s.deployment().previousVersion()) + ", this one " + given(verified.previousVersion())
                        + ": rollbacks are not coordinated across processes, so if both find " + verified.version()
                        + " unhealthy each rolls back to its own previous version and whichever finishes last stays;"
                        + " check which previous version is right (--previous-version, vigil.deployment.previous-version)"
                        + " and let one pipeline at a time verify a service (docs/rollback.md, 'Coordination')");
    }

    private static String given(String previous) {
        return previous == null ? "no previous version" : "previous version " + previous;
    }

    /** Whether a rollback with this outcome ran and ended: went through, or failed somewhere on its way. */
    private static boolean ended(RollbackOutcome outcome) {
        return outcome == RollbackOutcome.ROLLED_BACK || outcome == RollbackOutcome.FAILED;
    }

    private static String sentence(Done d) {
        String by = d.by() == null ? "" : " (" + d.by() + ")";
        if (d.failed() && Boolean.FALSE.equals(d.ran())) {
            return "the rollback of " + what(d.deployment()) + " due at " + AT.format(d.at()) + " UTC" + by
                    + " never started (no trigger ran), and no verification is recorded since: no rollback ran: "
                    + d.deployment().version() + " is still deployed, unless it was changed by hand since; this run measures it"
                    + " again (docs/rollback.md)";
        }
        if (d.failed() && Boolean.TRUE.equals(d.ran())) {
            return "the rollback of " + what(d.deployment()) + " that started at " + AT.format(d.at()) + " UTC" + by
                    + " failed, and no verification is recorded since: the rollback failed after it started: which version"
                    + " runs is unknown; unless " + d.deployment().version() + " was deployed again, this run may measure "
                    + d.deployment().version()
                    + (d.deployment().previousVersion() == null ? ", the version before it" : ", " + d.deployment().previousVersion())
                    + " or a mix of them; find which version runs before trusting this verdict (docs/rollback.md)";
        }
        if (d.failed()) {
            return "the rollback of " + what(d.deployment()) + " that started at " + AT.format(d.at()) + " UTC" + by
                    + " failed, and no verification is recorded since: unless " + d.deployment().version()
                    + " was deployed again, how far the rollback got is unknown and this run may measure " + d.deployment().version()
                    + (d.deployment().previousVersion() == null ? ", the version before it" : ", " + d.deployment().previousVersion())
                    + " or a mix of them; find which version runs before trusting this verdict (docs/rollback.md)";
        }
        return d.deployment().service() + " " + d.deployment().version() + " was rolled back"
                + (d.deployment().previousVersion() == null ? "" : " to " + d.deployment().previousVersion())
                + (d.deployment().environment() == null ? "" : " in " + d.deployment().environment())
                + " at " + AT.format(d.at()) + " UTC" + by
                + " and no verification is recorded since: unless " + d.deployment().version()
                + " was deployed again, this run measures what the rollback left running (docs/rollback.md)";
    }

    /**
     * Whether a verification other than the one that rolled back ({@code own}, or {@code null})
     * started at or after the rollback's start: it measured what the rollback left running.
     */
    private static boolean verifiedSince(Instant at, String own, List<ReleaseRecord> releases) {
        return releases.stream().anyMatch(r -> !r.id().equals(own) && !r.startedAt().isBefore(at));
    }

    /** {@code checkout 2.0.0 to 1.9.0 in production} */
    private static String what(Deployment d) {
        return d.service() + " " + d.version() + (d.previousVersion() == null ? "" : " to " + d.previousVersion())
                + (d.environment() == null ? "" : " in " + d.environment());
    }

    private static Instant rollbackStart(ReleaseRecord r) {
        return r.rollbackStartedAt() != null ? r.rollbackStartedAt() : r.detectedAt() != null ? r.detectedAt() : r.finishedAt();
    }

    /** The id of the rehearsal of the same version that ran when the rollback started, if one is recorded. */
    private static String rehearsalOf(RollbackRecord rollback, List<RehearsalRecord> rehearsals) {
        return rehearsals.stream()
                .filter(r -> r.deployment().version().equals(rollback.deployment().version())
                        && !r.startedAt().isAfter(rollback.startedAt()) && !r.finishedAt().isBefore(rollback.startedAt()))
                .map(RehearsalRecord::id).findFirst().orElse(null);
    }

    /** The id of the verification of the same version that rolled back when the rollback started, if one is recorded. */
    private static String verificationOf(RollbackRecord rollback, List<ReleaseRecord> releases) {
        return releases.stream()
                .filter(r -> ended(r.rollback()) && r.deployment().version().equals(rollback.deployment().version())
                        && !r.startedAt().isAfter(rollback.startedAt()) && !r.finishedAt().isBefore(rollback.startedAt()))
                .map(ReleaseRecord::id).findFirst().orElse(null);
    }
}
