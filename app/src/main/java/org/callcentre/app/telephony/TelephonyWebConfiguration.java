package org.callcentre.app.telephony;

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
}
