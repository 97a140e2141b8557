package io.gatehouse.server.tls;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** What a session's client certificate is, read once per session. */
class ClientCertificatesTest {

    @Test
    void aSessionWithoutClientCertificateIsAskedOnceNotOncePerRequest() throws Exception {
        SSLSession session = sessionWithValues();
        when(session.getPeerCertificates()).thenThrow(new SSLPeerUnverifiedException("no client certificate"));

        for (int request = 0; request < 3; request++) {
            assertThat(ClientCertificates.of(session)).isEmpty();
        }
        verify(session, times(1)).getPeerCertificates();
    }

    @Test
    void cleartextHasNoCertificate() {
        assertThat(ClientCertificates.of(null)).isEmpty();
    }

    /** A mocked session whose values are kept, as the JDK's are. */
    private static SSLSession sessionWithValues() {
        SSLSession session = mock(SSLSession.class);
        Map<String, Object> values = new HashMap<>();
        doAnswer(call -> values.put(call.getArgument(0), call.getArgument(1))).when(session).putValue(anyString(), any());
        when(session.getValue(anyString())).thenAnswer(call -> values.get(call.<String>getArgument(0)));
        return session;
    }
}
