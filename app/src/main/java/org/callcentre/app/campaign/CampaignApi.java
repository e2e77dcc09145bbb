package org.callcentre.app.campaign;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The JSON shapes of the campaign API. */
public final class CampaignApi {

    private CampaignApi() {
    }

    public record NewCampaign(
            @NotBlank @Size(max = 200) String name,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as GBP") String currency,
            @NotNull @Pattern(regexp = "[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", message = "must be a language tag such as en-GB") String locale,
            @NotNull Boolean instantPayment,
            @NotNull Boolean tokensEnabled,
            @NotNull Boolean paymentFirst,
            // Optional: whether a new card for a paid recurring pledge is charged as well as saved (default no).
            Boolean chargeOnCardUpdate) {
    }
}
