/** Service-loader entry points of the HTTP probes; no compatibility promise. */
package dev.vigil.http.internal;
