package org.callcentre.app.web;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

import org.callcentre.payment.Money;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Reads an amount only when its JSON text is a plain decimal ({@code 25}, {@code 25.00}, {@code "25.00"}).
 * Jackson turns {@code 1e100000000} into a {@link BigDecimal} cheaply, but anything that writes it out plainly
 * then builds a hundred-million-character string; an exponent or more digits than any amount has are refused
 * from the text, before a number exists. The sign is let through so that validation says "greater than 0".
 */
public class PlainAmount extends JsonDeserializer<BigDecimal> {

    /** What a refused amount is told; {@link ApiProblems} recognises it. */
    public static final String RULE = "must be a plain decimal number such as 25.00: no exponent, at most "
            + Money.MAX_WHOLE_DIGITS + " digits before the point and 4 after";

    private static final Pattern PLAIN = Pattern.compile("-?[0-9]{1," + Money.MAX_WHOLE_DIGITS + "}(\\.[0-9]{1,4})?");

    @Override
    public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                || token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            if (PLAIN.matcher(text).matches()) {
                return new BigDecimal(text);
            }
        }
        throw MismatchedInputException.from(parser, BigDecimal.class, RULE);
    }
}
