package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How far back a query reads when evaluated at {@link #T}: ranges, offsets, subqueries and {@code @}. */
class QueryReachTest {

    private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

    private static QueryReach.Reading at(String query) {
        return QueryReach.of(query).reading(T, T, T);
    }

    @Test
    void anOffsetAddsToTheRangeAndANegativeOneLooksForward() {
        assertThat(at("sum(rate(errors[5m] offset 10m)) / sum(rate(requests[5m] offset 10m))"))
                .isEqualTo(new QueryReach.Reading(T.minus(Duration.ofMinutes(15)), "[5m] offset 10m"));
        assertThat(at("rate(errors[5m] OFFSET -2m)").time()).isEqualTo(T.minus(Duration.ofMinutes(3)));
        assertThat(at("errors_total - errors_total offset 1h").time()).isEqualTo(T.minus(Duration.ofHours(1)));
        assertThat(at("errors_total offset -5m").time()).isEqualTo(T.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aSubqueryAddsItsRangeAndOffsetToWhatItEvaluates() {
        assertThat(at("max_over_time((sum(rate(errors[1m])) / sum(rate(requests[1m])))[30m:1m])"))
                .isEqualTo(new QueryReach.Reading(T.minus(Duration.ofMinutes(31)), "[1m] inside [30m:1m]"));
        assertThat(at("max_over_time(rate(x[1m] offset 1m)[30m:1m] offset 5m)").time())
                .isEqualTo(T.minus(Duration.ofMinutes(37)));
        assertThat(at("max_over_time(x[30m:])").time()).isEqualTo(T.minus(Duration.ofMinutes(30)));
        // A label list after the aggregation is no expression: the subquery is the aggregation's.
        assertThat(at("max_over_time(sum(rate(x[1m])) by (job) [10m:1m])").time()).isEqualTo(T.minus(Duration.ofMinutes(11)));
        assertThat(at("max_over_time(sum by (job) (rate(x[1m]))[10m:1m])").time()).isEqualTo(T.minus(Duration.ofMinutes(11)));
        // A quoted label name in the list (Prometheus 3) may hold a parenthesis.
        assertThat(at("max_over_time(sum by (\"a)b\") (rate(x[1m]))[10m:1m])").time()).isEqualTo(T.minus(Duration.ofMinutes(11)));
        // Binary operators bind looser than a subquery: it is the right-hand side's alone.
        assertThat(at("rate(a[1m]) + max_over_time(b[5m:1m])").time()).isEqualTo(T.minus(Duration.ofMinutes(5)));
    }

    @Test
    void anAtModifierAnchorsAtItsTimeAndTheOffsetCountsFromIt() {
        Instant fixed = Instant.ofEpochSecond(1767268800L);
        assertThat(at("rate(x[5m] @ 1767268800)").time()).isEqualTo(fixed.minus(Duration.ofMinutes(5)));
        assertThat(at("rate(x[5m] offset 1m @ 1767268800.5)").time())
                .isEqualTo(fixed.plusMillis(500).minus(Duration.ofMinutes(6)));
        assertThat(at("rate(x[5m] @ 1767268800 offset 1m)").by()).isEqualTo("[5m] @ 1767268800 offset 1m");
        // A subquery's inner selectors count from the subquery's @, unless they have their own.
        assertThat(at("max_over_time(rate(x[1m])[5m:1m] @ 1767268800)").time()).isEqualTo(fixed.minus(Duration.ofMinutes(6)));
        assertThat(at("max_over_time(rate(x[1m] @ 1767268800)[5m:1m])").time()).isEqualTo(fixed.minus(Duration.ofMinutes(1)));

        Instant start = T.minus(Duration.ofMinutes(5));
        Instant end = T.plus(Duration.ofMinutes(1));
        assertThat(QueryReach.of("rate(x[1m] @ start())").reading(T, start, end).time()).isEqualTo(start.minus(Duration.ofMinutes(1)));
        assertThat(QueryReach.of("rate(x[1m] @ end())").reading(T, start, end).time()).isEqualTo(end.minus(Duration.ofMinutes(1)));
    }

    @Test
    void clearAfterIsTheLongestReachUnlessAFixedTimeReadsBeforeTheStart() {
        assertThat(QueryReach.of("rate(x[5m] offset 10m) / rate(y[1m])").clearAfter(T)).isEqualTo(Duration.ofMinutes(15));
        assertThat(QueryReach.of("rate(x[5m] @ 1767268800)").clearAfter(T)).isNull();
        assertThat(QueryReach.of("rate(x[5m] @ 1767269100)").clearAfter(T)).isEqualTo(Duration.ZERO);
        assertThat(QueryReach.of("up").clearAfter(T)).isEqualTo(Duration.ZERO);
    }

    @Test
    void theLongestReachCountsSelectorsAtTheEvaluationTimeAndNotThoseAtAFixedTime() {
        assertThat(QueryReach.of("rate(x[5m] offset 10m) / rate(y[1m])").longestReach()).isEqualTo(Duration.ofMinutes(15));
        assertThat(QueryReach.of("max_over_time(rate(x[1m])[30m:1m])").longestReach()).isEqualTo(Duration.ofMinutes(31));
        assertThat(QueryReach.of("rate(x[5m] @ 1767268800) + rate(y[2m])").longestReach()).isEqualTo(Duration.ofMinutes(2));
        assertThat(QueryReach.of("up").longestReach()).isEqualTo(Duration.ZERO);
        assertThat(QueryReach.of("rate(x[$__rate_interval])").longestReach()).isNull();
    }

    @Test
    void textInQuotesAndCommentsIsNotRead() {
        assertThat(at("rate(x{path=~\"/a[0-9]+ offset 1h\"}[1m]) # [1h] offset 2h").time()).isEqualTo(T.minus(Duration.ofMinutes(1)));
        assertThat(at("label_replace(rate(x[1m]), \"a\", \"$1\", \"b\", \"(.*)[5h]\")").time())
                .isEqualTo(T.minus(Duration.ofMinutes(1)));
        assertThat(at("{__name__=\"x\"}[2m]").time()).isEqualTo(T.minus(Duration.ofMinutes(2)));
    }

    @Test
    void aQueryWithoutRangeOffsetOrAtReadsAtItsTime() {
        assertThat(at("sum(up{job=\"checkout\"}) > bool 0")).isEqualTo(new QueryReach.Reading(T, "an instant selector"));
    }

    @Test
    void aNumberWhereADurationGoesIsSecondsAsPrometheusReadsIt() {
        assertThat(at("rate(x[300])").time()).isEqualTo(T.minus(Duration.ofMinutes(5)));
        assertThat(at("rate(x[60] offset 600)").time()).isEqualTo(T.minus(Duration.ofMinutes(11)));
        assertThat(at("max_over_time(rate(x[60])[1_800:60])").time()).isEqualTo(T.minus(Duration.ofMinutes(31)));
        assertThat(at("rate(x[90.5])").time()).isEqualTo(T.minus(Duration.ofMillis(90_500)));
        assertThat(at("x offset 0x3c").time()).isEqualTo(T.minus(Duration.ofMinutes(1)));
        assertThat(QueryReach.longestRange("increase(x[300])")).isEqualTo(Duration.ofMinutes(5));
        // An @ time written as a duration since 1970, as Prometheus' own tests do.
        assertThat(at("rate(x[1m] @ 1m40s)").time()).isEqualTo(Instant.ofEpochSecond(100).minus(Duration.ofMinutes(1)));
        assertThat(at("rate(x[1m] @ 1.7672688e9)").time()).isEqualTo(Instant.ofEpochSecond(1767268800L).minus(Duration.ofMinutes(1)));
    }

    @Test
    void aRangeOffsetOrAtItCannotReadMakesTheReachUnknown() {
        assertThat(QueryReach.of("rate(x[$__rate_interval])").unknown()).isEqualTo("[$__rate_interval] is no PromQL duration");
        assertThat(QueryReach.of("rate(x[5m] offset $shift)").unknown()).contains("offset", "is no PromQL duration");
        assertThat(QueryReach.of("rate(x[5m] @ now())").unknown()).contains("@ now()", "is no Unix time, start() or end()");
        assertThat(QueryReach.of("rate(x[5m+1m])").reading(T, T, T)).isNull();
        assertThat(QueryReach.of("rate(x[5m])").unknown()).isNull();
    }

    @Test
    void rangeSelectorsOfFunctionsThatNeedTwoSamplesAreListedForTheSampleCheck() {
        assertThat(QueryReach.of("(sum(rate(http_requests_total{code=\"500\"}[1s])) or vector(0))"
                + " / sum by (le) (Increase(http_requests_total [5m] offset 1h)) + irate({job=\"a\"}[30s])").rangeSelectors())
                .containsExactly(new QueryReach.RangeSelector("rate", "http_requests_total{code=\"500\"}", "1s"),
                        new QueryReach.RangeSelector("increase", "http_requests_total", "5m"),
                        new QueryReach.RangeSelector("irate", "{job=\"a\"}", "30s"));
        // One sample is enough for the *_over_time functions; a subquery's range is no scrape's; a range that is no duration is passed over.
        assertThat(QueryReach.of("max_over_time(x[1s]) + max_over_time(rate(x[5m])[30m:1m]) + rate(x[$__rate_interval])")
                .rangeSelectors()).extracting(QueryReach.RangeSelector::text).containsExactly("x[5m]");
    }

    @Test
    void selectorsWithAMetricNameAndLabelMatchersAreListedForTheLabelCheck() {
        assertThat(QueryReach.of("(sum(rate(http_requests_total{status=~\"5..\"}[5s])) or vector(0))"
                + " / sum(rate(http_requests_total[5s]))").selectors())
                .containsExactly(new QueryReach.Selector("http_requests_total",
                        List.of(new QueryReach.LabelMatcher("status", "=~", "5..", "status=~\"5..\"")),
                        "http_requests_total{status=~\"5..\"}"));
        QueryReach.Selector s = QueryReach.of("sum by (job) (x:rate5m {job = 'a\\'b', __name__=\"x:rate5m\", \"le\"!~`0\\.1`,}"
                + " offset 5m) or on (job) {job=\"b\"} and bool_metric{code!=\"200\"}").selectors().get(0);
        assertThat(s.metric()).isEqualTo("x:rate5m");
        assertThat(s.matchers()).extracting(QueryReach.LabelMatcher::label, QueryReach.LabelMatcher::operator,
                QueryReach.LabelMatcher::value).containsExactly(tuple("job", "=", "a'b"), tuple("le", "!~", "0\\.1"));
        // A selector without a metric name before its braces ({job="b"} after the keyword or) is not listed.
        assertThat(QueryReach.of("a or {job=\"b\"}").selectors()).isEmpty();
        assertThat(QueryReach.of("a{x=\"1\"} and bool_metric{code!=\"200\"}").selectors())
                .extracting(QueryReach.Selector::metric).containsExactly("a", "bool_metric");
        // Text in quotes and comments is passed over.
        assertThat(QueryReach.of("label_replace(up, \"a{b=\\\"c\\\"}\", \"\", \"\", \"\") # x{y=\"z\"}").selectors()).isEmpty();
        assertThat(QueryReach.of("up{__name__=~\"u.*\"}").selectors()).isEmpty();
    }

    @Test
    void metricNamesReadWithoutLabelMatchersAreListedForTheSeriesCheck() {
        assertThat(QueryReach.of("sum(rate(http_requests_totl[1m])) or vector(0)").bareMetrics())
                .containsExactly("http_requests_totl");
        assertThat(QueryReach.of("(sum(rate(http_requests_total{status=~\"5..\"}[5s])) or vector(0))"
                + " / sum by (job) (rate(http_requests_total[5s] offset 1m)) > bool Inf").bareMetrics())
                .containsExactly("http_requests_total");
        // Functions, keywords, label lists, numbers, strings, @ start() and comments name no metric.
        assertThat(QueryReach.of("histogram_quantile(0.99, sum without (instance) (rate(x_bucket[5m] @ start())))"
                + " + on (job) group_left (team) y:ratio unless z{} and label_replace(w, \"a\", \"b\", \"c\", \"d\")"
                + " > NaN # v").bareMetrics())
                .containsExactly("x_bucket", "y:ratio", "z", "w");
        assertThat(QueryReach.of("a{x=\"1\"} or vector(1e3)").bareMetrics()).isEmpty();
    }

    @Test
    void aMatcherMatchesASeriesWithoutItsLabelWhenItMatchesTheEmptyValue() {
        assertThat(new QueryReach.LabelMatcher("status", "=~", "5..", "").matchesAbsent()).isFalse();
        assertThat(new QueryReach.LabelMatcher("status", "!~", "5..", "").matchesAbsent()).isTrue();
        assertThat(new QueryReach.LabelMatcher("status", "=", "", "").matchesAbsent()).isTrue();
        assertThat(new QueryReach.LabelMatcher("status", "!=", "500", "").matchesAbsent()).isTrue();
        assertThat(new QueryReach.LabelMatcher("status", "=~", "(", "").matchesAbsent()).isFalse();
    }
    @Test
    void theNewestTimeReadIsTheLatestEndOfItsSelectorsAndFunctionsReadNothing() {
        assertThat(QueryReach.of("sum(rate(x[10s] offset 1m)) or vector(0)").newest(T, T, T))
                .isEqualTo(new QueryReach.Reading(T.minus(Duration.ofMinutes(1)), "[10s] offset 1m"));
        assertThat(QueryReach.of("rate(x[10s] offset 1m) / rate(y[10s])").newest(T, T, T).time()).isEqualTo(T);
        assertThat(QueryReach.of("x offset -5m").newest(T, T, T).time()).isEqualTo(T.plus(Duration.ofMinutes(5)));
        // A subquery's offset and its inner selectors' add up; its range does not.
        assertThat(QueryReach.of("max_over_time(rate(x[1m] offset 1m)[30m:1m] offset 5m)").newest(T, T, T).time())
                .isEqualTo(T.minus(Duration.ofMinutes(6)));
        assertThat(QueryReach.of("rate(x[1m] @ 1767268740) and on() time() > 0").newest(T, T, T))
                .isEqualTo(new QueryReach.Reading(Instant.ofEpochSecond(1767268740L), "[1m] @ 1767268740"));
        Instant start = T.minus(Duration.ofMinutes(5));
        assertThat(QueryReach.of("rate(x[1m] @ start())").newest(T, start, T).time()).isEqualTo(start);
        // A keyword before label matchers is their selector's.
        assertThat(QueryReach.of("x offset 1h or {job=\"a\"}").newest(T, T, T).time()).isEqualTo(T);
        assertThat(QueryReach.of("vector(0)").newest(T, T, T)).isNull();
        assertThat(QueryReach.of("rate(x[$__rate_interval])").newest(T, T, T)).isNull();
    }
}
