package dev.vigil.testkit;

import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A probe that gives scripted outcomes, one per call (the last one repeats), and counts its calls.
 * Thread-safe.
 */
public final class ScriptedProbe implements Probe {

    private final List<Outcome> script;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Integer> rounds = new ArrayList<>();

    private ScriptedProbe(List<Outcome> script) {
        if (script.isEmpty()) {
            throw new IllegalArgumentException("a script needs at least one outcome");
        }
        this.script = List.copyOf(script);
    }

    /** A probe giving these outcomes in order; the last one repeats. */
    public static ScriptedProbe of(Outcome... outcomes) {
        return new ScriptedProbe(List.of(outcomes));
    }

    /** A probe that always passes. */
    public static ScriptedProbe passing() {
        return of(Outcome.PASS);
    }

    @Override
    public ProbeResult measure(ProbeContext context) {
        int call = calls.getAndIncrement();
        synchronized (rounds) {
            rounds.add(context.round());
        }
        Outcome outcome = script.get(Math.min(call, script.size() - 1));
        Map<String, Object> values = Map.of("value", call);
        return switch (outcome) {
            case PASS -> ProbeResult.pass(values, "value(" + call + ") ok");
            case FAIL -> ProbeResult.fail(values, "value(" + call + ") bad");
            case INCONCLUSIVE -> ProbeResult.inconclusive(values, "value(" + call + ") unclear");
            case ERROR -> ProbeResult.error("could not measure call " + call);
        };
    }

    /** How many times it was asked to measure. */
    public int calls() {
        return calls.get();
    }

    /** The round numbers it was asked for, in order. */
    public List<Integer> rounds() {
        synchronized (rounds) {
            return List.copyOf(rounds);
        }
    }

    @Override
    public String description() {
        return "scripted " + script;
    }
}
