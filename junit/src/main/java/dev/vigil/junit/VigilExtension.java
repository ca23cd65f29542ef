package dev.vigil.junit;

import java.lang.reflect.Parameter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
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
        try {
            return convert(value.get().trim(), p.getType());
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            // The value itself is left out: a parameter may hold a secret.
            throw new ParameterResolutionException("Vigil parameter '" + name + "' cannot be read as "
                    + p.getType().getSimpleName() + ": " + e.getMessage());
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
        throw new IllegalArgumentException("unsupported type; use String, URI, int, long, double, boolean or Duration");
    }

    private static Duration duration(String value) {
        if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(value);
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (PT2S, 500ms, 2s, 5m, 1h)");
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
