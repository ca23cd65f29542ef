package dev.vigil.junit.probe;

import dev.vigil.ItemResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects what one run of a suite did, test by test, as the JUnit Platform reports it. Called by
 * the engine's threads (a suite may run its tests in parallel); read once the run is over or
 * given up. Thread-safe.
 *
 * <p>A container that fails counts as one {@code ERROR} item with the tags of its tests: before
 * they ran (a {@code @BeforeAll} that throws), since they never did (a confirmation test that could
 * not start is not missing but failed), and after (an {@code @AfterAll} that throws), saying that
 * they ran; a test factory or parameterized method that succeeded without making a test counts as
 * one {@code SKIPPED} item ({@link #MADE_NO_TEST}), so that it is named; a skipped container (a disabled class) counts each of its tests as
 * {@code SKIPPED}.
 */
final class TestResults implements TestExecutionListener {

    /** How many lines of a failure message an item keeps. */
    static final int MESSAGE_LINES = 5;
    /** How many characters of a failure message an item keeps. */
    static final int MESSAGE_CHARS = 600;

    /** The message of a test factory or parameterized test that ran and made no test. */
    static final String MADE_NO_TEST = "made no test: a test factory that returned none, or a parameterized test without "
            + "arguments that allows zero invocations";

    private volatile TestPlan plan;
    private final Map<String, Running> started = new ConcurrentHashMap<>();
    private final Map<String, ItemResult> finished = new ConcurrentHashMap<>();
    /** The order tests were reported in, so that reports follow the run. */
    private final Map<String, Integer> order = new ConcurrentHashMap<>();
    private final Set<String> tags = ConcurrentHashMap.newKeySet();
    /** What hides the secrets of a message, applied before it is cut short so that no part of one is kept. */
    private final UnaryOperator<String> hide;

    /** Results whose messages are kept as thrown. */
    TestResults() {
        this(UnaryOperator.identity());
    }

    /** @param hide what hides the secrets of a failure message, before it is cut short */
    TestResults(UnaryOperator<String> hide) {
        this.hide = hide;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    /**
     * Records, as {@code SKIPPED}, each test of the plan that its engine never reported (a custom
     * engine's bug): it would vanish from the counts, though the check before the deployment counted
     * it. A test under a container that was reported (failed, aborted, disabled) is that container's.
     */
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        Set<String> reported = new java.util.HashSet<>();
        for (String uid : finished.keySet()) {
            for (String at = uid; ; at = at.substring(0, at.lastIndexOf("/["))) {
                reported.add(at);
                if (at.lastIndexOf("/[") < 0) {
                    break;
                }
            }
        }
        reported.addAll(started.keySet());
        for (TestIdentifier root : testPlan.getRoots()) {
            for (TestIdentifier id : testPlan.getDescendants(root)) {
                if (holdsTests(id) && !reported.contains(id.getUniqueId()) && !underReported(testPlan, id)) {
                    record(id, ItemResult.Status.SKIPPED, null, "not run: its engine (" + id.getUniqueIdObject().getEngineId()
                            .orElse("unknown") + ") reported nothing of it");
                    reported.add(id.getUniqueId());
                }
            }
        }
    }

    /** Whether a container above a test was reported (and stands for it). */
    private boolean underReported(TestPlan testPlan, TestIdentifier id) {
        for (TestIdentifier up = testPlan.getParent(id).orElse(null); up != null; up = testPlan.getParent(up).orElse(null)) {
            if (finished.containsKey(up.getUniqueId())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (id.isTest()) {
            started.put(id.getUniqueId(), new Running(id, System.nanoTime()));
            order.putIfAbsent(id.getUniqueId(), order.size());
            tags.addAll(tags(id));
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        String message = reason == null || reason.isBlank() ? "disabled" : "disabled: " + reason;
        if (id.isTest()) {
            record(id, ItemResult.Status.SKIPPED, null, message);
        } else {
            neverRan(id, ItemResult.Status.SKIPPED, message);
        }
    }

    /**
     * Whether an identifier is a test or stands for tests not known before it runs: a
     * parameterized, repeated or template method, a test factory (containers of a method whose
     * tests JUnit registers as it runs them).
     */
    static boolean holdsTests(TestIdentifier id) {
        return id.isTest() || id.isContainer() && id.getSource().filter(s -> s instanceof MethodSource).isPresent();
    }

    /**
     * Records, with the given status, each test under a container that did not run them (disabled,
     * or aborted before they started), so that they are counted and named: the tests known from
     * discovery, and a parameterized method or test factory as one item when none of its tests
     * was reported.
     */
    private void neverRan(TestIdentifier container, ItemResult.Status status, String message) {
        TestPlan p = plan;
        List<TestIdentifier> candidates = new ArrayList<>();
        if (holdsTests(container)) {
            candidates.add(container);
        }
        if (p != null) {
            p.getDescendants(container).stream().filter(TestResults::holdsTests).forEach(candidates::add);
        }
        candidates.sort(java.util.Comparator.comparingInt(t -> t.getUniqueId().length()));
        List<String> recorded = new ArrayList<>();
        for (TestIdentifier t : candidates) {
            String uid = t.getUniqueId();
            boolean reported = finished.keySet().stream().anyMatch(f -> f.equals(uid) || f.startsWith(uid + "/"))
                    || recorded.stream().anyMatch(r -> uid.startsWith(r + "/"));
            if (!reported) {
                record(t, status, null, message);
                recorded.add(uid);
            }
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Running run = started.remove(id.getUniqueId());
        Duration took = run == null ? null : Duration.ofNanos(System.nanoTime() - run.start());
        Optional<Throwable> thrown = result.getThrowable();
        if (id.isTest()) {
            switch (result.getStatus()) {
                case SUCCESSFUL -> record(id, ItemResult.Status.PASSED, took, "");
                case ABORTED -> record(id, ItemResult.Status.ABORTED, took, thrown.map(this::message).orElse("aborted"));
                case FAILED -> record(id, thrown.filter(t -> t instanceof AssertionError).isPresent()
                        ? ItemResult.Status.FAILED : ItemResult.Status.ERROR, took, thrown.map(this::message).orElse("failed"));
            }
        } else if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL && holdsTests(id) && !ranUnder(id)) {
            // A test factory that returned no test, a parameterized test allowed no invocation: JUnit reports
            // the method as a container that succeeded, and it would vanish from the counts; named instead.
            record(id, ItemResult.Status.SKIPPED, took, MADE_NO_TEST);
        } else if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            // An assumption in a @BeforeAll: the container's tests never ran, and must be seen as aborted.
            neverRan(id, ItemResult.Status.ABORTED, thrown.map(t -> "aborted before it ran: " + message(t))
                    .orElse("aborted before it ran"));
        } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            // A failed container must not pass silently: before its tests (a @BeforeAll that threw) they never
            // ran; after them (an @AfterAll) they did, and the report must not say they could not. It stands
            // for them, so it carries their tags: a confirmation test whose class failed does not confirm.
            String what = ranUnder(id) ? "failed after its tests ran" : "could not run its tests";
            record(id, ItemResult.Status.ERROR, null, thrown.map(t -> what + ": " + message(t)).orElse(what), coveredTags(id));
        }
    }

    /** Whether a test under a container has been reported. */
    private boolean ranUnder(TestIdentifier container) {
        String prefix = container.getUniqueId() + "/";
        return finished.keySet().stream().anyMatch(f -> f.startsWith(prefix));
    }

    /** The tags of a container and of every test known under it. */
    private List<String> coveredTags(TestIdentifier container) {
        Set<String> covered = new TreeSet<>(tags(container));
        TestPlan p = plan;
        if (p != null) {
            p.getDescendants(container).stream().filter(TestResults::holdsTests).forEach(t -> covered.addAll(tags(t)));
        }
        return List.copyOf(covered);
    }

    private void record(TestIdentifier id, ItemResult.Status status, Duration took, String message) {
        record(id, status, took, message, tags(id));
    }

    private void record(TestIdentifier id, ItemResult.Status status, Duration took, String message, List<String> itemTags) {
        order.putIfAbsent(id.getUniqueId(), order.size());
        finished.put(id.getUniqueId(), new ItemResult(id.getUniqueId(), group(id), name(id), status, took, message, itemTags));
    }

    /** The items so far in the order they were reported, then those still running as {@code UNFINISHED}. */
    List<ItemResult> items() {
        List<ItemResult> out = new ArrayList<>(finished.values());
        out.sort((a, b) -> Integer.compare(order.getOrDefault(a.id(), 0), order.getOrDefault(b.id(), 0)));
        out.addAll(unfinished());
        return out;
    }

    /** The tests started and not finished, as {@code UNFINISHED} items. */
    List<ItemResult> unfinished() {
        List<ItemResult> out = new ArrayList<>();
        for (Running run : new ArrayList<>(started.values())) {
            if (!finished.containsKey(run.id().getUniqueId())) {
                out.add(new ItemResult(run.id().getUniqueId(), group(run.id()), name(run.id()), ItemResult.Status.UNFINISHED,
                        Duration.ofNanos(System.nanoTime() - run.start()), "still running when the time ran out; cancelled",
                        tags(run.id())));
            }
        }
        out.sort((a, b) -> Integer.compare(order.getOrDefault(a.id(), 0), order.getOrDefault(b.id(), 0)));
        return out;
    }

    /**
     * The tests of a discovered plan that carry a tag, named as {@link ItemResult#label()} names
     * them, in the plan's order.
     */
    static List<String> tagged(TestPlan plan, String tag) {
        List<String> out = new ArrayList<>();
        eachTest(plan, (names, id) -> {
            if (names.tags(id).contains(tag)) {
                String label = new ItemResult(id.getUniqueId(), names.group(id), names.name(id), ItemResult.Status.SKIPPED,
                        null, "", List.of()).label();
                if (!out.contains(label)) {
                    out.add(label);
                }
            }
        });
        return out;
    }

    /**
     * The tags of the tests of a discovered plan that differ from {@code tag} in case only
     * ({@code INC-1} for {@code inc-1}), each once, in the plan's order: a fix id matches a tag
     * exactly, as JUnit's tag filters do.
     */
    static List<String> tagsDifferingInCase(TestPlan plan, String tag) {
        List<String> out = new ArrayList<>();
        eachTest(plan, (names, id) -> names.tags(id).stream()
                .filter(t -> !t.equals(tag) && t.equalsIgnoreCase(tag) && !out.contains(t)).forEach(out::add));
        return out;
    }

    /** Hands each test of a discovered plan ({@link #holdsTests}), in order, with a naming of the plan's tests. */
    private static void eachTest(TestPlan plan, java.util.function.BiConsumer<TestResults, TestIdentifier> test) {
        TestResults names = new TestResults();
        names.plan = plan;
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                if (holdsTests(id)) {
                    test.accept(names, id);
                }
            }
        }
    }

    /**
     * The tags of one test: its own and those of every container above it. JUnit gives a method's
     * tags with its class's, but none to a dynamic test of a {@code @TestFactory}, which is the tagged
     * method's test all the same.
     */
    private List<String> tags(TestIdentifier id) {
        Set<String> out = new TreeSet<>();
        TestPlan p = plan;
        TestIdentifier current = id;
        while (current != null) {
            current.getTags().forEach(t -> out.add(t.getName()));
            current = p == null ? null : p.getParent(current).orElse(null);
        }
        return List.copyOf(out);
    }

    /** The tags of the tests that ran, sorted. */
    List<String> tags() {
        return List.copyOf(new TreeSet<>(tags));
    }

    /** The class a test belongs to: the outermost class above it, or the engine when there is none. */
    private String group(TestIdentifier id) {
        TestPlan p = plan;
        String group = null;
        TestIdentifier current = id;
        while (current != null) {
            Optional<TestSource> source = current.getSource();
            if (source.isPresent() && source.get() instanceof ClassSource c) {
                group = c.getClassName();
            } else if (group == null && source.isPresent() && source.get() instanceof MethodSource m) {
                group = m.getClassName();
            }
            current = p == null ? null : p.getParent(current).orElse(null);
        }
        return group;
    }

    /** The display names from below the outermost class down to the test: {@code pays(int) > [1] 42}. */
    private String name(TestIdentifier id) {
        TestPlan p = plan;
        if (p == null) {
            return id.getDisplayName();
        }
        List<String> names = new ArrayList<>();
        TestIdentifier current = id;
        while (current != null && current.getParentId().isPresent() && !outerClass(p, current)) {
            names.add(0, current.getDisplayName());
            current = p.getParent(current).orElse(null);
        }
        return names.isEmpty() ? id.getDisplayName() : String.join(" > ", names);
    }

    private static boolean outerClass(TestPlan p, TestIdentifier id) {
        return isClass(id) && p.getParent(id).filter(TestResults::isClass).isEmpty();
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().filter(s -> s instanceof ClassSource).isPresent();
    }

    private record Running(TestIdentifier id, long start) {
    }

    /** The first lines of what was thrown, its secrets hidden. */
    private String message(Throwable t) {
        return message(t, hide);
    }

    /**
     * The first lines of what was thrown (the message of an assertion, the type and message of
     * anything else), {@code hide} applied to its whole text before it is cut
     * short: a secret cut in two would no longer be found, and its first part would be shown.
     */
    static String message(Throwable t, UnaryOperator<String> hide) {
        String text = t.getMessage() == null ? "" : hide.apply(t.getMessage()).strip();
        if (!(t instanceof AssertionError) && !t.getClass().getName().startsWith("org.opentest4j.")) {
            text = t.getClass().getName() + (text.isEmpty() ? "" : ": " + text);
        } else if (text.isEmpty()) {
            text = t.getClass().getSimpleName();
        }
        String[] lines = text.split("\\R", MESSAGE_LINES + 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, MESSAGE_LINES); i++) {
            out.append(i == 0 ? "" : "\n").append(lines[i]);
        }
        if (lines.length > MESSAGE_LINES) {
            out.append("\n...");
        }
        return out.length() > MESSAGE_CHARS ? out.substring(0, MESSAGE_CHARS) + "..." : out.toString();
    }
}
