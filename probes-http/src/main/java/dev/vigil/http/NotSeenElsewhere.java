package dev.vigil.http;

import dev.vigil.ProbeResult;

/**
 * What redirects mean for a judgement ({@link Redirects}). Every measurement of an answer reached
 * through redirects names them, in the explanation ({@code after redirect http://checkout/health ->
 * https://checkout/health}) and in the value {@code redirects}, so that a report says where the
 * answer came from. A redirect that was not followed (to another host, or to another path on the
 * same host, or to another instance of the fleet) is, for a probe without conditions,
 * {@code INCONCLUSIVE}, naming where it pointed:
 * what answers there (a single sign-on page, a {@code /login} page, a maintenance page) is not the
 * service, so a {@code 302} to it is no sign of health, and no sign of a fault either (the URL may
 * name a front door). Conditions on {@code status} or {@code header.Location} judge it as their
 * author means.
 */
final class NotSeenElsewhere implements Judge {

    private final Judge judge;
    private final boolean byDefault;

    /**
     * @param judge the judge of the answer
     * @param byDefault whether {@code judge} is the default judgement (no conditions given), which
     *     a redirect not followed makes {@code INCONCLUSIVE}
     */
    NotSeenElsewhere(Judge judge, boolean byDefault) {
        this.judge = judge;
        this.byDefault = byDefault;
    }

    @Override
    public ProbeResult judge(Response response) {
        Redirects.NotFollowed away = response.notFollowed();
        ProbeResult result = away != null && byDefault
                ? ProbeResult.inconclusive(Values.base(response), "status " + response.status() + ": redirected to "
                        + away.left() + ", " + away.location() + ", which is not followed; the service's own answer was not seen"
                        + (!away.otherPath() ? "" : " (redirects are followed only to the same host and path, give or take a"
                                + " trailing slash: set url to the URL that answers itself)"))
                : judge.judge(response);
        if (response.redirects().isEmpty()) {
            return result;
        }
        String after = "after redirect " + Redirects.chain(response.redirects());
        return result.withExplanation(result.explanation().isBlank() ? after : result.explanation() + " (" + after + ")");
    }

    @Override
    public String passWhen() {
        return judge.passWhen();
    }

    @Override
    public String failWhen() {
        return judge.failWhen();
    }
}
