package dev.vigil.http;

import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Judges a response with {@code pass-when} / {@code fail-when}. */
final class CriteriaJudge implements Judge {

    /** The names an HTTP probe gives its conditions. */
    static final Map<String, ValueType> NAMES = Map.of(
            "status", ValueType.NUMBER,
            "latency", ValueType.DURATION,
            "header", ValueType.ANY,
            "body", ValueType.ANY);

    private final Criteria criteria;

    CriteriaJudge(Criteria criteria) {
        this.criteria = criteria;
    }

    @Override
    public ProbeResult judge(Response response) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("status", response.status());
        input.put("latency", response.latency());
        input.put("header", response.headers());
        input.put("body", response.body());
        ProbeResult judged = criteria.judge(input);
        Map<String, Object> values = Values.base(response);
        Values.putAll(values, judged.values());
        if (judged.outcome() == Outcome.ERROR) {
            return ProbeResult.error(judged.error(), values);
        }
        return ProbeResult.of(judged.outcome(), values, judged.explanation());
    }

    @Override
    public String passWhen() {
        return criteria.passWhen();
    }

    @Override
    public String failWhen() {
        return criteria.failWhen();
    }
}
