package dev.vigil.junit.probe;

import dev.vigil.Deployment;
import dev.vigil.Durations;
import dev.vigil.ItemResult;
import dev.vigil.Outcome;
import dev.vigil.Plot;
import dev.vigil.Preflight;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.VigilException;
import dev.vigil.condition.Criteria;
import dev.vigil.junit.VigilTarget;
import dev.vigil.report.Reports;
import dev.vigil.spi.CredentialNames;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A JUnit suite as a probe; see {@link JunitProbes}. Immutable and thread-safe. */
final class JunitProbe implements Probe {

    /** The state key of the latest run's {@code PASS}, kept per verification. */
    private static final String LATEST_PASS = "junit.latest-pass";
    /**
     * The shell's variable holding the working folder: named like a credential ({@code db.pwd}) but
     * none, and masking it would hide every path under that folder.
     */
    private static final String WORKING_FOLDER = "PWD";
    /** How many failed tests an explanation names; the items hold them all. */
    private static final int NAMED = 10;

    private final List<Selection> selections;
    private final String tags;
    private final TestClassPath classPath;
    private final ClassLoader loader;
    private final Map<String, String> parameters;
    private final List<String> secrets;
    /** The secrets as they appear in the tests' console output, read byte by byte. */
    private final List<String> consoleSecrets;
    private final int minTests;
    private final int every;
    private final Criteria criteria;

    /**
     * @param environment the process's environment: the values of its variables named like
     *     credentials ({@code OTHER_SECRET_TOKEN}) are secrets too, since a test may read them
     *     ({@code System.getenv}) and print them or put them into a message
     */
    JunitProbe(List<Selection> selections, String tags, TestClassPath classPath, ClassLoader loader,
            Map<String, String> parameters, List<String> secretNames, Map<String, String> environment, int minTests, int every,
            Criteria criteria) {
        this.selections = selections;
        this.tags = tags;
        this.classPath = classPath;
        this.loader = loader;
        this.parameters = parameters;
        Stream<String> fromEnvironment = environment.entrySet().stream()
                .filter(e -> CredentialNames.isCredentialName(e.getKey()) && !e.getKey().equals(WORKING_FOLDER))
                .map(Map.Entry::getValue);
        this.secrets = CredentialNames.searchable(Stream.concat(secretNames.stream().map(parameters::get), fromEnvironment).toList());
        List<String> forms = new ArrayList<>();
        this.secrets.forEach(secret -> MaskedConsole.forms(secret, forms::add));
        this.consoleSecrets = forms.stream().distinct().toList();
        this.minTests = minTests;
        this.every = every;
        this.criteria = criteria;
    }

    /** The latest {@code PASS} of a verification and the round it was taken in. */
    private record Carried(ProbeResult pass, int round) {
    }

    @Override
    public ProbeResult measure(ProbeContext context) throws Exception {
        int round = context.round();
        AtomicReference<Carried> latest = round > 0 && every != 1 ? context.state(LATEST_PASS, AtomicReference::new) : null;
        Carried carried = latest == null ? null : latest.get();
        if (carried != null && (every == JunitProbeBuilder.ONCE || round - carried.round() < every)) {
            return ProbeResult.pass(carried.pass().values(), "carried over from round " + carried.round() + ": "
                    + carried.pass().explanation() + " (" + schedule() + ")");
        }
        ProbeResult m = mask(run(context));
        if (latest != null) {
            latest.set(m.passed() ? new Carried(m, round) : null);
        }
        return m;
    }

    private ProbeResult run(ProbeContext context) throws InterruptedException {
        Duration budget = budget(context.timeout());
        SuiteRun.Result result;
        try {
            result = inSuiteLoader((suiteLoader, roots) -> SuiteRun.run("vigil-junit-" + context.probeName() + "-round-"
                    + context.round(), suiteLoader, selections, roots, tags, configuration(context), budget, consoleSecrets, this::mask));
        } catch (IllegalStateException e) {
            // A classpath entry that does not exist, a glob that matches nothing: the message names each.
            return ProbeResult.error(e.getMessage());
        }
        return judge(result, context.timeout(), budget);
    }

    /** Work done with the suite's class loader and the class path roots it was made of. */
    @FunctionalInterface
    private interface InSuiteLoader<T, E extends Exception> {
        T apply(ClassLoader suiteLoader, List<Path> roots) throws E;
    }

