package dev.vigil.http;

/**
 * What became of one request to one target: a response, or an error that says what happened.
 *
 * @param target the instance
 * @param response the response, or {@code null} on error
 * @param error what went wrong, naming the target, or {@code null}
 * @param retryable whether the failure happened before any response (refused, reset, DNS,
 *     connect timeout) so that another attempt may help
 */
record Exchange(Target target, Response response, String error, boolean retryable) {

    static Exchange ok(Target target, Response response) {
        return new Exchange(target, response, null, false);
    }

    static Exchange failed(Target target, String error, boolean retryable) {
        return new Exchange(target, null, error, retryable);
    }

    boolean succeeded() {
        return response != null;
    }
}
