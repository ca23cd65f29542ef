/**
 * Release-quality figures computed from a release history: change-failure rate, time to detect
 * and restore, hotfix share, the quiet-release streak and the quarter-on-quarter trend
 * ({@link dev.vigil.history.quality.ReleaseQuality}), and their renderings: a text table, JSON and a
 * self-contained HTML page ({@link dev.vigil.history.quality.HistoryReport}), and Micrometer gauges
 * ({@link dev.vigil.history.quality.HistoryMetrics}).
 */
package dev.vigil.history.quality;
