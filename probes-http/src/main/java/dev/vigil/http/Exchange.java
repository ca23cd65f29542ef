package dev.vigil.http;

/**
 * What became of one request to one target: a response, or an error that says what happened.
 *
 * @param target the instance
 * @param response the response, or {@code null} on error
 * @param error what went wrong, naming the target, or {@code null}
 * @param retryable whether the failure happened before any response (refused, reset, DNS,
 *     connect timeout) so that another attempt may help
 * @param unsent whether the failure happened before a connection was made (refused, DNS,
 *     connect timeout), so that the request certainly never reached the server; implies retryable
 */
record Exchange(Target target, Response response, String error, boolean retryable, boolean unsent) {

    static Exchange ok(Target target, Response response) {
        return new Exchange(target, response, null, false, false);
    }

    static Exchange failed(Target target, String error, boolean retryable) {
        return new Exchange(target, null, error, retryable, false);
    }

    /** No connection was made: the request was never sent. */
    static Exchange unsent(Target target, String error) {
        return new Exchange(target, null, error, true, true);
    }

    boolean succeeded() {
        return response != null;
    }
}
