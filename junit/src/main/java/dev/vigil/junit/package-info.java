/**
 * For JUnit tests run against a deployed service by a Vigil {@code junit} probe: read the target
 * with {@link dev.vigil.junit.VigilParameter} or {@link dev.vigil.junit.VigilTarget}. This package
 * depends on {@code junit-jupiter-api} (5.10 or later) only.
 */
package dev.vigil.junit;
