package org.callcentre.payment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeclineReasonTest {

    @ParameterizedTest(name = "code={0} decline_code={1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "card_declined, insufficient_funds, INSUFFICIENT_FUNDS",
            "null, insufficient_funds, INSUFFICIENT_FUNDS",
            "expired_card, insufficient_funds, INSUFFICIENT_FUNDS",
            "card_declined, generic_decline, DECLINED_BY_BANK",
            "card_declined, lost_card, DECLINED_BY_BANK",
            "card_declined, stolen_card, DECLINED_BY_BANK",
            "card_declined, do_not_honor, DECLINED_BY_BANK",
            "card_declined, null, DECLINED_BY_BANK",
            "null, null, DECLINED_BY_BANK",
            "null, generic_decline, DECLINED_BY_BANK",
            "expired_card, null, EXPIRED_CARD",
            "expired_card, expired_card, EXPIRED_CARD",
            "incorrect_number, null, INCORRECT_DETAILS",
            "incorrect_cvc, incorrect_cvc, INCORRECT_DETAILS",
            "invalid_expiry_month, null, INCORRECT_DETAILS",
            "invalid_expiry_year, null, INCORRECT_DETAILS",
            "invalid_cvc, null, INCORRECT_DETAILS",
            "invalid_number, null, INCORRECT_DETAILS",
            "processing_error, processing_error, DECLINED_BY_BANK",
            "something_new, null, DECLINED_BY_BANK",
            "authentication_required, authentication_required, AUTHENTICATION_REQUIRED",
            "card_declined, authentication_required, AUTHENTICATION_REQUIRED",
            "authentication_required, null, AUTHENTICATION_REQUIRED",
            "payment_intent_authentication_failure, null, AUTHENTICATION_REQUIRED",
            "setup_intent_authentication_failure, null, AUTHENTICATION_REQUIRED"
    })
    void gatewayCodesMapToReasonClasses(String code, String declineCode, DeclineReason expected) {
        assertThat(DeclineReason.fromGatewayCodes(code, declineCode)).isEqualTo(expected);
    }

    @Test
    void declineExceptionCarriesTheReasonAndNoStackTrace() {
        CardDeclinedException declined = new CardDeclinedException(DeclineReason.INSUFFICIENT_FUNDS);

        assertThat(declined.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(declined.getMessage()).isEqualTo("card declined: INSUFFICIENT_FUNDS");
        assertThat(declined.getStackTrace()).isEmpty();
    }
}
