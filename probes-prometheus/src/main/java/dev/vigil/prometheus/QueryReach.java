package dev.vigil.prometheus;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far back in time a PromQL query reads when it is evaluated at a time {@code t}: the range
 * selectors ({@code rate(x[5m])}: 5 m), their {@code offset} ({@code rate(x[5m] offset 10m)}: 15
 * m; a negative offset looks forward), subqueries ({@code max_over_time(rate(x[1m])[30m:1m])}: 31
 * m) and the {@code @} modifier, which anchors a selector or subquery at a fixed time
 * ({@code @ 1767268800}) or at the query's start or end ({@code @ start()}, {@code @ end()}: the
 * evaluation time of an instant query, the ends of a range query's window), {@code offset} counting
 * from the {@code @} time. Only the structure the reach depends on is read: parentheses, label
 * matchers, brackets and the two modifiers; text in quotes and comments is passed over. The same
 * reading lists the query's vector selectors with a metric name and their label matchers
 * ({@link #selectors()}), whose label names the online check looks up ({@link LabelCheck}), and the
 * metric names it reads without any ({@link #bareMetrics()}), whose series that check looks for.
 *
 * <p>Where a duration goes, a number is seconds ({@code [300]}, {@code offset 90}), as Prometheus
 * reads it since 2.54. A bracket, offset or {@code @} whose value is no PromQL duration or number Vigil reads
 * ({@code [$__rate_interval]}, a duration expression {@code [5m+1m]}) makes the reach unknown
 * ({@link #unknown()}). An instant selector reads the latest sample at its time; Prometheus' lookback
 * for it (5 minutes) is not counted, as it shows the newest sample, not older ones. Immutable;
 * thread-safe.
 */
final class QueryReach {

    /** A PromQL duration: one or more numbers with a unit, {@code 1h30m}. */
    private static final Pattern PROMQL_DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w|y))+");
    private static final Pattern PROMQL_DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
    /**
     * A number where a duration goes, read as seconds ({@code [300]}, {@code offset 90}, {@code 1_000},
     * {@code 0x12c}): Prometheus takes float literals for durations (experimental in 2.54, stable in 3.0).
     */
    private static final Pattern SECONDS = Pattern.compile("(?:\\d+(?:_\\d+)*)?\\.?\\d+(?:_\\d+)*(?:[eE][-+]?\\d+)?"
            + "|0[xX][0-9a-fA-F]+(?:_[0-9a-fA-F]+)*");

    /** {@code @ start()} or {@code @ end()}. */
    private static final Pattern START_OR_END = Pattern.compile("(start|end)\\s*\\(\\s*\\)");

    /** Keywords followed by a list of label names in parentheses, which is no expression. */
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    /** Keywords that are no metric name, though label matchers may follow them ({@code x or {job="a"}}). */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "atan2", "offset");
    /** Number literals that are words ({@code x > Inf}): no metric name. */
    private static final Set<String> NUMBER_WORDS = Set.of("inf", "nan");
    /** The functions of a range vector that answer nothing for a series with fewer than two samples in the range. */
    private static final Set<String> TWO_SAMPLES = Set.of("rate", "irate", "increase", "delta", "idelta", "deriv",
            "predict_linear");

    /** What a selector's time counts from. */
    private enum Anchor { EVALUATION, START, END, FIXED }

    /**
     * One selector (or a subquery's own evaluation) as seen from the whole query: it reads from
     * {@code anchor - back} to {@code anchor - gap}.
     *
     * @param fixed the time of {@link Anchor#FIXED}, else {@code null}
     * @param back how far before the anchor its oldest sample lies: ranges and offsets
     * @param gap how far before the anchor its newest sample lies: the offsets alone (negative looks forward)
     * @param text how the query says it ({@code [5m] offset 10m}, {@code [1m] inside [30m:1m]}), or
     *     empty for an instant selector read at the evaluation time
     */
    private record Term(Anchor anchor, Instant fixed, Duration back, Duration gap, String text) {

        Instant anchor(Instant at, Instant start, Instant end) {
            return switch (anchor) {
                case EVALUATION -> at;
                case START -> start;
                case END -> end;
                case FIXED -> fixed;
            };
        }

        String by() {
            return text.isEmpty() ? "an instant selector" : text;
        }
    }

    /**
     * A time one evaluation of the query reads at, and the part of the query that reads there: the
     * oldest ({@link #reading}) or the newest ({@link #newest}).
     */
    record Reading(Instant time, String by) {
    }

    /**
     * A vector selector with a metric name and label matchers, {@code http_requests_total{status=~"5.."}}.
     *
     * @param metric the metric name
     * @param matchers its label matchers, in order
     * @param text the selector as the query writes it
     */
    record Selector(String metric, List<LabelMatcher> matchers, String text) {
    }

    /**
     * A range selector read by a function that needs two samples in its range to answer at all
     * ({@link #TWO_SAMPLES}): {@code http_requests_total{code="500"}[1m]} in {@code rate(...)}.
     *
     * @param function the function, {@code rate}
     * @param selector the vector selector before the brackets, as the query writes it
     * @param range the range as the query writes it, {@code 1m}
     */
    record RangeSelector(String function, String selector, String range) {

        /** {@code http_requests_total{code="500"}[1m]}. */
        String text() {
            return selector + "[" + range + "]";
        }
    }

    /**
     * One label matcher of a selector.
     *
     * @param label the label name, unquoted
     * @param operator {@code =}, {@code !=}, {@code =~} or {@code !~}
     * @param value the value, unquoted
     * @param text the matcher as the query writes it, {@code status=~"5.."}
     */
    record LabelMatcher(String label, String operator, String value, String text) {

        /**
         * Whether a series without the label matches: its value is the empty text, which
         * {@code status=""} and {@code status!~"5.."} match and {@code status=~"5.."} does not. A
         * regular expression Java cannot read counts as matching nothing.
         */
        boolean matchesAbsent() {
            return switch (operator) {
                case "=" -> value.isEmpty();
                case "!=" -> !value.isEmpty();
                case "=~" -> matchesEmpty(value);
                default -> !matchesEmpty(value);
            };
        }

        private static boolean matchesEmpty(String regex) {
            try {
                return Pattern.matches(regex, "");
            } catch (java.util.regex.PatternSyntaxException e) {
                return false;
            }
        }
    }

    private final List<Term> terms;
    private final Duration longestRange;
    private final String unknown;
    private final List<Selector> selectors;
    private final List<String> bareMetrics;
    private final List<RangeSelector> rangeSelectors;

    private QueryReach(List<Term> terms, Duration longestRange, String unknown, List<Selector> selectors,
            List<String> bareMetrics, List<RangeSelector> rangeSelectors) {
        this.terms = terms;
        this.longestRange = longestRange;
        this.unknown = unknown;
        this.selectors = selectors;
        this.bareMetrics = bareMetrics;
        this.rangeSelectors = rangeSelectors;
    }

    /**
     * The longest range selector in a query: {@code increase(x[10s])} gives 10 s, a subquery
     * {@code [5m:30s]} its range 5 m; offsets are not added. A selector that is no PromQL duration
     * ({@code [$__rate_interval]}) is passed over.
     *
     * @return the longest range, or {@code null} when there is none
     */
    static Duration longestRange(String promql) {
        return of(promql).longestRange;
    }

    /** Reads a query. Never throws: what cannot be read makes the reach {@link #unknown()}. */
    static QueryReach of(String promql) {
        return new Parser(promql).parse();
    }

    /**
     * The query's vector selectors that have a metric name and label matchers, in order:
     * {@code http_requests_total{status=~"5.."}}. A selector without a metric name before its braces
     * ({@code {__name__="x"}}) and a metric name without matchers are not listed; a matcher of
     * {@code __name__} is left out of its selector's matchers.
     */
    List<Selector> selectors() {
        return selectors;
    }

    /**
     * The metric names the query reads without label matchers, each once, in order:
     * {@code http_requests_total} in {@code sum(rate(http_requests_total[1m])) or vector(0)}; also one
     * whose braces hold no matcher other than {@code __name__} ({@code x{}}). A misspelt one selects
     * nothing, which {@code or vector(0)} reads as 0, a pass, as a misspelt label does.
     */
    List<String> bareMetrics() {
        return bareMetrics;
    }

    /**
     * The range selectors that {@code rate}, {@code increase} and the other functions needing two
     * samples read directly ({@code rate(x{code="500"}[1m])}), in order; ranges that are no PromQL
     * duration and subqueries are not listed.
     */
    List<RangeSelector> rangeSelectors() {
        return rangeSelectors;
    }

    /** What makes the reach unknown ({@code [5m+1m] is no PromQL duration}), or {@code null} when it is known. */
    String unknown() {
        return unknown;
    }

    /**
     * Where an evaluation of the query at {@code at} reads from: the earliest of its selectors.
     *
     * @param start the query's start, what {@code @ start()} means: {@code at} for an instant query
     * @param end the query's end, what {@code @ end()} means: {@code at} for an instant query
     * @return the earliest time read, or {@code null} when the query reads no selector or its reach is unknown
     */
    Reading reading(Instant at, Instant start, Instant end) {
        return extreme(at, start, end, Term::back, true);
    }

    /**
     * The newest time an evaluation of the query at {@code at} reads: the latest of its selectors'
     * ends ({@code rate(x[10s] offset 1m)}: {@code at - 1m}; {@code x @ 1767268800}: that time).
     * Function names and operators read nothing ({@code or vector(0)} adds no time).
     *
     * @param start the query's start, what {@code @ start()} means: {@code at} for an instant query
     * @param end the query's end, what {@code @ end()} means: {@code at} for an instant query
     * @return the newest time read, or {@code null} when the query reads no selector or its reach is unknown
     */
    Reading newest(Instant at, Instant start, Instant end) {
        return extreme(at, start, end, Term::gap, false);
    }

    /**
     * The oldest or the newest of the times {@code before} each term's anchor, or {@code null}
     * without terms or with an unknown reach.
     */
    private Reading extreme(Instant at, Instant start, Instant end, Function<Term, Duration> before, boolean oldest) {
        if (unknown != null) {
            return null;
        }
        Reading picked = null;
        for (Term t : terms) {
            Instant time = t.anchor(at, start, end).minus(before.apply(t));
            if (picked == null || (oldest ? time.isBefore(picked.time()) : time.isAfter(picked.time()))) {
                picked = new Reading(time, t.by());
            }
        }
        return picked;
    }

    /**
     * The parts of the query anchored at a fixed time ({@code [5m] @ 1767268800}), which read the
     * same data in every round whatever its time, each with that time; in order, each once.
     */
    List<Reading> fixedTimes() {
        return terms.stream().filter(t -> t.anchor() == Anchor.FIXED).map(t -> new Reading(t.fixed(), t.by())).distinct()
                .toList();
    }

    /**
     * How long after {@code started} an instant evaluation of the query reads nothing before it:
     * the longest reach of the selectors anchored at the evaluation time, or {@code null} when a
     * selector anchored at a fixed time reads before {@code started} (every evaluation does) or the
     * reach is unknown.
     */
    Duration clearAfter(Instant started) {
        if (unknown != null) {
            return null;
        }
        for (Term t : terms) {
            if (t.anchor() == Anchor.FIXED && t.fixed().minus(t.back()).isBefore(started)) {
                return null;
            }
        }
        return longestReach();
    }

    /**
     * The longest reach of the selectors anchored at the evaluation time or the query's start or
     * end ({@code rate(x[1m] offset 5m)}: 6 m); zero when the query has none, {@code null} when the
     * reach is unknown. Selectors at a fixed time ({@code @ 1767268800}) are not counted: how far
     * they read depends on no evaluation time.
     */
    Duration longestReach() {
        if (unknown != null) {
            return null;
        }
        Duration longest = Duration.ZERO;
        for (Term t : terms) {
            if (t.anchor() != Anchor.FIXED && t.back().compareTo(longest) > 0) {
                longest = t.back();
            }
        }
        return longest;
    }

    /** A primary expression (a selector, a parenthesised expression, a call) and the modifiers after it. */
    private static final class Primary {
        final List<Term> terms;
        /** Whether it is a metric name, whose label matchers may follow. */
        final boolean named;
        /** Whether label matchers followed its name. */
        boolean braced;
        /** The word it is (a metric name, or a function or keyword that is none), or {@code null}. */
        String name;
        /** Where it starts in the query, when it is a vector selector; else -1. */
        int from = -1;
        Duration range = Duration.ZERO;
        Duration offset = Duration.ZERO;
        Anchor anchor;
        Instant fixed;
        final StringBuilder text = new StringBuilder();

        Primary(List<Term> terms, boolean named) {
            this.terms = terms;
            this.named = named;
        }

        boolean modified() {
            return text.length() > 0;
        }

        /** Applies the bracket and modifiers read so far to the terms inside, for a next bracket or the end. */
        void apply() {
            if (!modified()) {
                return;
            }
            String level = text.toString().trim();
            for (int i = 0; i < terms.size(); i++) {
                Term t = terms.get(i);
                if (t.anchor() == Anchor.EVALUATION) {
                    terms.set(i, new Term(anchor == null ? Anchor.EVALUATION : anchor, fixed, t.back().plus(range).plus(offset),
                            t.gap().plus(offset), t.text().isEmpty() ? level : t.text() + " inside " + level));
                }
            }
            range = Duration.ZERO;
            offset = Duration.ZERO;
            anchor = null;
            fixed = null;
            text.setLength(0);
        }
    }

    /** Reads the query once, left to right. Used by one thread. */
    private static final class Parser {
        private final String q;
        private int i;
        private final Deque<List<Term>> outer = new ArrayDeque<>();
        private List<Term> group = new ArrayList<>();
        private Primary last;
        private Duration longest;
        private String unknown;
        private final List<Selector> selectors = new ArrayList<>();
        private final Set<String> bareMetrics = new LinkedHashSet<>();
        private final List<RangeSelector> rangeSelectors = new ArrayList<>();
        /** The function (or {@code ""}) of each open parenthesis, innermost first. */
        private final Deque<String> calls = new ArrayDeque<>();

        Parser(String promql) {
            this.q = promql;
        }

        QueryReach parse() {
            while (i < q.length()) {
                char c = q.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"' || c == '\'' || c == '`') {
                    flush();
                    i = afterQuoted(q, i);
                } else if (c == '#') {
                    int end = q.indexOf('\n', i);
                    i = end < 0 ? q.length() : end + 1;
                } else if (c == '{') {
                    // Label matchers: of the metric name before them, or a selector of their own.
                    String metric = null;
                    if (last == null || !last.named || last.modified()) {
                        flush();
                        last = selector();
                        last.from = i;
                    } else {
                        metric = last.name;
                    }
                    int end = afterBraces(i);
                    if (metric != null) {
                        last.braced = true;
                        addSelector(metric, i, end);
                    }
                    i = end;
                } else if (c == '(') {
                    calls.push(last == null || last.name == null ? "" : last.name.toLowerCase(Locale.ROOT));
                    if (last != null && last.named && !last.modified()) {
                        // A function's name (or an operator's keyword) before its parenthesis reads nothing.
                        last = null;
                    }
                    flush();
                    outer.push(group);
                    group = new ArrayList<>();
                    i++;
                } else if (c == ')') {
                    flush();
                    List<Term> inside = group;
                    group = outer.isEmpty() ? new ArrayList<>() : outer.pop();
                    calls.poll();
                    last = new Primary(inside, false);
                    i++;
                } else if (c == '[') {
                    if (!bracket()) {
                        break;
                    }
                } else if (c == '@') {
                    at();
                } else if (Character.isLetter(c) || c == '_' || c == ':') {
                    word();
                } else {
                    // An operator, a comma, a number (0.5, 1e3, 0x1f): the primary before it has no more modifiers.
                    flush();
                    i++;
                    if (Character.isDigit(c) || c == '.') {
                        while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '.')) {
                            i++;
                        }
                    }
                }
            }
            flush();
            while (!outer.isEmpty()) {
                List<Term> inside = group;
                group = outer.pop();
                group.addAll(inside);
            }
            return new QueryReach(List.copyOf(group), longest, unknown, List.copyOf(selectors), List.copyOf(bareMetrics),
                    List.copyOf(rangeSelectors));
        }

        /**
         * Adds the selector of {@code metric} whose braces span {@code [open, end)}, when it has a
         * label matcher other than {@code __name__}; a matcher it cannot read ends the list there.
         */
        private void addSelector(String metric, int open, int end) {
            List<LabelMatcher> matchers = new ArrayList<>();
            int close = Math.min(end - 1, q.length());
            int j = open + 1;
            while (true) {
                j = skipBlanks(j);
                if (j >= close) {
                    break;
                }
                int from = j;
                String label;
                if (q.charAt(j) == '"' || q.charAt(j) == '\'' || q.charAt(j) == '`') {
                    j = Math.min(afterQuoted(q, j), close);
                    label = unquoted(q.substring(from, j));
                } else {
                    while (j < close && (Character.isLetterOrDigit(q.charAt(j)) || q.charAt(j) == '_')) {
                        j++;
                    }
                    label = q.substring(from, j);
                }
                j = skipBlanks(j);
                String operator = j + 1 < close && (q.startsWith("=~", j) || q.startsWith("!~", j) || q.startsWith("!=", j))
                        ? q.substring(j, j + 2) : j < close && q.charAt(j) == '=' ? "=" : null;
                if (operator == null) {
                    // A quoted metric name ({"http.requests", code="500"}, Prometheus 3) is no matcher.
                    if (j < close && q.charAt(j) == ',') {
                        j++;
                        continue;
                    }
                    break;
                }
                j = skipBlanks(j + operator.length());
                if (j >= close || "\"'`".indexOf(q.charAt(j)) < 0 || label.isEmpty()) {
                    break;
                }
                int valueStart = j;
                j = Math.min(afterQuoted(q, j), close);
                if (!label.equals("__name__")) {
                    matchers.add(new LabelMatcher(label, operator, unquoted(q.substring(valueStart, j)),
                            q.substring(from, j)));
                }
                j = skipBlanks(j);
                if (j < close && q.charAt(j) == ',') {
                    j++;
                }
            }
            if (!matchers.isEmpty()) {
                selectors.add(new Selector(metric, List.copyOf(matchers), metric + q.substring(open, Math.min(end, q.length()))));
            } else {
                bareMetrics.add(metric);
            }
        }

        private static Primary selector() {
            List<Term> terms = new ArrayList<>();
            terms.add(new Term(Anchor.EVALUATION, null, Duration.ZERO, Duration.ZERO, ""));
            return new Primary(terms, true);
        }

        /** Adds the finished primary's terms to the enclosing group, and its metric name when it has no matchers. */
        private void flush() {
            if (last != null) {
                if (last.named && last.name != null && !last.braced
                        && !NUMBER_WORDS.contains(last.name.toLowerCase(Locale.ROOT))) {
                    bareMetrics.add(last.name);
                }
                last.apply();
                group.addAll(last.terms);
                last = null;
            }
        }

        private void word() {
            int start = i;
            while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_' || q.charAt(i) == ':')) {
                i++;
            }
            String word = q.substring(start, i).toLowerCase(Locale.ROOT);
            if (word.equals("offset") && last != null) {
                offset();
            } else if (LABEL_LISTS.contains(word)) {
                // sum(x) by (job)[30m:1m]: the label list is no expression, the subquery is sum's.
                int next = skipBlanks(i);
                if (next < q.length() && q.charAt(next) == '(') {
                    // Label names may be quoted (by ("a)b")), as in Prometheus 3.
                    int j = next + 1;
                    while (j < q.length() && q.charAt(j) != ')') {
                        char c = q.charAt(j);
                        j = c == '"' || c == '\'' || c == '`' ? afterQuoted(q, j) : j + 1;
                    }
                    i = Math.min(q.length(), j + 1);
                }
            } else {
                // A metric name, a function or a keyword before label matchers: a selector read at the evaluation
                // time, until a parenthesis shows it is a function's name.
                flush();
                boolean keyword = KEYWORDS.contains(word);
                int next = skipBlanks(i);
                if (keyword && (next >= q.length() || q.charAt(next) != '{')) {
                    // An operator's keyword reads nothing, unless label matchers follow it (x or {job="a"}).
                    return;
                }
                last = selector();
                last.name = keyword ? null : q.substring(start, i);
                if (last.name != null) {
                    last.from = start;
                }
            }
        }

        private boolean bracket() {
            int close = q.indexOf(']', i);
            if (close < 0) {
                i = q.length();
                return false;
            }
            String inside = q.substring(i + 1, close).trim();
            int open = i;
            i = close + 1;
            int colon = inside.indexOf(':');
            Duration range = promqlDuration((colon < 0 ? inside : inside.substring(0, colon)).trim());
            if (colon < 0 && range != null && last != null && last.named && !last.modified() && last.from >= 0
                    && TWO_SAMPLES.contains(String.valueOf(calls.peek()))) {
                rangeSelectors.add(new RangeSelector(calls.peek(), q.substring(last.from, open).trim(), inside));
            }
            if (range != null && (longest == null || range.compareTo(longest) > 0)) {
                longest = range;
            }
            if (last == null) {
                return true;
            }
            // A bracket after a bracket or a modifier (x[5m:1m][10m:1m]) is the next level out.
            last.apply();
            if (range == null) {
                unknown("[" + inside + "] is no PromQL duration");
            } else {
                last.range = range;
            }
            last.text.append(" [").append(inside).append(']');
            return true;
        }

        private void offset() {
            int start = skipBlanks(i);
            int end = start;
            if (end < q.length() && (q.charAt(end) == '-' || q.charAt(end) == '+')) {
                end = skipBlanks(end + 1);
            }
            end = afterDurationOrNumber(end);
            String text = q.substring(start, end).replace(" ", "");
            i = end;
            boolean negative = text.startsWith("-");
            Duration d = promqlDuration(negative || text.startsWith("+") ? text.substring(1) : text);
            if (d == null) {
                unknown("offset " + (text.isEmpty() ? q.substring(start, Math.min(q.length(), start + 10)) : text)
                        + " is no PromQL duration");
            } else {
                last.offset = negative ? d.negated() : d;
            }
            last.text.append(" offset ").append(text);
        }

        private void at() {
            int start = skipBlanks(i + 1);
            int end = start;
            if (end < q.length() && "0123456789.+-".indexOf(q.charAt(end)) >= 0) {
                // A Unix time: 1767268800, 1767268800.5, 1.7672688e9, or as a duration since 1970: 1m40s.
                end = afterDurationOrNumber(q.charAt(end) == '+' || q.charAt(end) == '-' ? end + 1 : end);
            }
            String text;
            if (end > start) {
                text = q.substring(start, end);
                Instant fixed = unixTime(text);
                if (fixed == null) {
                    unknown("@ " + text + " is no Unix time");
                } else if (last != null) {
                    last.anchor = Anchor.FIXED;
                    last.fixed = fixed;
                }
            } else {
                Matcher call = START_OR_END.matcher(q).region(start, q.length());
                if (call.lookingAt()) {
                    end = call.end();
                    text = call.group(1) + "()";
                    if (last != null) {
                        last.anchor = call.group(1).equals("start") ? Anchor.START : Anchor.END;
                        last.fixed = null;
                    }
                } else {
                    text = q.substring(start, Math.min(q.length(), start + 10));
                    unknown("@ " + text + " is no Unix time, start() or end()");
                }
            }
            if (last != null) {
                last.text.append(" @ ").append(text);
            }
            i = Math.max(end, i + 1);
        }

        private void unknown(String why) {
            if (unknown == null) {
                unknown = why;
            }
        }

        private int skipBlanks(int from) {
            int j = from;
            while (j < q.length() && Character.isWhitespace(q.charAt(j))) {
                j++;
            }
            return j;
        }

        /** The index after a duration or number that starts at {@code from}: {@code 1h30m}, {@code 90.5}, {@code 1e3}, {@code 1_000}. */
        private int afterDurationOrNumber(int from) {
            int j = from;
            while (j < q.length()) {
                char c = q.charAt(j);
                boolean exponentSign = (c == '+' || c == '-') && j > from && (q.charAt(j - 1) == 'e' || q.charAt(j - 1) == 'E')
                        && Character.isDigit(q.charAt(from));
                if (!Character.isLetterOrDigit(c) && c != '.' && c != '_' && !exponentSign) {
                    break;
                }
                j++;
            }
            return j;
        }

        private int afterBraces(int open) {
            int j = open + 1;
            while (j < q.length() && q.charAt(j) != '}') {
                char c = q.charAt(j);
                j = c == '"' || c == '\'' || c == '`' ? afterQuoted(q, j) : j + 1;
            }
            return j + 1;
        }
    }

    /**
     * The query with its quoted text and comments blanked out, as this class passes them over: what
     * is left names metrics, functions and labels, never a label's value.
     */
    static String withoutQuotes(String promql) {
        StringBuilder out = new StringBuilder(promql.length());
        int i = 0;
        while (i < promql.length()) {
            char c = promql.charAt(i);
            int next = c == '"' || c == '\'' || c == '`' ? afterQuoted(promql, i)
                    : c == '#' ? (promql.indexOf('\n', i) < 0 ? promql.length() : promql.indexOf('\n', i)) : i + 1;
            out.append(next == i + 1 ? c : ' ');
            i = Math.min(next, promql.length());
        }
        return out.toString();
    }

    /** The index after the quoted text that starts at {@code open}; a backslash escapes in all but backquotes. */
    private static int afterQuoted(String q, int open) {
        char quote = q.charAt(open);
        int j = open + 1;
        while (j < q.length() && q.charAt(j) != quote) {
            j += quote != '`' && q.charAt(j) == '\\' ? 2 : 1;
        }
        return j + 1;
    }

    /** The text inside quotes, a backslash escape read as the character it escapes (in all but backquotes). */
    private static String unquoted(String quoted) {
        if (quoted.length() < 2) {
            return "";
        }
        char quote = quoted.charAt(0);
        String inside = quoted.substring(1, quoted.charAt(quoted.length() - 1) == quote ? quoted.length() - 1 : quoted.length());
        if (quote == '`' || inside.indexOf('\\') < 0) {
            return inside;
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < inside.length(); k++) {
            char c = inside.charAt(k);
            if (c == '\\' && k + 1 < inside.length()) {
                k++;
                c = inside.charAt(k);
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * A Unix time in seconds, as {@code @} takes it ({@code 1767268800}, {@code 1767268800.5}, or a
     * duration since 1970, {@code 1m40s}), or {@code null}.
     */
    private static Instant unixTime(String text) {
        boolean negative = text.startsWith("-");
        String unsigned = negative || text.startsWith("+") ? text.substring(1) : text;
        Duration since = PROMQL_DURATION.matcher(unsigned).matches() ? promqlDuration(unsigned) : seconds(unsigned);
        if (since == null) {
            return null;
        }
        try {
            return Instant.EPOCH.plus(negative ? since.negated() : since);
        } catch (ArithmeticException | DateTimeException e) {
            return null;
        }
    }

    /** A number of seconds ({@code 300}, {@code 90.5}, {@code 1_000}, {@code 0x12c}), to the millisecond, or {@code null}. */
    private static Duration seconds(String text) {
        if (!SECONDS.matcher(text).matches()) {
            return null;
        }
        String digits = text.replace("_", "");
        try {
            BigDecimal s = digits.startsWith("0x") || digits.startsWith("0X")
                    ? new BigDecimal(new BigInteger(digits.substring(2), 16)) : new BigDecimal(digits);
            return Duration.ofMillis(s.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * A PromQL duration ({@code 1h30m}) or a number of seconds ({@code 300}), or {@code null} when
     * the text is none or zero.
     */
    private static Duration promqlDuration(String text) {
        if (!PROMQL_DURATION.matcher(text).matches()) {
            Duration s = seconds(text);
            return s == null || s.isZero() || s.isNegative() ? null : s;
        }
        Duration total = Duration.ZERO;
        Matcher part = PROMQL_DURATION_PART.matcher(text);
        try {
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    case "w" -> Duration.ofDays(Math.multiplyExact(n, 7));
                    default -> Duration.ofDays(Math.multiplyExact(n, 365));
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return total.isZero() ? null : total;
    }

}
