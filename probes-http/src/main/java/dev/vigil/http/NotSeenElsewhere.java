package dev.vigil.http;

import dev.vigil.ProbeResult;

/**
 * The default judgement of a probe without conditions, but for a redirect to another host that
 * was not followed: {@code INCONCLUSIVE}, naming the host. What answers there (a single sign-on
 * page, a maintenance page) is not the service, so a {@code 302} to it is no sign of health, and
 * no sign of a fault either (the URL may name a front door); conditions on {@code status} or
 * {@code header.Location} judge it as their author means.
 */
final class NotSeenElsewhere implements Judge {

    private final Judge byDefault;

    NotSeenElsewhere(Judge byDefault) {
        this.byDefault = byDefault;
    }

    @Override
    public ProbeResult judge(Response response) {
        if (response.redirectedTo() == null) {
            return byDefault.judge(response);
        }
        return ProbeResult.inconclusive(Values.base(response), "status " + response.status() + ": redirected to another host, "
                + response.redirectedTo() + ", which is not followed; the service's own answer was not seen");
    }

    @Override
    public String passWhen() {
        return byDefault.passWhen();
    }

    @Override
    public String failWhen() {
        return byDefault.failWhen();
    }
}
