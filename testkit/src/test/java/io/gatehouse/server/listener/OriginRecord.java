package io.gatehouse.server.listener;

/**
 * One message as {@link StrictOrigin} received it.
 *
 * @param number the order of arrival, from 1; the {@code X-Record} of its response
 * @param connection the origin connection it came on, from 1
 * @param caseName the fuzz case running when it arrived (for reports only: a late message may
 *     belong to an earlier case)
 * @param head the head as received, ISO-8859-1
 * @param complete whether its head and whole body arrived
 * @param violation what was malformed, or null
 * @param bodyLength the decoded body's length
 * @param body the decoded body
 */
record OriginRecord(int number, int connection, String caseName, String head, boolean complete, String violation,
                    long bodyLength, byte[] body) {

    static OriginRecord head(int number, int connection, String caseName, String head) {
        return new OriginRecord(number, connection, caseName, head, false, null, 0, new byte[0]);
    }

    OriginRecord withViolation(String problem) {
        return new OriginRecord(number, connection, caseName, head, complete, problem, bodyLength, body);
    }

    OriginRecord truncated() {
        return new OriginRecord(number, connection, caseName, head, false, violation, bodyLength, body);
    }

    OriginRecord completed(byte[] decodedBody) {
        return new OriginRecord(number, connection, caseName, head, true, violation, decodedBody.length, decodedBody);
    }

    /** @return the method, or "" when the head has no request line */
    String method() {
        int space = head.indexOf(' ');
        return space < 0 ? "" : head.substring(0, space);
    }

    /** @return the request target, or "" */
    String target() {
        int first = head.indexOf(' ');
        int second = first < 0 ? -1 : head.indexOf(' ', first + 1);
        return second < 0 ? "" : head.substring(first + 1, second);
    }

    @Override
    public String toString() {
        return "record #" + number + " (origin connection " + connection + ", during " + caseName + ", "
                + (complete ? "complete" : "incomplete") + (violation == null ? "" : ", VIOLATION: " + violation)
                + ", body " + bodyLength + " bytes):\n" + Printable.of(head);
    }
}
