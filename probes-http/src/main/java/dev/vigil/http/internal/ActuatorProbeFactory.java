package dev.vigil.http.internal;

/**
 * {@code type=actuator}: a Spring Boot actuator health endpoint ({@code /actuator/health} when the
 * URL has no path); passes on {@code UP}, fails on {@code DOWN} / {@code OUT_OF_SERVICE} naming
 * the failing components, inconclusive on {@code UNKNOWN}. Found by {@link java.util.ServiceLoader};
 * stateless and thread-safe. Public only for the service loader.
 */
public final class ActuatorProbeFactory extends HttpFamilyFactory {

    /** For {@link java.util.ServiceLoader}. */
    public ActuatorProbeFactory() {
        super(true);
    }

    @Override
    public String type() {
        return "actuator";
    }

    @Override
    public String description() {
        return "a Spring Boot actuator health endpoint: UP passes, DOWN and OUT_OF_SERVICE fail naming the components";
    }
}