    /**
     * Does {@code work} with the suite's class loader: with {@code classpath}, a fresh isolated loader
     * of its entries resolved now, closed afterwards; without, the probe's loader.
     *
     * @throws IllegalStateException when a {@code classpath} entry does not exist or a glob matches nothing
     */
    private <T, E extends Exception> T inSuiteLoader(InSuiteLoader<T, E> work) throws E {
        if (classPath.isEmpty()) {
            return work.apply(loader, List.of());
        }
        List<Path> roots = classPath.resolve();
        URLClassLoader isolated = TestClassPath.open(roots, JunitProbe.class.getClassLoader());
        try {
            return work.apply(isolated, roots);
        } finally {
            try {
                isolated.close();
            } catch (IOException e) {
                // Only open jar files are closed here; a failure to close leaks a handle, not a result.
            }
        }
    }

    /**
     * The check before a deployment ({@code validate --online}) runs no test: post-deploy tests call
     * the service and may change it (place an order, take a payment), against a version not deployed
     * yet. It discovers them as a run would and checks what a run checks before it starts (the
     * {@code classpath} entries, the selection, the tags, a class that does not load, a call that ends
     * the JVM, JUnit's discovery issues): {@code OK} with the number of tests found, else {@code ERROR}
     * saying why, as the round would.
     */
    @Override
    public Preflight preflight(ProbeContext context) {
        SuiteRun.Result found;
        try {
            found = inSuiteLoader((suiteLoader, roots) -> SuiteRun.discoverOnly(suiteLoader, selections, roots, tags,
                    configuration(context)));
        } catch (IllegalStateException e) {
            return Preflight.error(mask(e.getMessage()));
        }
        if (found.failure() != null) {
            return Preflight.error(mask("could not discover the tests (" + searched() + "): " + TestResults.message(found.failure(), this::mask)));
        }
        ProbeResult refused = refusal(found);
        if (refused != null) {
            return Preflight.error(mask(refused.error()));
        }
        return Preflight.ok(mask(found.found() + (found.found() == 1 ? " test" : " tests") + " found, " + searched()
                + " (not run: they may change the service)"));
    }

    /** The probe's timeout less a tenth, at most 1 s and at least 50 ms: time to name the unfinished tests. */
    static Duration budget(Duration timeout) {
        long tenth = Math.min(1000, Math.max(50, timeout.toMillis() / 10));
        return Duration.ofMillis(Math.max(1, timeout.toMillis() - tenth));
    }

    /** The JUnit configuration parameters of one run: the target, the round and the parameters. */
    private Map<String, String> configuration(ProbeContext context) {
        Map<String, String> out = new LinkedHashMap<>();
        Deployment d = context.deployment();
        out.put(VigilTarget.SERVICE, d.service());
        out.put(VigilTarget.VERSION, d.version());
        // Every key is given, empty when unknown, so that a system property or junit-platform.properties
        // meant for runs outside Vigil (vigil.previous-version, vigil.parameters.base-url) is not read instead.
        out.put(VigilTarget.PREVIOUS_VERSION, d.previousVersion() == null ? "" : d.previousVersion());
        out.put(VigilTarget.ENVIRONMENT, d.environment() == null ? "" : d.environment());
        out.put(VigilTarget.KIND, d.kind().name());
        out.put(VigilTarget.FIXES, String.join(",", d.fixes()));
        out.put(VigilTarget.ROUND, Integer.toString(context.round()));
        out.put(VigilTarget.PARAMETER_NAMES, String.join(",", parameters.keySet()));
        parameters.forEach((name, value) -> out.put(VigilTarget.PARAMETER_PREFIX + name, value));
        return out;
    }

