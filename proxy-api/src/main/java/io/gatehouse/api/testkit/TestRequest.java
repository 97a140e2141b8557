package io.gatehouse.api.testkit;

import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.http.PathNormalizer;
import io.gatehouse.api.internal.Checks;
import java.util.OptionalLong;

/** The request head of a {@link TestExchange}: validated as the server validates it, its path normalised as the server does. */
final class TestRequest implements RequestHead {
    private final String method;
    private final String rawTarget;
    private String target;
    final MutableHttpFields headers = MutableHttpFields.create();
    long bodyLength;
    String authority = "";

    TestRequest(String method, String target) {
        this.method = method;
        this.rawTarget = target;
        this.target = normalized(target);
    }

    private static String normalized(String target) {
        try {
            return PathNormalizer.normalizeTarget(target);
        } catch (IllegalArgumentException e) {
            return target; // the server answers 400 before any filter; kept for testing a filter's own checks
        }
    }

    @Override
    public String rawTarget() {
        return rawTarget;
    }

    @Override
    public OptionalLong bodyLength() {
        return bodyLength < 0 ? OptionalLong.empty() : OptionalLong.of(bodyLength);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public void setTarget(String target) {
        this.target = Checks.originFormTarget(target);
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public MutableHttpFields headers() {
        return headers;
    }
}
