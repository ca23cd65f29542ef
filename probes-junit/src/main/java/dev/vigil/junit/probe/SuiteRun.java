package dev.vigil.junit.probe;

import dev.vigil.ItemResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherExecutionRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One run of a suite through the JUnit Platform Launcher, on a thread of its own whose context
 * class loader is the suite's, bounded by a time budget. At the end of the budget the run is
 * cancelled (no further test starts) and its thread interrupted; what was running then is
 * reported {@code UNFINISHED}. A test that ignores interruption keeps its (daemon) thread until it
 * returns, but the result is given at the deadline all the same.
 */
final class SuiteRun {

    /**
     * Listeners and filters are given explicitly: those a class path would register through the
     * service loader (report writers, say) have no business in a probe. Engines are still found
     * through it, so that a suite brings the engines it needs.
     */
    private static final LauncherConfig CONFIG = LauncherConfig.builder()
            .enableTestExecutionListenerAutoRegistration(false)
            .enableLauncherSessionListenerAutoRegistration(false)
            .enableLauncherDiscoveryListenerAutoRegistration(false)
            .enablePostDiscoveryFilterAutoRegistration(false)
            .build();

    /** How long a cancelled run gets to wind down before its result is given anyway. */
    private static final Duration WIND_DOWN = Duration.ofMillis(200);

    /**
     * What one run did.
     *
     * @param items every test reported, then those unfinished at the deadline
     * @param tags the tags of the tests that ran
     * @param found how many tests the selection matched; -1 when discovery failed
     * @param timedOut whether the budget ran out before the run ended
     * @param failure what stopped discovery or execution, or {@code null}
     * @param took how long it took
     * @param exits the calls that would end the JVM found in the test code, which then did not run
     * @param unloadable the classes of the tests that JUnit's scan left out because they do not load
     *     ({@link UnloadableClasses}); when there are any, no test ran
     * @param issues what JUnit's discovery reported as a warning or an error (a {@code @Test} method that
     *     is private, static or returns a value, which it would leave out); when there are any, no test ran
     * @param unmatched the {@code select} entries no test came from ({@link Selection#unmatched}); when
     *     there are any, no test ran
     * @param junit4 the JUnit 4 test classes of the scan that no engine runs ({@link Junit4Classes}); when
     *     there are any, no test ran
     */
    record Result(List<ItemResult> items, List<String> tags, long found, boolean timedOut, Throwable failure, Duration took,
            List<String> exits, List<String> unloadable, List<String> issues, List<Selection> unmatched, List<String> junit4) {
    }

    private SuiteRun() {
    }