    private ProbeResult judge(SuiteRun.Result r, Duration timeout, Duration budget) {
        if (r.failure() != null) {
            return ProbeResult.error("could not run the tests (" + searched() + "): " + TestResults.message(r.failure(), this::mask))
                    .withItems(r.items());
        }
        if (r.timedOut() && r.found() < 0) {
            return ProbeResult.error("the tests were still being discovered after " + millis(budget) + " (timeout "
                    + millis(timeout) + "); " + searched());
        }
        ProbeResult refused = refusal(r);
        if (refused != null) {
            return refused;
        }
        List<ItemResult> items = r.items();
        Map<String, Object> values = values(items, r);
        if (r.timedOut()) {
            List<ItemResult> running = items.stream().filter(i -> i.status() == ItemResult.Status.UNFINISHED).toList();
            return ProbeResult.error("the tests did not finish within " + millis(budget) + " (timeout " + millis(timeout)
                    + ") and were cancelled; " + (running.isEmpty() ? "none had started yet"
                    : "still running: " + running.stream().map(JunitProbe::label).collect(Collectors.joining(", ")))
                    + "; before that: " + counts(items.stream().filter(i -> i.status() != ItemResult.Status.UNFINISHED).toList()),
                    values).withItems(items);
        }
        long passed = count(items, ItemResult.Status.PASSED);
        List<ItemResult> failed = items.stream().filter(i -> i.status().problem()).toList();
        String details = counts(items) + skippedDetails(items) + (r.tags().isEmpty() ? "" : "; tags " + String.join(", ", r.tags()));
        if (criteria != null) {
            ProbeResult judged = criteria.judge(values);
            String text = judged.outcome() == Outcome.ERROR ? judged.error() : judged.explanation();
            String why = text + "; " + details + (failed.isEmpty() ? "" : "; failed: " + named(failed));
            if (judged.outcome() == Outcome.PASS && passed < minTests) {
                // Conditions on the counts can hold with nothing passed (all aborted or disabled): no evidence of health.
                return ProbeResult.inconclusive(values, text + ", but only " + passed + (passed == 1 ? " test" : " tests")
                        + " passed, min-tests is " + minTests + "; aborted and disabled tests never count as passes; " + details
                        + (failed.isEmpty() ? "" : "; failed: " + named(failed))).withItems(items);
            }
            ProbeResult m = judged.outcome() == Outcome.ERROR ? ProbeResult.error(why, values) : ProbeResult.of(judged.outcome(), values, why);
            return m.withItems(items);
        }
        if (!failed.isEmpty()) {
            return ProbeResult.fail(values, failed.size() + " of " + items.size() + " tests failed: " + named(failed)
                    + "; " + details).withItems(items);
        }
        if (passed < minTests) {
            return ProbeResult.inconclusive(values, "only " + passed + (passed == 1 ? " test" : " tests") + " passed, min-tests is "
                    + minTests + "; aborted and disabled tests never count as passes; " + details).withItems(items);
        }
        return ProbeResult.pass(values, details).withItems(items);
    }

    /**
     * Why the discovered tests did not run, as an {@code ERROR}: none matched, a {@code select} entry
     * matched none, a test ends the JVM, a class of the scan does not load, JUnit reported a discovery
     * issue; {@code null} when nothing kept them from running.
     */
    private ProbeResult refusal(SuiteRun.Result r) {
        if (!r.exits().isEmpty()) {
            return ProbeResult.error("the tests did not run: a test that ends the JVM would end the verification with no verdict "
                    + "and no report (and the command line with the code it gives, 0 for HEALTHY); a post-deploy test must fail "
                    + "instead: " + String.join(", ", r.exits()));
        }
        if (!r.unloadable().isEmpty()) {
            List<String> classes = r.unloadable();
            return ProbeResult.error("the tests did not run: " + classes.size() + (classes.size() == 1 ? " class of the tests does"
                    : " classes of the tests do") + " not load, and JUnit's scan of " + searched() + " leaves such a class out "
                    + "without a word, the other tests passing without its own: " + listed(classes) + "; put the jars of the libraries "
                    + "the tests use " + (classPath.isEmpty() ? "on the application's class path" : "in classpath")
                    + ", or select the classes that should run");
        }
        if (!r.junit4().isEmpty()) {
            List<String> classes = r.junit4();
            return ProbeResult.error("the tests did not run: " + classes.size() + (classes.size() == 1 ? " class looks"
                    : " classes look") + " like JUnit 4 tests (a method annotated org.junit.Test, or a subclass of "
                    + "junit.framework.TestCase with a public void test method) that no engine runs, and JUnit's scan of " + searched() + " leaves such a class "
                    + "out without a word, the other tests passing without its own: " + listed(classes) + "; to run them, put "
                    + "junit-vintage-engine (org.junit.vintage, the version of Vigil's JUnit) and junit 4.13.2 "
                    + (classPath.isEmpty() ? "on the application's class path" : "in classpath")
                    + ", or move them to JUnit Jupiter, or select the classes that should run");
        }
        if (!r.issues().isEmpty()) {
            return ProbeResult.error("the tests did not run: " + discoveryIssues(r.issues(), " in " + searched()));
        }
        if (r.found() == 0) {
            return ProbeResult.error("no test matched " + searched()
                    + "; check the names and the tags, and that the test classes are on the class path");
        }
        if (!r.unmatched().isEmpty()) {
            return ProbeResult.error("the tests did not run: no test matched " + r.unmatched().stream().map(s -> "'" + s + "'")
                    .collect(Collectors.joining(", ")) + " of " + searched() + ", and JUnit ignores such an entry when another "
                    + "matches; check its name and the tags, or remove it");
        }
        return null;
    }

