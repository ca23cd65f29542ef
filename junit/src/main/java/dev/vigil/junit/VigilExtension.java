package dev.vigil.junit;

import java.lang.reflect.Parameter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves the parameters of tests run by a Vigil {@code junit} probe: those annotated with
 * {@link VigilParameter} (registered by the annotation itself) and those of type
 * {@link VigilTarget} (register this extension on the class:
 * {@code @ExtendWith(VigilExtension.class)}). Stateless and thread-safe; a parameter that cannot
 * be resolved throws {@link ParameterResolutionException} with a message naming it.
 */
public final class VigilExtension implements ParameterResolver {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final String DURATION_FORMS = "a duration (PT2S, 500ms, 2s, 5m, 1h)";
    /** The types a parameter can be injected into, with the form their value must have. */
    private static final Map<Class<?>, String> FORMS = Map.ofEntries(
            Map.entry(String.class, "text"), Map.entry(CharSequence.class, "text"), Map.entry(Object.class, "text"),
            Map.entry(URI.class, "a URI"),
            Map.entry(int.class, "a whole number"), Map.entry(Integer.class, "a whole number"),
            Map.entry(long.class, "a whole number"), Map.entry(Long.class, "a whole number"),
            Map.entry(double.class, "a number"), Map.entry(Double.class, "a number"),
            Map.entry(boolean.class, "true or false"), Map.entry(Boolean.class, "true or false"),
            Map.entry(Duration.class, DURATION_FORMS));

    /** For JUnit. */
    public VigilExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.isAnnotated(VigilParameter.class) || parameter.getParameter().getType() == VigilTarget.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        VigilTarget target = VigilTarget.of(extension);
        Parameter p = parameter.getParameter();
        if (p.getType() == VigilTarget.class) {
            return target;
        }
        VigilParameter annotation = parameter.findAnnotation(VigilParameter.class).orElseThrow();
        String name = annotation.value();
        Optional<String> value = target.parameter(name);
        if (value.isEmpty() && !annotation.defaultValue().isEmpty()) {
            value = Optional.of(annotation.defaultValue());
        }
        if (value.isEmpty()) {
            throw new ParameterResolutionException("Vigil parameter '" + name + "' is not set: give the probe "
                    + "parameters." + name + "=..., or outside Vigil the JUnit configuration parameter "
                    + VigilTarget.PARAMETER_PREFIX + name + " (-D" + VigilTarget.PARAMETER_PREFIX + name
                    + "=... or junit-platform.properties)");
        }
        String form = FORMS.get(p.getType());
        if (form == null) {
            throw new ParameterResolutionException("Vigil parameter '" + name + "' cannot be injected into a "
                    + p.getType().getName() + "; use String, URI, int, long, double, boolean or Duration");
        }
        try {
            return convert(value.get().trim(), p.getType());
        } catch (RuntimeException e) {
            // Neither the value nor the parser's message, which quotes it: a parameter may hold a secret.
            throw new ParameterResolutionException("Vigil parameter '" + name + "' cannot be read as "
                    + p.getType().getSimpleName() + ": it must be " + form);
        }
    }

    private static Object convert(String value, Class<?> type) {
        if (type == String.class || type == Object.class || type == CharSequence.class) {
            return value;
        }
        if (type == URI.class) {
            return URI.create(value);
        }
        if (type == int.class || type == Integer.class) {
            return Integer.valueOf(value);
        }
        if (type == long.class || type == Long.class) {
            return Long.valueOf(value);
        }
        if (type == double.class || type == Double.class) {
            return Double.valueOf(value);
        }
        if (type == boolean.class || type == Boolean.class) {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("must be true or false");
            }
            return Boolean.valueOf(value);
        }
        if (type == Duration.class) {
            return duration(value);
        }
        throw new IllegalArgumentException("unsupported type");
    }

    private static Duration duration(String value) {
        if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(value);
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(DURATION_FORMS);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMillis(n);
        };
    }
}
