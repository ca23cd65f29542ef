/**
 * JUnit suites run against the deployed service as a probe ({@code type=junit}); start at
 * {@link dev.vigil.junit.probe.JunitProbes}.
 */
package dev.vigil.junit.probe;