    private static Map<String, Object> values(List<ItemResult> items, SuiteRun.Result r) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("tests.total", items.size());
        values.put("tests.passed", count(items, ItemResult.Status.PASSED));
        values.put("tests.failed", items.stream().filter(i -> i.status().problem()).count());
        values.put("tests.skipped", count(items, ItemResult.Status.ABORTED) + count(items, ItemResult.Status.SKIPPED));
        values.put("duration", r.took());
        values.put("tags", r.tags());
        return values;
    }

    private static long count(List<ItemResult> items, ItemResult.Status status) {
        return items.stream().filter(i -> i.status() == status).count();
    }

    /** {@code 5 passed, 1 failed, 1 aborted, 0 disabled}. */
    private static String counts(List<ItemResult> items) {
        return count(items, ItemResult.Status.PASSED) + " passed, "
                + items.stream().filter(i -> i.status().problem()).count() + " failed, "
                + count(items, ItemResult.Status.ABORTED) + " aborted, "
                + count(items, ItemResult.Status.SKIPPED) + " disabled";
    }

    /** The aborted and disabled tests, named, so that a skipped confirmation test is seen. */
    private static String skippedDetails(List<ItemResult> items) {
        List<ItemResult> skipped = items.stream()
                .filter(i -> i.status() == ItemResult.Status.ABORTED || i.status() == ItemResult.Status.SKIPPED).toList();
        return skipped.isEmpty() ? "" : " (not passed: " + named(skipped) + ")";
    }

    /** {@code Class > test(): first line of the message; ...}, at most {@value #NAMED} of them. */
    private static String named(List<ItemResult> items) {
        return listed(items.stream().map(i -> label(i) + (i.message().isEmpty() ? "" : ": " + firstLine(i.message()))).toList());
    }

    /** {@code a; b; c; and 2 more}: at most {@value #NAMED} of them. */
    private static String listed(List<String> texts) {
        String shown = texts.stream().limit(NAMED).collect(Collectors.joining("; "));
        return texts.size() > NAMED ? shown + "; and " + (texts.size() - NAMED) + " more" : shown;
    }

    /**
     * What JUnit's discovery reported ({@link SuiteRun.Result#issues}), {@code where} naming what was
     * searched or empty when the sentence already does.
     */
    private static String discoveryIssues(List<String> issues, String where) {
        return "JUnit found " + issues.size() + (issues.size() == 1 ? " problem" : " problems") + where
                + " and would leave out what it concerns, saying so only in its log, the other tests passing without it: "
                + listed(issues) + "; correct what JUnit names, or select only the tests that should run";
    }

    private static String label(ItemResult item) {
        String group = item.group() == null ? "" : item.group().substring(item.group().lastIndexOf('.') + 1) + " > ";
        return group + item.name();
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end) + " ...";
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String millis(Duration d) {
        return Durations.format(d);
    }

    /** What was searched, for messages: the selection, the tags and where. */
    private String searched() {
        List<String> parts = new ArrayList<>();
        parts.add(selections.isEmpty() ? "every test" : "select=" + selections.stream().map(Selection::toString)
                .collect(Collectors.joining(",")));
        if (tags != null) {
            parts.add("tags=" + tags);
        }
        parts.add(classPath.isEmpty() ? "on the application's class path" : "in classpath=" + classPath);
        return String.join(" ", parts);
    }

    private String schedule() {
        return every == JunitProbeBuilder.ONCE ? "the suite runs once per verification; every-round=true or every=<n> repeats it"
                : "the suite runs every " + every + " rounds";
    }

    /**
     * The measurement with every secret (a secret parameter's value, a credential's from the
     * environment) masked in what the tests said, and its control characters replaced.
     */
    private ProbeResult mask(ProbeResult m) {
        List<ItemResult> items = m.items().stream().map(i -> new ItemResult(mask(i.id()), i.group(), mask(i.name()), i.status(),
                i.duration(), mask(i.message()), i.tags())).toList();
        ProbeResult masked = m.outcome() == Outcome.ERROR ? ProbeResult.error(mask(m.error()), m.values())
                : ProbeResult.of(m.outcome(), m.values(), mask(m.explanation()));
        return masked.withItems(items);
    }

    /**
     * The text with every secret masked and each control character but tab, newline and carriage
     * return replaced by U+FFFD: a test's message may quote a gzip or binary body, and its NUL in the
     * verdict's reason would make the rollback command refuse its environment ({@code VIGIL_REASON})
     * and fail, its escape sequences would recolour or rewrite the console.
     */
    private String mask(String text) {
        return Reports.printable(MaskedConsole.hidden(text, secrets));
    }

    /**
     * The tests of the selection (with {@code tags} applied) tagged with the issue id, found by a
     * JUnit discovery without running anything; empty when none.
     *
     * @throws VigilException when the classes cannot be looked for now (a {@code classpath} jar not
     *     built yet, a class that does not load), or when JUnit's discovery reports a problem (a
     *     {@code @Test} method it leaves out, which may be one of the fix's tests), saying what was
     *     searched and why it failed; and when no test is tagged with the issue id but one is tagged
     *     with it in another case ({@code INC-1} for {@code inc-1}), naming that tag: the refusal of
     *     the fix then says the near match exists
     */
    @Override
    public List<String> confirmationTests(String issue) {
        SuiteRun.Tagged tagged;
        try {
            tagged = inSuiteLoader((suiteLoader, roots) -> SuiteRun.tagged(suiteLoader, selections, roots, tags, issue));
        } catch (IllegalStateException e) {
            throw unsearched(issue, e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw unsearched(issue, TestResults.message(e, this::mask), e);
        }
        if (!tagged.issues().isEmpty()) {
            // A test JUnit leaves out may be one of the fix's: the others would confirm it without it.
            throw unsearched(issue, discoveryIssues(tagged.issues(), ""), null);
        }
        if (tagged.tests().isEmpty() && !tagged.nearTags().isEmpty()) {
            // Said here, where the tags are known: a refusal that only advised @Tag("inc-1") hid that the test exists.
            throw new VigilException(mask("no test is tagged " + issue + ", but a test is tagged " + String.join(", ", tagged.nearTags())
                    + "; fix ids match tags exactly: list the fix as " + tagged.nearTags().get(0) + " or retag the test"));
        }
        return mask(tagged.tests());
    }

    private VigilException unsearched(String issue, String why, Throwable cause) {
        return new VigilException(mask("could not look for the tests tagged " + issue + " (" + searched() + "): " + why), cause);
    }

    private List<String> mask(List<String> names) {
        return names.stream().map(this::mask).toList();
    }

    @Override
    public String description() {
        return "JUnit tests: " + searched() + "; " + (every == JunitProbeBuilder.ONCE ? "once per verification"
                : every == 1 ? "every round" : "every " + every + " rounds")
                + (parameters.isEmpty() ? "" : "; parameters " + String.join(", ", new java.util.TreeSet<>(parameters.keySet())))
                + (minTests == JunitProbeBuilder.DEFAULT_MIN_TESTS ? "" : "; min-tests " + minTests);
    }

    /**
     * With conditions: the count they compare with a number ({@code tests.failed}, {@code tests.passed}
     * or {@code duration}) against that number. Without: {@code tests.failed} (any fails the
     * measurement) and {@code tests.passed} against {@code min-tests} (fewer is inconclusive).
     */
    @Override
    public Plot plot() {
        if (criteria != null) {
            java.util.Optional<Plot> tested = Plot.tested(criteria.passWhen(), criteria.failWhen(), "tests.failed",
                    "tests.passed", "duration");
            if (tested.isPresent()) {
                return tested.get();
            }
        }
        Plot counts = Plot.of(new Plot.Series("tests.failed", "failed tests"), new Plot.Series("tests.passed", "passed tests"));
        return criteria != null ? counts
                : counts.withThreshold(minTests, "min-tests " + minTests + ": fewer passed tests are inconclusive; any failed test fails");
    }

    @Override
    public String passWhen() {
        return criteria == null ? null : criteria.passWhen();
    }

    @Override
    public String failWhen() {
        return criteria == null ? null : criteria.failWhen();
    }

    @Override
    public String toString() {
        return "JunitProbe[" + description() + "]";
    }

}
