package dev.vigil.analysis;

/** Remembers whether a judge is fed samples or counts, and refuses a mix within one verification. */
final class RoundKind {

    private Class<?> kind;

    void check(CanaryRound round) {
        if (round == null) {
            throw new IllegalArgumentException("round must not be null");
        }
        if (kind == null) {
            kind = round.getClass();
        } else if (kind != round.getClass()) {
            throw new IllegalArgumentException("a canary judge was fed " + kind.getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + " and then " + round.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + "; use one kind per verification");
        }
    }
}
