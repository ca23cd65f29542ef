package dev.vigil.junit.probe;

import dev.vigil.Probe;
import dev.vigil.condition.Criteria;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.platform.launcher.TagFilter;

/**
 * Builds a JUnit probe; see {@link JunitProbes} for what it does. Each setter validates at once and
 * throws {@link IllegalArgumentException} naming the bad value (never a secret's); {@link #build()}
 * checks the whole. Not thread-safe; the probe it builds is immutable and thread-safe.
 */
public final class JunitProbeBuilder {

    /** The default of {@link #minTests(int)}: one test must pass. */
    public static final int DEFAULT_MIN_TESTS = 1;
    /** The value of {@link #every(int)} meaning "once per verification", the default. */
    public static final int ONCE = 0;

    private final List<Selection> selections = new ArrayList<>();
    private final List<String> classpath = new ArrayList<>();
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final List<String> secretNames = new ArrayList<>();
    private String tags;
    private int minTests = DEFAULT_MIN_TESTS;
    private int every = ONCE;
    private Criteria criteria;
    private ClassLoader classLoader;

    JunitProbeBuilder() {
    }

    /**
     * Adds what to run: {@code package:com.acme.smoke} (and its sub-packages),
     * {@code class:com.acme.CheckoutSmokeTest} or {@code method:com.acme.CheckoutSmokeTest#pays}.
     * Without any, every test on the {@link #classpath class path} runs.
     *
     * @param entries the selections
     * @return this builder
     * @throws IllegalArgumentException when an entry has none of these forms
     */
    public JunitProbeBuilder select(String... entries) {
        return select(Arrays.asList(entries));
    }

    /**
     * Adds selections; see {@link #select(String...)}.
     *
     * @param entries the selections
     * @return this builder
     */
    public JunitProbeBuilder select(List<String> entries) {
        List<Selection> parsed = entries.stream().map(Selection::parse).toList();
        selections.addAll(parsed);
        return this;
    }

    /**
     * Runs only the tests whose tags match a JUnit tag expression: {@code smoke & !slow},
     * {@code ORD-17 | ORD-18}.
     *
     * @param expression the tag expression
     * @return this builder
     * @throws IllegalArgumentException when the expression does not parse
     */
    public JunitProbeBuilder tags(String expression) {
        Objects.requireNonNull(expression, "expression");
        try {
            TagFilter.includeTags(expression);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tag expression '" + expression + "' does not parse: " + e.getMessage(), e);
        }
        this.tags = expression.trim();
        return this;
    }

    /**
     * Adds jars and folders holding the tests and what they need (AssertJ, an HTTP client...);
     * globs allowed ({@code build/libs/*.jar}, {@code lib/**}{@code /*.jar}). Resolved each time the
     * tests run, relative to the working folder; an entry that does not exist then is an
     * {@code ERROR} naming it. Without any, the tests come from the application's class path
     * (see {@link #classLoader}).
     *
     * @param entries files, folders or globs
     * @return this builder
     */
    public JunitProbeBuilder classpath(List<String> entries) {
        entries.forEach(e -> classpath.add(Objects.requireNonNull(e, "classpath entry")));
        return this;
    }

    /**
     * Adds class path entries; see {@link #classpath(List)}.
     *
     * @param entries files, folders or globs
     * @return this builder
     */
    public JunitProbeBuilder classpath(String... entries) {
        return classpath(Arrays.asList(entries));
    }

    /**
     * The loader of the tests when no {@link #classpath} is given. Default: the context class
     * loader of the thread calling {@link #build()}, else the one that loaded Vigil.
     *
     * @param loader the class loader the tests are loaded from
     * @return this builder
     */
    public JunitProbeBuilder classLoader(ClassLoader loader) {
        this.classLoader = Objects.requireNonNull(loader, "loader");
        return this;
    }

    /**
     * Hands a value to the tests as the JUnit configuration parameter {@code vigil.parameters.<name>}
     * ({@code @VigilParameter("base-url")}).
     *
     * @param name the parameter's name
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException when the name is blank or holds a space, {@code =} or {@code ,}
     */
    public JunitProbeBuilder parameter(String name, String value) {
        parameters.put(checkName(name), Objects.requireNonNull(value, "value of parameter " + name));
        return this;
    }

    /**
     * Hands a secret to the tests, like {@link #parameter}; its value is masked in everything the
     * tests say and never shown by the probe.
     *
     * @param name the parameter's name
     * @param value its value, never shown
     * @return this builder
     */
    public JunitProbeBuilder secretParameter(String name, String value) {
        parameter(name, value);
        secretNames.add(name);
        return this;
    }

    /**
     * How many tests must pass for a {@code PASS}; default {@value #DEFAULT_MIN_TESTS}.
     *
     * @param count the least number of tests that must pass
     * @return this builder
     * @throws IllegalArgumentException when below 1: no test is never evidence of health
     */
    public JunitProbeBuilder minTests(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("min-tests must be at least 1: no test is no evidence of health, was " + count);
        }
        this.minTests = count;
        return this;
    }

    /**
     * Runs the suite in round 1 and then every {@code rounds} rounds (1: every round); in between, a
     * {@code PASS} is carried over. Default {@link #ONCE}: once per verification.
     *
     * @param rounds how many rounds apart the suite runs; {@link #ONCE} for once per verification
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public JunitProbeBuilder every(int rounds) {
        if (rounds < 0) {
            throw new IllegalArgumentException("every must be 1 or more rounds, was " + rounds);
        }
        this.every = rounds;
        return this;
    }

    /**
     * Runs the suite in every round: {@code every(1)}.
     *
     * @return this builder
     */
    public JunitProbeBuilder everyRound() {
        return every(1);
    }

    /**
     * Judges the values with conditions instead of the default rule; see {@link JunitProbes#conditionNames()}.
     *
     * @param value the pass and fail conditions
     * @return this builder
     */
    public JunitProbeBuilder criteria(Criteria value) {
        this.criteria = Objects.requireNonNull(value, "criteria");
        return this;
    }

    /**
     * Builds the probe.
     *
     * @return a new probe; the builder may be used again
     * @throws IllegalArgumentException when neither a selection nor a class path was given
     */
    public Probe build() {
        if (selections.isEmpty() && classpath.isEmpty()) {
            throw new IllegalArgumentException("select or classpath is required: which tests should run? ("
                    + Selection.FORMS + ")");
        }
        ClassLoader loader = classLoader;
        if (loader == null) {
            loader = Thread.currentThread().getContextClassLoader();
        }
        if (loader == null) {
            loader = JunitProbeBuilder.class.getClassLoader();
        }
        return new JunitProbe(List.copyOf(selections), tags, TestClassPath.of(classpath), loader,
                Map.copyOf(parameters), List.copyOf(secretNames), System.getenv(), minTests, every, criteria);
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '=' || c == ',')) {
            throw new IllegalArgumentException("parameter name '" + name + "' must be a non-blank word such as base-url");
        }
        return name;
    }
}
