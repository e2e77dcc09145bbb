package org.callcentre.app.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %m}, {@code %msg} and {@code %message} with card data masked ({@link CardDataMask}); logback-spring.xml
 * puts it in place of Logback's own, so every pattern that prints the message, Spring Boot's console and file
 * patterns included, prints it masked. Messages bridged from java.util.logging (Tomcat) arrive here too.
 */
public class MaskedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return CardDataMask.mask(super.convert(event));
    }
}
