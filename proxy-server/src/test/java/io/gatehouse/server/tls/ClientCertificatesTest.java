package io.gatehouse.server.tls;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Reading a session's client certificate. */
class ClientCertificatesTest {

    @Test
    void aSessionWithoutClientCertificateHasNoneAndItsValuesAreLeftAlone() throws Exception {
        SSLSession session = mock(SSLSession.class);
        when(session.getPeerCertificates()).thenThrow(new SSLPeerUnverifiedException("no client certificate"));

        assertThat(ClientCertificates.of(session)).isEmpty();
        // on TLS 1.3 a session value makes the JDK send a new session ticket mid-response
        verify(session, never()).putValue(anyString(), any());
    }

    @Test
    void cleartextHasNoCertificate() {
        assertThat(ClientCertificates.of(null)).isEmpty();
    }
}
