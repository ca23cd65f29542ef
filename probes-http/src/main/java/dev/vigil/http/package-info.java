/**
 * HTTP probes ({@link dev.vigil.http.HttpProbes}: a URL, a Spring Boot actuator health endpoint,
 * a fleet of instances) and HTTP webhooks ({@link dev.vigil.http.Webhooks}: a rollback trigger and
 * a verdict notifier), built on Apache httpclient5.
 */
package dev.vigil.http;
