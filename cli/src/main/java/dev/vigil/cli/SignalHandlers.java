package dev.vigil.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * Handlers of the process's signals, through {@code sun.misc.Signal} (module {@code jdk.unsupported},
 * in every JDK Vigil runs on), reached by reflection: a direct reference is a warning of the
 * compiler and of Javadoc, which the build treats as an error. A JVM that cannot handle a signal
 * (run with {@code -Xrs}, or a signal the JVM uses) leaves it as it was.
 */
final class SignalHandlers {

    private SignalHandlers() {
    }

    /** A signal's handler that was replaced: given back to {@link #restore}. */
    record Previous(String signal, Object handler) {
    }

    /**
     * Handles the signal {@code name} ({@code TERM}, {@code INT}) with {@code onSignal}, on the
     * JVM's signal thread.
     *
     * @return the handler it had, to restore; empty when the signal cannot be handled here
     */
    static Optional<Previous> handle(String name, Runnable onSignal) {
        try {
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(SignalHandlers.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            onSignal.run();
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "vigil handler of SIG" + name;
                    });
            return Optional.of(new Previous(name, swap(name, handler)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // IllegalArgumentException (in an InvocationTargetException): the JVM keeps this signal for itself.
            return Optional.empty();
        }
    }

    /** Gives the signal back the handler it had. */
    static void restore(Previous previous) {
        try {
            swap(previous.signal(), previous.handler());
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Handled before, so it can be handled again; nothing else to do if not.
        }
    }

    /** {@code Signal.handle(new Signal(name), handler)}: the handler it had. */
    private static Object swap(String name, Object handler) throws ReflectiveOperationException {
        Class<?> signalType = Class.forName("sun.misc.Signal");
        Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        Method handle = signalType.getMethod("handle", signalType, handlerType);
        try {
            return handle.invoke(null, signalType.getConstructor(String.class).newInstance(name), handler);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
