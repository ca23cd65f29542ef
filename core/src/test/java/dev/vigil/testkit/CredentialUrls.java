package dev.vigil.testkit;

import java.util.List;

/**
 * One table of URLs holding credentials, for every place that masks a URL's credentials before it
 * is shown (reports, configuration messages, history settings and descriptions, the HTTP and
 * Prometheus probes' messages). Each place masks in its own words ({@code [REDACTED]},
 * {@code ******}, {@code ****}) and some drop more than the credential; none may show a secret of
 * {@link #WITH_CREDENTIALS}, and none may change {@link #PLAIN}.
 */
public final class CredentialUrls {

    /**
     * A text holding credentials.
     *
     * @param text the text, a URL or a line quoting some
     * @param secrets what must not appear once it is masked (a secret and the parts a careless rule would leave)
     */
    public record Case(String text, List<String> secrets) {

        @Override
        public String toString() {
            return text;
        }
    }

    /** Texts whose credentials must all be masked. */
    public static final List<Case> WITH_CREDENTIALS = List.of(
            new Case("https://ci:s3cr3t-pw@host.example/x", List.of("s3cr3t-pw")),
            new Case("https://ci:p@ss-w0rd@host.example/x", List.of("p@ss-w0rd", "ss-w0rd")),
            new Case("https://ci:pa:ss-w0rd@host.example/x", List.of("pa:ss-w0rd", "ss-w0rd")),
            new Case("https://ci:pa%40ss%2Fw0rd@host.example/x", List.of("pa%40ss%2Fw0rd", "ss%2Fw0rd")),
            new Case("https://ci:pa/ss-w0rd@host.example/x", List.of("pa/ss-w0rd", "ss-w0rd")),
            new Case("https://ci:pa?ss-w0rd@host.example/x", List.of("pa?ss-w0rd", "ss-w0rd")),
            new Case("https://ci:pa#ss-w0rd@host.example/x", List.of("pa#ss-w0rd", "ss-w0rd")),
            new Case("https://ci:pa;ss-w0rd@host.example/x", List.of("pa;ss-w0rd", "ss-w0rd")),
            new Case("postgres://ci:9f/Kx+2q==@db.example/vigil", List.of("9f/Kx+2q==", "Kx+2q==")),
            new Case("https://:s3cr3t-pw@host.example/x", List.of("s3cr3t-pw")),
            new Case("git clone https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/org/repo.git",
                    List.of("ghp_16C7e42F292c6912E7710c838347Ae178B4a")),
            new Case("https://ci:s3cr3t-pw@[2001:db8::1]:8443/x", List.of("s3cr3t-pw")),
            new Case("https://ci:s3cr3t-pw@host.example:8443/x", List.of("s3cr3t-pw")),
            new Case("HTTPS://CI:s3cr3t-pw@HOST.EXAMPLE/x", List.of("s3cr3t-pw")),
            new Case("  https://ci:s3cr3t-pw@host.example/x", List.of("s3cr3t-pw")),
            new Case("https://ci:s3cr3t-pw@host.example/users/ann@example.com", List.of("s3cr3t-pw")),
            new Case("first https://u1:s3cr3t-one@h1.example/x then https://u2:s3cr3t-two@h2.example/y",
                    List.of("s3cr3t-one", "s3cr3t-two")),
            new Case("url='https://ci:s3cr3t-pw@host.example/x'", List.of("s3cr3t-pw")),
            new Case("{\"url\":\"https://ci:s3cr3t-pw@host.example/x\"}", List.of("s3cr3t-pw")),
            new Case("postgres://ci:s3cr3t-pw@db.example/vigil", List.of("s3cr3t-pw")),
            new Case("redis://:s3cr3t-pw@cache.example:6379", List.of("s3cr3t-pw")),
            new Case("jdbc:postgresql://db.example/vigil?user=ci&password=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("jdbc:postgresql://db.example/vigil?password=s3cr3t-pw&ssl=true", List.of("s3cr3t-pw")),
            new Case("jdbc:h2:file:~/.vigil/history;USER=ci;PASSWORD=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("jdbc:postgresql://db.example/vigil?sslmode=verify-full&sslpassword=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://host.example/x?region=eu&dbpassword=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://host.example/x?auth_credential=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://host.example/x?token=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://host.example/x?access_token=s3cr3t-pw&page=2", List.of("s3cr3t-pw")),
            new Case("https://host.example/x?api_key=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://maps.example/api?key=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://acct.blob.example/c/health?sv=2022&sig=s3cr3t-pw&sp=r", List.of("s3cr3t-pw")),
            new Case("https://bucket.example/o?X-Amz-Date=1&X-Amz-Signature=s3cr3t-pw&X-Amz-Expires=60",
                    List.of("s3cr3t-pw")),
            new Case("https://bucket.example/o?X-Goog-Signature=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://shop.example/cart;jsessionid=0F1E2D3C4B5A69788796A5B4C3D2E1F0?item=42",
                    List.of("0F1E2D3C4B5A69788796A5B4C3D2E1F0")),
            new Case("https://shop.example/cart;JSESSIONID=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://shop.example/index.php?PHPSESSID=s3cr3t-pw&page=2", List.of("s3cr3t-pw")),
            new Case("https://host.example/x?session_id=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://app.example/callback?code=s3cr3t-pw&state=af0ifjsldkj", List.of("s3cr3t-pw")),
            new Case("https://app.example/callback#access_token=s3cr3t-pw&token_type=Bearer&expires_in=3600",
                    List.of("s3cr3t-pw")),
            new Case("https://app.example/callback#id_token=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://auth.example/token?grant_type=refresh_token&refresh_token=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://sso.example/cas/validate?ticket=s3cr3t-pw&service=https%3A%2F%2Fapp.example",
                    List.of("s3cr3t-pw")),
            new Case("https://cdn.example/v.mp4?Expires=1700000000&Signature=s3cr3t-pw&Key-Pair-Id=K2JCJMDEHXQW5F",
                    List.of("s3cr3t-pw")),
            new Case("https://bucket.example/o?X-Amz-Security-Token=s3cr3t-one&X-Amz-Signature=s3cr3t-two",
                    List.of("s3cr3t-one", "s3cr3t-two")),
            new Case("https://api.example/v1/items?apikey=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://api.example/v1/items?api-key=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://db.example.firebaseio.com/x.json?auth=s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://host.example/x?authorization=Basic%20s3cr3t-pw", List.of("s3cr3t-pw")),
            new Case("https://host.example/x?client_secret=s3cr3t-pw&client_id=vigil", List.of("s3cr3t-pw")));

    /**
     * URLs with parameters that are no credentials: the rules that keep a URL's parameters leave
     * these as they are (a rule that drops every parameter is not asked).
     */
    public static final List<String> READABLE_PARAMETERS = List.of(
            "https://host.example/search?keyword=vigil&country_code=DE&status_code=200&page=2",
            "https://host.example/x?monkey=1&author=ann&signed=true&decode=false&sessions=4",
            "https://app.example/authorize?response_type=code&client_id=vigil&state=af0ifjsldkj&scope=openid",
            "https://host.example/docs;version=2/page?lang=en#section-3");

    /**
     * URLs without credentials: masking leaves them as they are (except where a rule drops every
     * query, or, for one URL alone, everything before its last {@code @}).
     */
    public static final List<String> PLAIN = List.of(
            "https://host.example:8443/actuator/health",
            "https://[2001:db8::1]:8443/actuator/health",
            "https://host.example:8443/users/ann@example.com",
            "https://[2001:db8::1]:8443/users/ann@example.com");

    /**
     * URLs that tripped masking copies: passwords holding {@code ?}, {@code ;}, {@code @}, {@code :},
     * {@code #}, {@code %40}, a blank or letters beyond ASCII, JDBC URLs with their password in a
     * parameter, a bearer token in a query, and URLs without user info. Every place that shows a URL
     * shows it as {@code UrlCredentials.mask} does (a history's description then drops what it
     * leaves out), so each module's test compares its own with it for all of these.
     */
    public static final List<String> TRICKY = List.of(
            "https://ci:pa?ss-w0rd@host.example/x",
            "https://ci:pa;ss-w0rd@host.example/x",
            "https://ci:p@ss-w0rd@host.example/x",
            "https://ci:pa:ss-w0rd@host.example/x",
            "https://ci:pa#ss-w0rd@host.example/x",
            "https://ci:pa%40ss-w0rd@host.example/x",
            "https://ci:p\u00e4ssw\u00f6rd-\u20ac\uD83D\uDD11@host.example/x",
            "https://ci:pa ss-w0rd@host.example/x",
            "jdbc:postgresql://ci:pa?ss;w0rd@db.example:5432/vigil?ssl=true",
            "https://host.example:8443/users/ann@example.com",
            "https://host.example/x?page=2",
            "jdbc:h2:file:~/.vigil/history;USER=ci;PASSWORD=pa?ss-w0rd",
            "jdbc:postgresql://db.example/vigil?password=pa;ss-w0rd&user=ci",
            "https://prom.example/api/v1/query?query=up&access_token=eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
            "https://prom.example/api/v1/query?authorization=Bearer%20eyJhbGciOiJIUzI1NiJ9.e30.c2ln");

    private CredentialUrls() {
    }
}
