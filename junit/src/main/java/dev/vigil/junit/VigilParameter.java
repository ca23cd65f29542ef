package dev.vigil.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects one of the values a Vigil {@code junit} probe hands to the tests it runs: the probe's
 * {@code parameters.<name>} (the {@code base-url} of the deployed service, an account to log in
 * with) into a test's, a lifecycle method's or a constructor's parameter.
 *
 * <pre>{@code
 * @Test
 * void ordersCanBeListed(@VigilParameter("base-url") URI baseUrl) { ... }
 * }</pre>
 *
 * <p>The value is the JUnit configuration parameter {@code vigil.parameters.<name>}: per test run,
 * so two verifications running at once in one JVM each see their own. Outside Vigil (a developer
 * running the suite from the IDE) it can be given as a system property or in
 * {@code junit-platform.properties}: {@code -Dvigil.parameters.base-url=http://localhost:8080}.
 *
 * <p>Supported parameter types: {@code String}, {@link java.net.URI}, {@code int}/{@link Integer},
 * {@code long}/{@link Long}, {@code double}/{@link Double}, {@code boolean}/{@link Boolean} and
 * {@link java.time.Duration} ({@code PT2S}, or a number with {@code ms}, {@code s}, {@code m}).
 * A value that is missing (and has no {@link #defaultValue()}) or cannot be converted fails the
 * test with a {@code ParameterResolutionException} naming the parameter and how to set it.
 * Registering {@link VigilExtension} is not needed: this annotation does it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER})
@ExtendWith(VigilExtension.class)
public @interface VigilParameter {

    /** {@return the parameter's name, as in the probe's {@code parameters.<name>} ({@code base-url})} */
    String value();

    /**
     * Used when the parameter is not set; the default {@code ""} means "required".
     *
     * @return the default value; {@code ""} when the parameter is required
     */
    String defaultValue() default "";
}
