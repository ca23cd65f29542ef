package dev.vigil.prometheus;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unit of a histogram's {@code le} labels in histogram mode ({@code bucket-unit}): seconds, as
 * Prometheus' naming rules ({@code _seconds_bucket}) and Micrometer have it, or milliseconds, as
 * OpenTelemetry's {@code *_milliseconds_bucket} and many prom-client {@code *_ms_bucket}
 * histograms have it. The judge compares {@code slower-than} with the bounds in seconds and names
 * bands in them; a bound read in the wrong unit is a thousand times off.
 */
public enum BucketUnit {
    /** {@code le="0.25"} is 250 ms. The default. */
    SECONDS(1),
    /** {@code le="250"} is 250 ms. */
    MILLISECONDS(1000);

    /** The default: {@link #SECONDS}. */
    public static final BucketUnit DEFAULT = SECONDS;

    /** The configuration key. */
    static final String KEY = "bucket-unit";

    /** A bucket series named in a query, outside quotes: {@code http_server_duration_milliseconds_bucket}. */
    private static final Pattern BUCKET_METRIC = Pattern.compile(
            "(?<![A-Za-z0-9_:])[A-Za-z_:][A-Za-z0-9_:]*_(seconds|milliseconds|ms)_bucket(?![A-Za-z0-9_:])");

    private final double perSecond;

    BucketUnit(double perSecond) {
        this.perSecond = perSecond;
    }

    /**
     * Reads {@code seconds} or {@code milliseconds}, in any case.
     *
     * @param text the configured value ({@code bucket-unit}); surrounding blanks are ignored
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values, also for {@code null}
     */
    public static BucketUnit parse(String text) {
        return ConfigValues.parse(BucketUnit.class, text);
    }

    /**
     * The value as written in configuration ({@code seconds}); {@link #parse} reads it back.
     *
     * @return the name in lower case
     */
    public String configValue() {
        return ConfigValues.of(this);
    }

    static String names() {
        return ConfigValues.names(BucketUnit.class);
    }

    /** The bounds in seconds, as the judge takes them; a new array. */
    double[] seconds(double[] bounds) {
        return Arrays.stream(bounds).map(b -> b / perSecond).toArray();
    }

    /**
     * Refuses a query whose bucket series' name says another unit than this one
     * ({@code http_server_duration_milliseconds_bucket} with seconds): the judge would compare
     * {@code slower-than} with bounds a thousand times off.
     *
     * @param key the query's configuration key, for the message
     * @throws InvalidSetting naming {@code bucket-unit}, the series and the value to set
     */
    void check(String key, String query) {
        Matcher m = BUCKET_METRIC.matcher(QueryReach.withoutQuotes(query));
        while (m.find()) {
            BucketUnit named = m.group(1).equals("seconds") ? SECONDS : MILLISECONDS;
            if (named != this) {
                throw new InvalidSetting(KEY, "is " + configValue() + (this == DEFAULT ? " (the default)" : "")
                        + ", but le of " + m.group() + " in " + key + " is in " + named.configValue() + ": set "
                        + KEY + "=" + named.configValue());
            }
        }
    }
}