    /**
     * Runs the selected tests.
     *
     * @param threadName the name of the run's thread
     * @param loader the suite's class loader
     * @param selections what to select; empty means every test under {@code roots}
     * @param roots the class path roots scanned when {@code selections} is empty
     * @param tags a JUnit tag expression, or {@code null}
     * @param parameters the JUnit configuration parameters of this run
     * @param budget how long the run may take
     * @param consoleSecrets the secrets masked in what is printed on {@code System.out} and {@code System.err}
     *     during the run, as {@link MaskedConsole#forms} gives them
     * @param hide what hides the secrets of a failure message before it is cut short
     * @throws InterruptedException when the calling thread is interrupted; the run is cancelled first
     */
    static Result run(String threadName, ClassLoader loader, List<Selection> selections, List<Path> roots, String tags,
            Map<String, String> parameters, Duration budget, List<String> consoleSecrets, UnaryOperator<String> hide) throws InterruptedException {
        TestResults results = new TestResults(hide);
        CancellationToken token = CancellationToken.create();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Discovered> discovered = new AtomicReference<>(Discovered.NONE);
        Thread runner = new Thread(() -> MaskedConsole.masked(consoleSecrets, () -> {
            Thread.currentThread().setContextClassLoader(loader);
            try {
                Launcher launcher = LauncherFactory.create(CONFIG);
                Discovered d = discover(launcher, loader, selections, roots, tags, parameters);
                discovered.set(d);
                if (d.runnable() && !token.isCancellationRequested()) {
                    launcher.execute(LauncherExecutionRequestBuilder.request(d.plan()).listeners(results)
                            .cancellationToken(token).build());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }), threadName);
        runner.setDaemon(true);
        long start = System.nanoTime();
        JvmDefaults.enter();
        try {
            runner.start();
            try {
                runner.join(Math.max(1, budget.toMillis()));
            } catch (InterruptedException e) {
                stop(runner, token);
                throw e;
            }
            boolean timedOut = runner.isAlive();
            // Taken before the interruption, which would turn the unfinished tests into failures.
            List<ItemResult> items = results.items();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (timedOut) {
                stop(runner, token);
                runner.join(WIND_DOWN.toMillis());
            }
            return discovered.get().result(items, results.tags(), timedOut, failure.get(), took);
        } finally {
            // A test's Locale.setDefault or TimeZone.setDefault ends with the run, not in later rounds and probes.
            JvmDefaults.exit();
        }
    }

    /**
     * Discovers the selected tests and checks them without running any, on the calling thread with
     * the suite's class loader as its context class loader: what {@link #run} checks before it runs
     * them (a selection that matches nothing, a call that ends the JVM, a class the scan leaves out,
     * JUnit's discovery issues). The result has no items; its {@code failure} is what discovery threw.
     *
     * @param parameters the JUnit configuration parameters, as a run would get them
     */
    static Result discoverOnly(ClassLoader loader, List<Selection> selections, List<Path> roots, String tags,
            Map<String, String> parameters) {
        Thread current = Thread.currentThread();
        ClassLoader before = current.getContextClassLoader();
        current.setContextClassLoader(loader);
        long start = System.nanoTime();
        Discovered d = Discovered.NONE;
        Throwable failure = null;
        try {
            d = discover(LauncherFactory.create(CONFIG), loader, selections, roots, tags, parameters);
        } catch (RuntimeException | LinkageError e) {
            failure = e;
        } finally {
            current.setContextClassLoader(before);
        }
        return d.result(List.of(), List.of(), false, failure, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * What a discovery found and what keeps its tests from running.
     *
     * @param plan the discovered plan, or {@code null} before discovery
     * @param found how many tests the selection matched; -1 when discovery failed
     */
    private record Discovered(TestPlan plan, long found, List<String> exits, List<String> unloadable, List<String> issues,
            List<Selection> unmatched, List<String> junit4) {

        static final Discovered NONE = new Discovered(null, -1, List.of(), List.of(), List.of(), List.of(), List.of());

        boolean runnable() {
            return found > 0 && exits.isEmpty() && unloadable.isEmpty() && issues.isEmpty() && unmatched.isEmpty()
                    && junit4.isEmpty();
        }

        Result result(List<ItemResult> items, List<String> tags, boolean timedOut, Throwable failure, Duration took) {
            return new Result(items, tags, found, timedOut, failure, took, exits, unloadable, issues, unmatched, junit4);
        }
    }

    /** Discovers the selected tests with {@code launcher} and checks them before anything runs; the caller sets the context class loader. */
    private static Discovered discover(Launcher launcher, ClassLoader loader, List<Selection> selections, List<Path> roots,
            String tags, Map<String, String> parameters) {
        CancelledScanLog.install();
        Issues issues = new Issues();
        LauncherDiscoveryRequest discovery = request(loader, selections, roots, tags, issues)
                .configurationParameters(parameters).build();
        TestPlan plan = launcher.discover(discovery);
        long found = plan.countTestIdentifiers(TestResults::holdsTests);
        // JUnit ignores an entry that matches nothing when another one matches: a typo would go unseen.
        List<Selection> unmatched = Selection.unmatched(selections, plan);
        Set<String> classes = testClasses(plan);
        // Before anything runs: a test that ends the JVM would end the verification with no verdict.
        List<String> exits = ExitCalls.find(loader, classes);
        // And a test class the scan left out, because it does not load or no engine runs it (JUnit 4),
        // would let the others pass without it. With tags, an untagged JUnit 4 class would not run even
        // with the vintage engine, and its tags cannot be told without it: not looked for.
        boolean scans = UnloadableClasses.scans(selections);
        List<String> unloadable = scans ? UnloadableClasses.find(loader, selections, roots) : List.of();
        List<String> junit4 = scans && tags == null ? Junit4Classes.find(loader, selections, roots, classes) : List.of();
        return new Discovered(plan, found, exits, unloadable, issues.found(), unmatched, junit4);
    }

    /**
     * What the engines report during discovery as a warning or an error: JUnit leaves out a
     * {@code @Test} method that is private, static or returns a value, saying so only in a log, and
     * the tests around it would pass without it. Thread-safe.
     */
    private static final class Issues implements LauncherDiscoveryListener {

        private final List<String> found = new CopyOnWriteArrayList<>();

        @Override
        public void issueEncountered(UniqueId engineId, DiscoveryIssue issue) {
            if (issue.severity().compareTo(DiscoveryIssue.Severity.WARNING) >= 0) {
                found.add(issue.message());
            }
        }

        List<String> found() {
            return List.copyOf(found);
        }
    }

    /** The classes of a plan's tests and containers. */
    private static Set<String> testClasses(TestPlan plan) {
        Set<String> classes = new LinkedHashSet<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                id.getSource().ifPresent(source -> {
                    if (source instanceof ClassSource c) {
                        classes.add(c.getClassName());
                    } else if (source instanceof MethodSource m) {
                        classes.add(m.getClassName());
                    }
                });
            }
        }
        return classes;
    }

    /**
     * The tests tagged with an issue id, found by a discovery that ran nothing.
     *
     * @param tests the labels of the tests tagged with the issue id
     * @param issues what JUnit's discovery reported as a warning or an error ({@link Issues}): a
     *     {@code @Test} method it leaves out is not among {@code tests}, tagged or not
     * @param nearTags the tags of the selected tests that differ from the issue id in case only
     */
    record Tagged(List<String> tests, List<String> issues, List<String> nearTags) {
    }

    /**
     * Discovers the selected tests without running them, on the calling thread with the suite's
     * class loader as its context class loader, and names those tagged {@code tag}.
     *
     * @throws RuntimeException whatever discovery throws (a class that does not load)
     */
    static Tagged tagged(ClassLoader loader, List<Selection> selections, List<Path> roots, String tags, String tag) {
        Thread current = Thread.currentThread();
        ClassLoader before = current.getContextClassLoader();
        current.setContextClassLoader(loader);
        try {
            Issues issues = new Issues();
            TestPlan plan = LauncherFactory.create(CONFIG).discover(request(loader, selections, roots, tags, issues).build());
            return new Tagged(TestResults.tagged(plan, tag), issues.found(), TestResults.tagsDifferingInCase(plan, tag));
        } finally {
            current.setContextClassLoader(before);
        }
    }

    /** The discovery request of the selection (every test under {@code roots} when empty) and the tags, heard by {@code issues}. */
    private static LauncherDiscoveryRequestBuilder request(ClassLoader loader, List<Selection> selections, List<Path> roots,
            String tags, Issues issues) {
        List<DiscoverySelector> selectors = selections.isEmpty()
                ? List.copyOf(DiscoverySelectors.selectClasspathRoots(new LinkedHashSet<>(roots)))
                : Selection.selectors(selections, loader);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).listeners(issues);
        if (tags != null) {
            request.filters(TagFilter.includeTags(tags));
        }
        return request;
    }

    private static void stop(Thread runner, CancellationToken token) {
        token.cancel();
        runner.interrupt();
    }
}
