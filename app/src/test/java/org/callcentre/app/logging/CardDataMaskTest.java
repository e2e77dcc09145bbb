package org.callcentre.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link CardDataMask} masks, and what it leaves alone so a log still says what happened. */
class CardDataMaskTest {

    @Test
    void aCardNumberStandingOnItsOwnIsMaskedWhateverItIsCalled() {
        assertThat(CardDataMask.mask("charging 4242424242424242 now")).isEqualTo("charging **************** now");
        assertThat(CardDataMask.mask("read 4242 4242 4242 4242 aloud")).isEqualTo("read **** **** **** **** aloud");
        assertThat(CardDataMask.mask("read 3782-822463-10005.")).isEqualTo("read ****-******-*****.");
        assertThat(CardDataMask.mask("[4000000000000002]")).isEqualTo("[****************]");
        // 12 digits (the shortest card numbers) and 19 (the longest).
        assertThat(CardDataMask.mask("x 123456789012 y")).isEqualTo("x ************ y");
        assertThat(CardDataMask.mask("x 1234567890123456789 y")).isEqualTo("x ******************* y");
    }

    @Test
    void fieldsThatCarryCardDataHaveTheirValuesMaskedInEveryShape() {
        assertThat(CardDataMask.mask("CallSid=CA01&Digits=737&FinishedOnKey=%23"))
                .isEqualTo("CallSid=CA01&Digits=***&FinishedOnKey=%23");
        assertThat(CardDataMask.mask("parameters={Digits:[1230], step:[2]}"))
                .isEqualTo("parameters={Digits:[****], step:[2]}");
        assertThat(CardDataMask.mask("{Digits: [7319]}")).isEqualTo("{Digits: [****]}");
        assertThat(CardDataMask.mask("{\"Digits\":\"737#\"}")).isEqualTo("{\"Digits\":\"***#\"}");
        assertThat(CardDataMask.mask("{\"cvc\" : 737, \"exp_month\":12,\"exp_year\":\"2030\"}"))
                .isEqualTo("{\"cvc\" : ***, \"exp_month\":**,\"exp_year\":\"****\"}");
        assertThat(CardDataMask.mask("{card[number]=[5555555555554444], card[exp_month]=[12], card[exp_year]=[2030], "
                + "card[cvc]=[737], amount=[2500]}"))
                .isEqualTo("{card[number]=[****************], card[exp_month]=[**], card[exp_year]=[****], "
                        + "card[cvc]=[***], amount=[2500]}");
        assertThat(CardDataMask.mask("card%5Bcvc%5D=7319&card%5Bexp_month%5D=12&amount=2500"))
                .isEqualTo("card%5Bcvc%5D=****&card%5Bexp_month%5D=**&amount=2500");
        assertThat(CardDataMask.mask("Entry[cardNumber=1234, securityCode=737, expiryMonth=12, expiryDate=12/30]"))
                .isEqualTo("Entry[cardNumber=****, securityCode=***, expiryMonth=**, expiryDate=**/**]");
        assertThat(CardDataMask.mask("{\\\"security_code\\\":\\\"737\\\"}"))
                .isEqualTo("{\\\"security_code\\\":\\\"***\\\"}");
        assertThat(CardDataMask.mask("Decoding failed. Parameter [Digits] with value [737%] has been ignored."))
                .isEqualTo("Decoding failed. Parameter [Digits] with value [***%] has been ignored.");
        assertThat(CardDataMask.mask("cvv2=123 CVC: 737 expiry=1230 pan=4242"))
                .isEqualTo("cvv2=*** CVC: *** expiry=**** pan=****");
    }

    @Test
    void springsHandlerArgumentsTraceHasEveryKeypadArgumentMasked() {
        // InvocableHandlerMethod prints the arguments without their names.
        assertThat(CardDataMask.mask("Arguments: [3fa85f64-5717-4562-b3fc-2c963f66afa6, 2, SECURITY_CODE, 737, #]"))
                .isEqualTo("Arguments: [3fa85f64-5717-4562-b3fc-2c963f66afa6, 2, SECURITY_CODE, ***, #]");
        assertThat(CardDataMask.mask("Arguments: [1230]")).isEqualTo("Arguments: [****]");
        assertThat(CardDataMask.mask("Arguments: [12, 7319#, 0120]")).isEqualTo("Arguments: [12, ****#, ****]");
        // Elsewhere a short number is only a number.
        assertThat(CardDataMask.mask("step 2 of 737 ms, [737, 2]")).isEqualTo("step 2 of 737 ms, [737, 2]");
    }

    @Test
    void whatIsNotCardDataIsLeftAsItIs() {
        String[] lines = {
            "Completed 200 OK in 12 ms",
            "capture 5f0c2a9e-7319-4b6e-9d1a-0c4e2f8a7b31 step 3",
            "capture 12345678-1234-4234-8234-123456789012 ended",
            "Call CA1234567890123456789012345678abcd from +447700900999 to %2B441130000000",
            "at 2026-12-05T11:40:53.737Z, thread http-nio-127.0.0.1-40123-exec-1, took 1234 ms",
            "Content-Length: 737",
            "amount=2500 currency=gbp pledge_id=12 numDigits=16 code=404",
            "idempotency key 5f0c2a9e-7319-4b6e-9d1a-0c4e2f8a7b31:card0:charge",
            "no digits here at all",
            "a run of twenty digits 12345678901234567890 is no card number",
        };
        for (String line : lines) {
            assertThat(CardDataMask.mask(line)).as(line).isSameAs(line);
        }
        assertThat(CardDataMask.mask(null)).isNull();
    }
}
