package org.callcentre.app.logging;

import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;
import org.springframework.boot.logging.logback.WhitespaceThrowableProxyConverter;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.pattern.RootCauseFirstThrowableProxyConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The exception converters of Logback and Spring Boot, each writing its usual stack trace with card data masked
 * ({@link CardDataMask}) in every message of the chain: causes and suppressed exceptions included. logback-spring.xml
 * puts them in place of the originals under the same conversion words, so {@code logging.exception-conversion-word}
 * keeps working. An exception is rare next to a log line, so the whole trace is masked rather than its messages
 * alone: cheap enough, and nothing in a trace escapes.
 */
public final class MaskedExceptionConverters {

    private MaskedExceptionConverters() {
    }

    /** {@code %wEx}: Spring Boot's default, with packaging data and blank lines around the trace. */
    public static class ExtendedWhitespace extends ExtendedWhitespaceThrowableProxyConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return CardDataMask.mask(super.convert(event));
        }
    }

    /** {@code %wex}: Spring Boot's, with blank lines around the trace. */
    public static class Whitespace extends WhitespaceThrowableProxyConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return CardDataMask.mask(super.convert(event));
        }
    }

    /** {@code %ex}, {@code %exception}, {@code %throwable}. */
    public static class Plain extends ThrowableProxyConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return CardDataMask.mask(super.convert(event));
        }
    }

    /** {@code %xEx}, {@code %xException}, {@code %xThrowable}: with packaging data. */
    public static class Extended extends ExtendedThrowableProxyConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return CardDataMask.mask(super.convert(event));
        }
    }

    /** {@code %rEx}, {@code %rootException}: the root cause first. */
    public static class RootCauseFirst extends RootCauseFirstThrowableProxyConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return CardDataMask.mask(super.convert(event));
        }
    }
}
