package io.gatehouse.server.h2;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http2.frame.RawFrame;
import org.apache.hc.core5.http2.impl.nio.H2StreamListener;

import java.util.List;

/**
 * An HTTP/2 stream listener that only looks at the frames a connection receives: every other
 * event of HttpCore's {@link H2StreamListener} is ignored. For the client side's flood budgets and
 * the origin side's {@code SETTINGS} and {@code GOAWAY}.
 */
public abstract class FrameInputListener implements H2StreamListener {

    @Override
    public abstract void onFrameInput(HttpConnection connection, int streamId, RawFrame frame);

    @Override
    public final void onHeaderInput(HttpConnection connection, int streamId, List<? extends Header> headers) {
    }

    @Override
    public final void onHeaderOutput(HttpConnection connection, int streamId, List<? extends Header> headers) {
    }

    @Override
    public final void onFrameOutput(HttpConnection connection, int streamId, RawFrame frame) {
    }

    @Override
    public final void onInputFlowControl(HttpConnection connection, int streamId, int delta, int actualSize) {
    }

    @Override
    public final void onOutputFlowControl(HttpConnection connection, int streamId, int delta, int actualSize) {
    }
}
