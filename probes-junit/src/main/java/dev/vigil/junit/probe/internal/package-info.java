/** Service-loader entry point of the JUnit probe; no compatibility promise. */
package dev.vigil.junit.probe.internal;
