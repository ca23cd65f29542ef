/**
 * The release history: one {@link dev.vigil.history.ReleaseRecord} per verification, written by
 * a {@link dev.vigil.history.HistoryRecorder} (a listener) through a small
 * {@link dev.vigil.history.HistoryStore} interface. The core holds no database code: the
 * {@code vigil-history} module implements the store on JDBC (an H2 file by default, PostgreSQL
 * for teams) and computes the release-quality figures.
 */
package dev.vigil.history;
