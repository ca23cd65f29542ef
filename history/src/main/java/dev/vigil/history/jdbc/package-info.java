/**
 * The release history on JDBC: {@link dev.vigil.history.jdbc.JdbcHistoryStore}, an embedded H2 file
 * by default and PostgreSQL for teams, its schema created and migrated by Flyway.
 */
package dev.vigil.history.jdbc;
