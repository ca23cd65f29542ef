package dev.vigil.history;

import java.time.Duration;
import java.util.Objects;

/**
 * The release history as configured under {@code vigil.history.*}. Immutable and thread-safe; its
 * {@link #toString()} never shows the password.
 *
 * @param enabled whether verifications are recorded ({@code vigil.history.enabled}, default {@code true})
 * @param url the JDBC URL ({@code vigil.history.url}); {@code null} means the embedded default, an H2 file
 *     at {@code ~/.vigil/history}
 * @param username the database user ({@code vigil.history.username}), or {@code null}
 * @param password the database password ({@code vigil.history.password}, a secret), or {@code null}
 * @param retention how long records are kept ({@code vigil.history.retention}, default {@link #DEFAULT_RETENTION});
 *     older ones are deleted when a record is written
 * @param hotfixWindow a deployment followed by a hotfix of the same service within this time counts as a
 *     failed change ({@code vigil.history.hotfix-window}, default {@link #DEFAULT_HOTFIX_WINDOW})
 */
public record HistorySettings(boolean enabled, String url, String username, String password, Duration retention,
        Duration hotfixWindow) {

    /** Records older than this are deleted on write: two years. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(730);
    /** A hotfix within this time after a deployment makes that deployment a failed change: seven days. */
    public static final Duration DEFAULT_HOTFIX_WINDOW = Duration.ofDays(7);

    /**
     * Validates.
     *
     * @param enabled whether verifications are recorded ({@code vigil.history.enabled}, default {@code true})
     * @param url the JDBC URL ({@code vigil.history.url}); {@code null} means the embedded default, an H2 file
     *         at {@code ~/.vigil/history}
     * @param username the database user ({@code vigil.history.username}), or {@code null}
     * @param password the database password ({@code vigil.history.password}, a secret), or {@code null}
     * @param retention how long records are kept ({@code vigil.history.retention}, default {@link #DEFAULT_RETENTION});
     *         older ones are deleted when a record is written
     * @param hotfixWindow a deployment followed by a hotfix of the same service within this time counts as a
     *         failed change ({@code vigil.history.hotfix-window}, default {@link #DEFAULT_HOTFIX_WINDOW})
     * @throws IllegalArgumentException when the retention is not positive or the hotfix window is negative
     */
    public HistorySettings {
        retention = retention == null ? DEFAULT_RETENTION : retention;
        hotfixWindow = hotfixWindow == null ? DEFAULT_HOTFIX_WINDOW : hotfixWindow;
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("history retention must be positive: " + retention);
        }
        if (hotfixWindow.isNegative()) {
            throw new IllegalArgumentException("history hotfix window must not be negative: " + hotfixWindow);
        }
    }

    /** {@return the defaults: on, the embedded H2 file, two years' retention, a seven-day hotfix window} */
    public static HistorySettings defaults() {
        return new HistorySettings(true, null, null, null, DEFAULT_RETENTION, DEFAULT_HOTFIX_WINDOW);
    }

    /**
     * A copy with another JDBC URL and credentials.
     *
     * @param jdbcUrl the JDBC URL ({@code jdbc:postgresql://host/vigil})
     * @param user the user, or {@code null}
     * @param secret the password, or {@code null}; never shown
     * @return a new settings; this one is unchanged
     */
    public HistorySettings withDatabase(String jdbcUrl, String user, String secret) {
        return new HistorySettings(enabled, Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, secret, retention, hotfixWindow);
    }

    /**
     * A copy switched on or off.
     *
     * @param value {@code false} to record nothing
     * @return a new settings; this one is unchanged
     */
    public HistorySettings withEnabled(boolean value) {
        return new HistorySettings(value, url, username, password, retention, hotfixWindow);
    }

    /**
     * A copy with another retention.
     *
     * @param value how long records are kept; positive
     * @return a new settings; this one is unchanged
     */
    public HistorySettings withRetention(Duration value) {
        return new HistorySettings(enabled, url, username, password, value, hotfixWindow);
    }

    /**
     * The URL with the credentials it may hold masked as every shown URL is
     * ({@link dev.vigil.spi.UrlCredentials#mask}): its user info whole ({@code //user:password@},
     * the password holding whatever it holds) and every parameter that carries a credential
     * ({@code ?password=}, {@code ;PASSWORD=}, {@code &sig=}, {@code ;jsessionid=}).
     */
    private static String withoutPassword(String url) {
        return dev.vigil.spi.UrlCredentials.mask(url, "******");
    }

    @Override
    public String toString() {
        return "HistorySettings[enabled=" + enabled + ", url=" + (url == null ? "(embedded default)" : withoutPassword(url))
                + ", username=" + username + ", password=" + (password == null ? "none" : "******")
                + ", retention=" + retention + ", hotfixWindow=" + hotfixWindow + "]";
    }
}
