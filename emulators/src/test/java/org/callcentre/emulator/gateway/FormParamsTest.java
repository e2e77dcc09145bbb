package org.callcentre.emulator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FormParamsTest {

    @Test
    void parsesBracketNotation() {
        FormParams p = FormParams.parse("amount=100&metadata%5Bpledge_id%5D=p-1&metadata[idempotency_key]=k%201"
                + "&payment_method_data%5Bcard%5D%5Bnumber%5D=4242&metadata[empty]=");
        assertThat(p.get("amount")).isEqualTo("100");
        assertThat(p.subMap("metadata")).isEqualTo(Map.of("pledge_id", "p-1", "idempotency_key", "k 1"));
        assertThat(p.get("payment_method_data[card][number]")).isEqualTo("4242");
        assertThat(FormParams.topLevel("payment_method_data[card][number]")).isEqualTo("payment_method_data");
    }

    @Test
    void digestIgnoresOrderButNotValuesOrEndpoint() {
        String a = FormParams.parse("a=1&b=2").digest("POST", "/v1/x");
        assertThat(FormParams.parse("b=2&a=1").digest("POST", "/v1/x")).isEqualTo(a);
        assertThat(FormParams.parse("a=1&b=3").digest("POST", "/v1/x")).isNotEqualTo(a);
        assertThat(FormParams.parse("a=1&b=2").digest("POST", "/v1/y")).isNotEqualTo(a);
        assertThat(FormParams.parse("a=12&b=").digest("POST", "/v1/x"))
                .isNotEqualTo(FormParams.parse("a=1&b=2").digest("POST", "/v1/x"));
    }

    @Test
    void badPercentEncodingIs400() {
        assertThatThrownBy(() -> FormParams.parse("a=%zz")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }
}
