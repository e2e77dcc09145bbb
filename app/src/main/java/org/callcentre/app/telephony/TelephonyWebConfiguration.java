package org.callcentre.app.telephony;

import org.callcentre.app.cardcapture.CardCaptureFallback;
import org.callcentre.telephony.PublicUrls;
import org.callcentre.telephony.TwilioProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration
public class TelephonyWebConfiguration {

    @Bean
    public FilterRegistrationBean<TwilioSignatureFilter> twilioSignatureFilter(TwilioProperties twilio,
            PublicUrls publicUrls) {
        FilterRegistrationBean<TwilioSignatureFilter> registration =
                new FilterRegistrationBean<>(new TwilioSignatureFilter(twilio, publicUrls));
        registration.addUrlPatterns("/twilio/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Inside the signature check: only a signed request is answered with TwiML whatever fails. */
    @Bean
    public FilterRegistrationBean<TwimlFallbackFilter> twimlFallbackFilter(CardCaptureFallback cardCapture) {
        FilterRegistrationBean<TwimlFallbackFilter> registration =
                new FilterRegistrationBean<>(new TwimlFallbackFilter(cardCapture));
        registration.addUrlPatterns("/twilio/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }
}
