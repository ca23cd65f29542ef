package dev.vigil.testkit;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every text a value holds, whatever its {@code toString()} shows: the report values
 * ({@code ProbeResult}, {@code Measurement}, {@code VerificationReport}, ...) print their free texts
 * by length only, so a test that a credential never reached one of them must read its components.
 * Records are walked component by component, maps, iterables and optionals element by element;
 * anything else is its {@code toString()}.
 */
public final class Shown {

    private Shown() {
    }

    /**
     * Every component of {@code value}, deeply, as one text.
     *
     * @param value a record (or a map, an iterable), or {@code null}
     * @return the text; {@code "null"} for {@code null}
     */
    public static String everything(Object value) {
        StringBuilder out = new StringBuilder();
        render(value, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out.toString();
    }

    private static void render(Object value, StringBuilder out, Set<Object> seen) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Record r) {
            if (!seen.add(r)) {
                return;
            }
            out.append(r.getClass().getSimpleName()).append('[');
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                out.append(c.getName()).append('=');
                try {
                    Method accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    render(accessor.invoke(r), out, seen);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c, e);
                }
                out.append(", ");
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            map.forEach((k, v) -> {
                render(k, out, seen);
                out.append('=');
                render(v, out, seen);
                out.append(", ");
            });
            out.append('}');
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            for (Object item : items) {
                render(item, out, seen);
                out.append(", ");
            }
            out.append(']');
        } else if (value instanceof Optional<?> optional) {
            render(optional.orElse(null), out, seen);
        } else {
            out.append(value);
        }
    }
}
