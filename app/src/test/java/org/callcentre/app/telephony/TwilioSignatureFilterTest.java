package org.callcentre.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.callcentre.telephony.PublicUrls;
import org.callcentre.telephony.TwilioProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The signature check against Twilio's published example, and the URL it is checked against. */
class TwilioSignatureFilterTest {

    // Twilio's documented example: auth token 12345, this URL and these parameters give this signature.
    static final String TOKEN = "12345";
    static final Map<String, String> PARAMS = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+12349013030",
            "Digits", "1234", "From", "+12349013030", "To", "+18005551212");
    static final String SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    final TwilioSignatureFilter filter = new TwilioSignatureFilter(new TwilioProperties("AC123", TOKEN, null),
            new PublicUrls("https://mycompany.com"));

    @Test
    void acceptsTwiliosPublishedExample() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse response = run(request(SIGNATURE), chain);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(chain.getRequest()).as("the request went on to the handler").isNotNull();
    }

    @Test
    void checksThePublicUrlNotTheOneTheAppSeesBehindAProxy() throws Exception {
        // Behind a TLS proxy the app sees http://internal-host:8080; the signature is over the public URL.
        MockHttpServletRequest request = request(SIGNATURE);
        request.setScheme("http");
        request.setServerName("internal-host");
        request.setServerPort(8080);
        assertThat(run(request, new MockFilterChain()).getStatus()).isEqualTo(200);

        TwilioSignatureFilter wrongBase = new TwilioSignatureFilter(new TwilioProperties("AC123", TOKEN, null),
                new PublicUrls("http://internal-host:8080"));
        MockHttpServletResponse refused = new MockHttpServletResponse();
        wrongBase.doFilter(request(SIGNATURE), refused, new MockFilterChain());
        assertThat(refused.getStatus()).isEqualTo(403);
    }

    @Test
    void refusesMissingTamperedOrForeignSignatures() throws Exception {
        assertThat(run(request(null), new MockFilterChain()).getStatus()).isEqualTo(403);
        assertThat(run(request("AAAAKCTR6DLpKmkAf8muzZqo1nDgQ="), new MockFilterChain()).getStatus()).isEqualTo(403);

        MockHttpServletRequest tampered = request(SIGNATURE);
        tampered.setParameter("Digits", "9999");
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse response = run(tampered, chain);
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(chain.getRequest()).as("nothing reached a handler").isNull();
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Forbidden\","
                + "\"status\":403,\"detail\":\"missing or invalid X-Twilio-Signature\"}");
        assertThat(response.getContentAsString()).contains("X-Twilio-Signature").doesNotContain("9999");

        MockHttpServletRequest otherQuery = request(SIGNATURE);
        otherQuery.setQueryString("foo=1&bar=3");
        otherQuery.setParameter("bar", "3");
        assertThat(run(otherQuery, new MockFilterChain()).getStatus()).isEqualTo(403);
    }

    private MockHttpServletResponse run(MockHttpServletRequest request, MockFilterChain chain) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }

    private static MockHttpServletRequest request(String signature) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/myapp.php");
        request.setQueryString("foo=1&bar=2");
        request.setParameter("foo", "1");
        request.setParameter("bar", "2");
        PARAMS.forEach(request::setParameter);
        request.setContentType("application/x-www-form-urlencoded");
        if (signature != null) {
            request.addHeader(TwilioSignatureFilter.SIGNATURE_HEADER, signature);
        }
        return request;
    }
}
